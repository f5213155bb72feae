//! Raw TCP/TLS servers for failures wiremock cannot produce: dropped connections, truncated
//! bodies, proxies and TLS.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

/// The hello answer of a legacy Optimizer, as a complete HTTP response.
pub fn hello_response() -> Vec<u8> {
    let body = br#"{"status":"200 OK","details":"Hello"}"#;
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// Reads an HTTP request head (up to the blank line).
pub async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

async fn bind() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    (listener, format!("http://{addr}"))
}

/// Accepts connections, reads the request head and closes without answering. Returns the URL
/// and the number of connections accepted.
pub async fn dropping_server() -> (String, Arc<AtomicUsize>) {
    let (listener, url) = bind().await;
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let _ = read_head(&mut stream).await;
            drop(stream);
        }
    });
    (url, accepted)
}

/// Answers every connection at once with a plain-HTTP error, as an HTTP server on a port the
/// client believes to be HTTPS does.
pub async fn plain_http_server() -> String {
    let (listener, url) = bind().await;
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = stream
                .write_all(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
                .await;
            let _ = stream.flush().await;
        }
    });
    url
}

/// Reads each request's body slowly (`chunk` bytes, then a `pause`), then answers `answer` (a
/// JSON body): a server on a slow link.
pub async fn slow_reading_server(
    chunk: usize,
    pause: std::time::Duration,
    answer: String,
) -> String {
    // A small receive buffer keeps the kernel from swallowing most of the upload at once, so
    // the client's own progress follows the server's pace as on a slow link.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .set_recv_buffer_size(64 * 1024)
        .expect("receive buffer");
    socket
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let listener = socket.listen(16).expect("listen");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let head = read_head(&mut stream).await;
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            let mut buf = vec![0u8; 64 * 1024];
            let mut read = 0;
            'body: while read < length {
                let target = (read + chunk).min(length);
                while read < target {
                    let want = buf.len().min(target - read);
                    match stream.read(&mut buf[..want]).await {
                        Ok(0) | Err(_) => break 'body,
                        Ok(n) => read += n,
                    }
                }
                tokio::time::sleep(pause).await;
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.flush().await;
        }
    });
    url
}

/// Answers every request with `announced` bytes of Content-Length but sends only `sent`.
pub async fn truncating_server(announced: usize, sent: usize) -> String {
    let (listener, url) = bind().await;
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let _ = read_head(&mut stream).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: {announced}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&vec![b'%'; sent]).await;
            let _ = stream.flush().await;
            drop(stream);
        }
    });
    url
}

/// A forward proxy that wants `Proxy-Authorization: <expected>`: plain requests with it get
/// the legacy hello, without it a 407; CONNECT always gets a 407. Returns the proxy URL and
/// the request heads it saw.
pub async fn proxy_server(expected: String) -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    let (listener, url) = bind().await;
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let head = read_head(&mut stream).await;
            log.lock().expect("log").push(head.clone());
            let authorised = head.lines().any(|l| {
                l.to_ascii_lowercase().starts_with("proxy-authorization:") && l.contains(&expected)
            });
            let response = if head.starts_with("CONNECT") || !authorised {
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
            } else {
                hello_response()
            };
            let _ = stream.write_all(&response).await;
            let _ = stream.flush().await;
        }
    });
    (url, seen)
}

/// Serves the legacy hello over TLS with `acceptor`.
pub async fn tls_server(acceptor: tokio_rustls::TlsAcceptor) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake is the point of some tests: nothing to do then.
                if let Ok(mut tls) = acceptor.accept(stream).await {
                    let _ = read_head(&mut tls).await;
                    let _ = write_all_and_close(&mut tls, &hello_response()).await;
                }
            });
        }
    });
    port
}

async fn write_all_and_close<S: AsyncWrite + Unpin>(
    stream: &mut S,
    bytes: &[u8],
) -> std::io::Result<()> {
    stream.write_all(bytes).await?;
    stream.shutdown().await
}
