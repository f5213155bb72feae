//! Atomic output on a real file system.

#![allow(clippy::unwrap_used)]

use desk_core::error::CodedError;
use desk_core::output::{
    HashingWriter, OutputError, Sha256Digest, WrittenFile, move_atomically, starts_with_original,
    write_atomically,
};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn document(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

async fn write(dir: &Path, name: &str, data: &[u8]) -> WrittenFile {
    write_atomically(dir, name, data, |_| {}).await.unwrap()
}

#[tokio::test]
async fn writes_the_whole_file_with_its_hash_and_reports_progress() {
    let dir = tempfile::tempdir().unwrap();
    let data = document(300_000, 1);
    let mut seen = Vec::new();
    let written = write_atomically(dir.path(), "contract.pdf", &data[..], |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(written.path, dir.path().join("contract.pdf"));
    assert_eq!(written.sha256, Sha256Digest::of(&data));
    assert_eq!(written.size, data.len() as u64);
    assert!(!written.reused_existing);
    assert_eq!(std::fs::read(&written.path).unwrap(), data);
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "progress only grows");
    assert_eq!(seen.last(), Some(&(data.len() as u64)));
    assert_eq!(
        entries(dir.path()),
        ["contract.pdf"],
        "no temporary file is left"
    );
}

#[tokio::test]
async fn never_overwrites_a_different_file_and_reuses_an_identical_one() {
    let dir = tempfile::tempdir().unwrap();
    let first = document(1000, 1);
    let second = document(1000, 2);
    let third = document(2000, 3);
    write(dir.path(), "signed.pdf", &first).await;
    let numbered = write(dir.path(), "signed.pdf", &second).await;
    assert_eq!(numbered.path, dir.path().join("signed (2).pdf"));
    let numbered_again = write(dir.path(), "signed.pdf", &third).await;
    assert_eq!(numbered_again.path, dir.path().join("signed (3).pdf"));

    // Writing the same content again (a resumed request) finds it instead of duplicating it.
    let again = write(dir.path(), "signed.pdf", &second).await;
    assert_eq!(again.path, dir.path().join("signed (2).pdf"));
    assert!(again.reused_existing);

    assert_eq!(std::fs::read(dir.path().join("signed.pdf")).unwrap(), first);
    assert_eq!(
        entries(dir.path()),
        ["signed (2).pdf", "signed (3).pdf", "signed.pdf"]
    );
}

/// A temporary file in `dir` holding `data`, written through a [`HashingWriter`].
async fn finished_temp(dir: &Path, data: &[u8]) -> (tempfile::TempPath, Sha256Digest, u64) {
    use tokio::io::AsyncWriteExt;
    let (file, path) = tempfile::NamedTempFile::new_in(dir).unwrap().into_parts();
    let mut writer = HashingWriter::new(tokio::fs::File::from_std(file));
    for chunk in data.chunks(7000) {
        writer.write_all(chunk).await.unwrap();
    }
    let (digest, size) = writer.finish().await.unwrap();
    (path, digest, size)
}

#[tokio::test]
async fn a_finished_download_moves_in_without_replacing_anything() {
    let work = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let earlier = document(1000, 1);
    let data = document(300_000, 2);
    write(out.path(), "signed.pdf", &earlier).await;

    let (temp, digest, size) = finished_temp(work.path(), &data).await;
    assert_eq!((digest, size), (Sha256Digest::of(&data), data.len() as u64));
    let moved = move_atomically(out.path(), "signed.pdf", temp, digest, size)
        .await
        .unwrap();
    assert_eq!(moved.path, out.path().join("signed (2).pdf"));
    assert_eq!(std::fs::read(&moved.path).unwrap(), data);
    assert_eq!(
        std::fs::read(out.path().join("signed.pdf")).unwrap(),
        earlier
    );

    // The same content again (a download repeated after a crash) finds the saved copy.
    let (temp, digest, size) = finished_temp(work.path(), &data).await;
    let again = move_atomically(out.path(), "signed.pdf", temp, digest, size)
        .await
        .unwrap();
    assert_eq!(again.path, moved.path);
    assert!(again.reused_existing);
    assert!(
        entries(work.path()).is_empty(),
        "the temporary files are gone"
    );
    assert_eq!(entries(out.path()), ["signed (2).pdf", "signed.pdf"]);
}

#[tokio::test]
async fn a_download_on_another_file_system_is_copied() {
    // /dev/shm is a tmpfs on Linux: another file system than the temporary folder's disk.
    let shm = Path::new("/dev/shm");
    let out = tempfile::tempdir().unwrap();
    if !shm.is_dir() || same_device(shm, out.path()) {
        eprintln!("no second file system here; the copy path is not exercised");
        return;
    }
    let work = tempfile::tempdir_in(shm).unwrap();
    let data = document(200_000, 3);
    let (temp, digest, size) = finished_temp(work.path(), &data).await;
    let moved = move_atomically(out.path(), "contract.pdf", temp, digest, size)
        .await
        .unwrap();
    assert_eq!(moved.path, out.path().join("contract.pdf"));
    assert_eq!((moved.sha256, moved.size), (digest, size));
    assert_eq!(std::fs::read(&moved.path).unwrap(), data);
    assert!(
        entries(work.path()).is_empty(),
        "the temporary file is gone"
    );
    assert_eq!(entries(out.path()), ["contract.pdf"]);
}

#[cfg(unix)]
fn same_device(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(a).unwrap().dev() == std::fs::metadata(b).unwrap().dev()
}

#[cfg(not(unix))]
fn same_device(_a: &Path, _b: &Path) -> bool {
    true
}

#[tokio::test]
async fn a_directory_in_the_way_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("video.mp4")).unwrap();
    let written = write(dir.path(), "video.mp4", b"frames").await;
    assert_eq!(written.path, dir.path().join("video (2).mp4"));
    assert!(dir.path().join("video.mp4").is_dir());
}

#[tokio::test]
async fn untrusted_names_stay_inside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("inner");
    std::fs::create_dir(&inner).unwrap();
    let written = write(&inner, "../../escape.pdf", b"%PDF-1.7").await;
    assert_eq!(written.path.parent().unwrap(), inner);
    assert_eq!(entries(&inner), ["_.._escape.pdf"]);
    let written = write(&inner, "..", b"x").await;
    assert_eq!(written.path, inner.join("document"));
    assert_eq!(entries(dir.path()), ["inner"]);
}

#[tokio::test]
async fn a_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = write_atomically(&dir.path().join("nope"), "a.pdf", &b"x"[..], |_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, OutputError::NotADirectory { .. }));
    assert_eq!(error.code(), "output.not_a_directory");
}

/// Yields `data` in small pieces, then fails like a broken download.
struct FailingSource {
    data: Vec<u8>,
    at: usize,
}

impl AsyncRead for FailingSource {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.at >= self.data.len() {
            return Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "connection reset",
            )));
        }
        let end = (self.at + 4096)
            .min(self.data.len())
            .min(self.at + buf.remaining());
        buf.put_slice(&self.data[self.at..end]);
        self.at = end;
        Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn a_failing_source_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let source = FailingSource {
        data: document(100_000, 4),
        at: 0,
    };
    let mut written = 0;
    let error = write_atomically(dir.path(), "video.mp4", source, |n| written = n)
        .await
        .unwrap_err();
    assert_eq!(error.code(), "output.source_failed");
    assert_eq!(written, 100_000, "the failure came after data was written");
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[tokio::test]
async fn cancelling_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (reader, mut writer) = tokio::io::simplex(64 * 1024);
    let reached = std::sync::Arc::new(tokio::sync::Notify::new());
    let notify = reached.clone();
    let feeder = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        writer.write_all(&document(200_000, 5)).await.unwrap();
        // Keep the stream open without sending more: the download stalls.
        std::future::pending::<()>().await;
    });
    let write = write_atomically(dir.path(), "stalled.pdf", reader, move |n| {
        if n >= 200_000 {
            notify.notify_one();
        }
    });
    tokio::select! {
        result = write => panic!("the stalled write finished: {result:?}"),
        () = reached.notified() => {}
    }
    // The select dropped the write: the user cancelled.
    feeder.abort();
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[tokio::test]
async fn the_signed_file_starts_with_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let original = document(50_000, 6);
    let mut signed = original.clone();
    signed.extend_from_slice(b"\n1 0 obj <</Type/Sig>> endobj\n%%EOF\n");
    let original_file = write(dir.path(), "original.pdf", &original).await;
    let signed_file = write(dir.path(), "signed.pdf", &signed).await;
    assert!(
        starts_with_original(&signed_file.path, &original_file.sha256, original_file.size)
            .await
            .unwrap()
    );
    assert!(
        !starts_with_original(&original_file.path, &signed_file.sha256, signed_file.size)
            .await
            .unwrap()
    );
}

/// A full disk mid-write, simulated without root: the child runs under a 32 KiB file size
/// limit (`ulimit -f`) with SIGXFSZ ignored, so writing past it fails with EFBIG.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_no_partial_file() {
    const CHILD_DIR: &str = "ONESHOT_DESK_TEST_FULL_DISK_DIR";
    const MARK: &str = "FULL-DISK-CHILD-RESULT:";
    if let Some(dir) = std::env::var_os(CHILD_DIR) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let data = document(1_000_000, 7);
        let mut progress = 0;
        let result = runtime.block_on(write_atomically(
            Path::new(&dir),
            "big.pdf",
            &data[..],
            |n| progress = n,
        ));
        let error = desk_core::DeskError::from(result.unwrap_err());
        println!(
            "{MARK}{}|{progress}",
            serde_json::to_string(&error).unwrap()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new("sh")
        .args(["-c", r#"ulimit -f 64 && trap '' XFSZ && exec "$0" "$@""#])
        .arg(std::env::current_exe().unwrap())
        .args([
            "a_full_disk_leaves_no_partial_file",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = stdout
        .lines()
        .find_map(|line| line.split_once(MARK).map(|(_, report)| report))
        .unwrap_or_else(|| panic!("child did not report: {stdout}"));
    let (json, progress) = report.rsplit_once('|').unwrap();
    let error: desk_core::DeskError = serde_json::from_str(json).unwrap();
    assert_eq!(error.code, "output.no_space", "{error:?}");
    assert!(error.message.contains("big.pdf"), "{}", error.message);
    let progress: u64 = progress.parse().unwrap();
    assert!(
        progress > 0 && progress < 1_000_000,
        "failed mid-way, after {progress} bytes"
    );
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

/// Documents hold customers' personal data: only their owner may read them.
#[cfg(unix)]
#[tokio::test]
async fn written_files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let written = write(dir.path(), "signed.pdf", b"%PDF").await;
    let mode = std::fs::metadata(&written.path)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}
