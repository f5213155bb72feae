//! Random access to the bytes of a PDF, whether a file on disk or a buffer, so a 500 MB file
//! is read piece by piece and never held in memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// Bytes that can be read at any offset.
pub(crate) trait ByteSource {
    /// Total length.
    fn len(&self) -> u64;

    /// Reads up to `buf.len()` bytes at `offset`; fewer only at the end of the input.
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;

    /// The bytes of `[offset, offset + len)`, cut short at the end of the input.
    fn read_range(&mut self, offset: u64, len: u64) -> io::Result<Vec<u8>> {
        let end = offset.saturating_add(len).min(self.len());
        let wanted = usize::try_from(end.saturating_sub(offset))
            .map_err(|_| io::Error::other("range does not fit in memory"))?;
        let mut buf = vec![0; wanted];
        let got = self.read_at(offset, &mut buf)?;
        buf.truncate(got);
        Ok(buf)
    }
}

/// A file read through one handle with seeks.
pub(crate) struct FileSource {
    file: File,
    len: u64,
}

impl FileSource {
    pub(crate) fn open(file: File) -> io::Result<Self> {
        let len = file.metadata()?.len();
        Ok(Self { file, len })
    }
}

impl ByteSource for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        self.file.seek(SeekFrom::Start(offset))?;
        let mut filled = 0;
        while filled < buf.len() {
            match self.file.read(&mut buf[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(filled)
    }
}

/// A buffer already in memory.
pub(crate) struct SliceSource<'a>(pub(crate) &'a [u8]);

impl ByteSource for SliceSource<'_> {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let Ok(start) = usize::try_from(offset) else {
            return Ok(0);
        };
        let Some(available) = self.0.get(start..) else {
            return Ok(0);
        };
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        Ok(n)
    }
}
