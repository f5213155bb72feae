//! A static HTTP server on loopback for the pdf.js baseline: the bench page (ui/bench/dist) and
//! the documents, with byte ranges, as pdf.js expects of a server.
//!
//! Why loopback: the app's window refuses to show any page but its own, and a page loaded from
//! `file://` may not read other files in WebKitGTK, so pdf.js runs in a plain Tauri window
//! (tests/minimal-window) on this server. The documents are read from disk once before any
//! measurement (as the app's documents sit in the page cache after the warm-up open), so
//! pdf.js reads them at memory speed over a local socket: no network, and no disk either side.

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub struct Server {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the server answers: files below `root`, and each document at `/doc/<name>`.
struct Site {
    root: PathBuf,
    documents: HashMap<String, Arc<Vec<u8>>>,
}

impl Server {
    pub async fn start(root: &Path, documents: &[(&str, &Path)]) -> Result<Self> {
        let mut loaded = HashMap::new();
        for (name, path) in documents {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            loaded.insert(format!("/doc/{name}"), Arc::new(bytes));
        }
        let site = Arc::new(Site {
            root: root.to_path_buf(),
            documents: loaded,
        });
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let site = site.clone();
                tokio::spawn(async move {
                    // A reader that stops early (pdf.js cancels a stream once it has ranges)
                    // closes the connection; nothing to report.
                    let _ = serve(stream, &site).await;
                });
            }
        });
        Ok(Self { port, task })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// Answers requests on one connection until the client closes it.
async fn serve(stream: TcpStream, site: &Site) -> Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let mut range = None;
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).await?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("range")
            {
                range = Some(value.trim().to_owned());
            }
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or("/");
        let path = target.split('?').next().unwrap_or("/");
        let (status, content_type, body, content_range) = match lookup(site, path) {
            Some((content_type, bytes)) => {
                let len = bytes.len();
                match range.as_deref().and_then(|r| parse_range(r, len)) {
                    Some((start, end)) => (
                        "206 Partial Content",
                        content_type,
                        Body::Slice(bytes, start, end + 1),
                        Some(format!("bytes {start}-{end}/{len}")),
                    ),
                    None => ("200 OK", content_type, Body::Slice(bytes, 0, len), None),
                }
            }
            None => ("404 Not Found", "text/plain", Body::Empty, None),
        };
        let length = body.len();
        let mut head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
             Accept-Ranges: bytes\r\nCache-Control: no-store\r\n"
        );
        if let Some(content_range) = content_range {
            head.push_str(&format!("Content-Range: {content_range}\r\n"));
        }
        head.push_str("\r\n");
        write.write_all(head.as_bytes()).await?;
        if method != "HEAD"
            && let Body::Slice(bytes, start, end) = &body
        {
            write.write_all(&bytes[*start..*end]).await?;
        }
    }
}

enum Body {
    Empty,
    Slice(Arc<Vec<u8>>, usize, usize),
}

impl Body {
    fn len(&self) -> usize {
        match self {
            Body::Empty => 0,
            Body::Slice(_, start, end) => end - start,
        }
    }
}

fn lookup(site: &Site, path: &str) -> Option<(&'static str, Arc<Vec<u8>>)> {
    if let Some(document) = site.documents.get(path) {
        return Some(("application/pdf", document.clone()));
    }
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    // Only plain names below the root.
    if relative
        .split('/')
        .any(|part| part == ".." || part.is_empty())
    {
        return None;
    }
    let file = site.root.join(relative);
    let bytes = std::fs::read(&file).ok()?;
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    Some((content_type, Arc::new(bytes)))
}

/// `bytes=a-b` or `bytes=a-` within a body of `len` bytes, as inclusive bounds.
fn parse_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start: usize = start.trim().parse().ok()?;
    let end: usize = match end.trim() {
        "" => len.checked_sub(1)?,
        end => end.parse::<usize>().ok()?.min(len.checked_sub(1)?),
    };
    (start <= end).then_some((start, end))
}
