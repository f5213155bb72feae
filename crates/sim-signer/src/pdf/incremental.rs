//! Writing an incremental update (ISO 32000-1 §7.5.6): new and changed objects, a
//! cross-reference section (table or stream, like the section it follows) and a trailer.

use std::io::Write;

use super::object::{Dict, ObjRef, Object, write_dict, write_object};
use crate::SignerError;

/// Appends objects after the original bytes and remembers where each one starts.
pub(crate) struct UpdateWriter<W: Write> {
    out: W,
    position: u64,
    /// (object number, generation, offset) of everything written.
    offsets: Vec<(u32, u16, u64)>,
}

impl<W: Write> UpdateWriter<W> {
    /// `position` is the length of what is already in the file.
    pub(crate) fn new(out: W, position: u64) -> Self {
        UpdateWriter {
            out,
            position,
            offsets: Vec::new(),
        }
    }

    pub(crate) fn raw(&mut self, bytes: &[u8]) -> Result<(), SignerError> {
        self.out.write_all(bytes)?;
        self.position += bytes.len() as u64;
        Ok(())
    }

    /// Writes `num 0 obj <body> endobj`; returns the offset of the body's first byte.
    pub(crate) fn object_bytes(&mut self, num: u32, body: &[u8]) -> Result<u64, SignerError> {
        self.offsets.push((num, 0, self.position));
        self.raw(format!("{num} 0 obj\n").as_bytes())?;
        let body_at = self.position;
        self.raw(body)?;
        self.raw(b"\nendobj\n")?;
        Ok(body_at)
    }

    pub(crate) fn object(&mut self, id: ObjRef, object: &Object) -> Result<(), SignerError> {
        let mut body = Vec::new();
        write_object(&mut body, object);
        self.offsets.push((id.num, id.generation, self.position));
        self.raw(format!("{} {} obj\n", id.num, id.generation).as_bytes())?;
        self.raw(&body)?;
        self.raw(b"\nendobj\n")
    }

    /// A stream object; `/Length` is set from `data`.
    pub(crate) fn stream(&mut self, num: u32, dict: Dict, data: &[u8]) -> Result<(), SignerError> {
        let dict = dict.with("Length", Object::Integer(data.len() as i64));
        let mut body = Vec::new();
        write_dict(&mut body, &dict);
        body.extend_from_slice(b"\nstream\n");
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.object_bytes(num, &body).map(|_| ())
    }

    /// Writes the cross-reference section and trailer, then `startxref` and `%%EOF`.
    /// `trailer` holds /Root, /Info, /ID, /Prev; /Size is computed here.
    pub(crate) fn finish(
        mut self,
        mut trailer: Dict,
        size: u32,
        as_stream: Option<u32>,
    ) -> Result<W, SignerError> {
        let xref_at = self.position;
        match as_stream {
            None => {
                let mut entries = self.offsets.clone();
                entries.sort_unstable();
                let mut text = String::from("xref\n");
                for run in runs(&entries) {
                    text.push_str(&format!("{} {}\n", run[0].0, run.len()));
                    for (_, generation, offset) in run {
                        text.push_str(&format!("{offset:010} {generation:05} n\r\n"));
                    }
                }
                trailer.set("Size", Object::Integer(i64::from(size)));
                text.push_str("trailer\n");
                self.raw(text.as_bytes())?;
                let mut body = Vec::new();
                write_dict(&mut body, &trailer);
                self.raw(&body)?;
                self.raw(b"\n")?;
            }
            Some(num) => {
                // The stream lists itself too.
                let mut entries = self.offsets.clone();
                entries.push((num, 0, xref_at));
                entries.sort_unstable();
                let max_offset = entries.iter().map(|(_, _, o)| *o).max().unwrap_or(0);
                let width = (1..=8)
                    .find(|w| max_offset < 1u64 << (8 * w))
                    .unwrap_or(8)
                    .max(4);
                let mut index = Vec::new();
                let mut data = Vec::new();
                for run in runs(&entries) {
                    index.push(Object::Integer(i64::from(run[0].0)));
                    index.push(Object::Integer(run.len() as i64));
                    for (_, generation, offset) in run {
                        data.push(1u8);
                        data.extend_from_slice(&offset.to_be_bytes()[8 - width..]);
                        data.extend_from_slice(&generation.to_be_bytes());
                    }
                }
                let dict = trailer
                    .with("Type", Object::name("XRef"))
                    .with("Size", Object::Integer(i64::from(size.max(num + 1))))
                    .with("Index", Object::Array(index))
                    .with(
                        "W",
                        Object::Array(vec![
                            Object::Integer(1),
                            Object::Integer(width as i64),
                            Object::Integer(2),
                        ]),
                    );
                self.offsets.clear();
                self.stream(num, dict, &data)?;
            }
        }
        self.raw(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Splits sorted entries into runs of consecutive object numbers (xref subsections).
fn runs(entries: &[(u32, u16, u64)]) -> Vec<&[(u32, u16, u64)]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        if i == entries.len() || entries[i].0 != entries[i - 1].0 + 1 {
            if start < i {
                runs.push(&entries[start..i]);
            }
            start = i;
        }
    }
    runs
}
