//! A server that answers every request badly, in one chosen way: what a misconfigured
//! Optimizer address, a captive portal, a proxy's error page or a stuck server look like to
//! the desk. Plain HTTP/1.1 over loopback, written by hand so that it can also misbehave at
//! the connection level (never answer, send more than anyone should read).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// 200 MB: far above any JSON answer the client accepts.
pub const ENORMOUS: u64 = 200 * 1024 * 1024;

/// How the server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 200 with well-formed JSON of the wrong shape.
    WrongJson,
    /// 200 with a JSON content type and a 200 MB body, streamed.
    Enormous,
    /// 200 with an HTML page (a captive portal, a web server's start page).
    Html,
    /// 302 to another host.
    RedirectElsewhere,
    /// Reads the request, then never answers (the connection stays open).
    Hang,
}

/// A running hostile server.
pub struct Hostile {
    pub url: String,
    requests: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Hostile {
    pub async fn start(answer: Answer) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, answer));
            }
        });
        Hostile {
            url,
            requests,
            task,
        }
    }

    /// Connections accepted so far (proof that the desk did reach this server).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, answer: Answer) {
    if read_request(&mut stream).await.is_none() {
        return;
    }
    // Write errors are expected: the desk hangs up on what it refuses to read.
    let _ = match answer {
        Answer::WrongJson => {
            respond(
                &mut stream,
                "200 OK",
                "application/json",
                br#"{"unexpected": [1, 2, 3], "details": "not what you asked for"}"#,
            )
            .await
        }
        Answer::Html => {
            respond(
                &mut stream,
                "200 OK",
                "text/html; charset=utf-8",
                b"<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>",
            )
            .await
        }
        Answer::RedirectElsewhere => {
            let head = "HTTP/1.1 302 Found\r\nLocation: http://elsewhere.invalid/oneshot/api/v1/\
                        \r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            stream.write_all(head.as_bytes()).await
        }
        Answer::Enormous => enormous(&mut stream).await,
        Answer::Hang => {
            // Keep the connection open until the desk gives up and closes it.
            let mut sink = [0u8; 1024];
            while let Ok(n) = stream.read(&mut sink).await {
                if n == 0 {
                    break;
                }
            }
            Ok(())
        }
    };
}

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await
}

/// A JSON string 200 MB long, written in 1 MB pieces so the fixture itself stays small.
async fn enormous(stream: &mut TcpStream) -> std::io::Result<()> {
    let opening = b"{\"details\": \"";
    let closing = b"\"}";
    let filler = ENORMOUS - opening.len() as u64 - closing.len() as u64;
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {ENORMOUS}\r\n\
         Connection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(opening).await?;
    let piece = vec![b'a'; 1024 * 1024];
    let mut left = filler;
    while left > 0 {
        let n = left.min(piece.len() as u64) as usize;
        stream.write_all(&piece[..n]).await?;
        left -= n as u64;
    }
    stream.write_all(closing).await
}

/// Reads the request head and its body (by Content-Length), so that the desk's upload is not
/// cut by the server; `None` if the desk closed first.
async fn read_request(stream: &mut TcpStream) -> Option<()> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    let end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        seen.extend_from_slice(&buf[..n]);
        if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if seen.len() > 1024 * 1024 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = seen.len() - end;
    while body < length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        body += n;
    }
    Some(())
}
