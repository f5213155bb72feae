//! A timestamp authority over loopback HTTP (RFC 3161 §3.4), for tools that fetch tokens.

use super::cms_builder;
use super::pki::Party;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// A running TSA; it serves until the test process ends.
pub struct TsaServer {
    pub url: String,
}

impl TsaServer {
    pub fn start(tsa: Party) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}/tsa", listener.local_addr().expect("address"));
        let tsa = Arc::new(tsa);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let tsa = Arc::clone(&tsa);
                std::thread::spawn(move || {
                    // A stalled client must not hold a thread forever.
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
                    let _ = serve(&tsa, stream);
                });
            }
        });
        Self { url }
    }
}

fn serve(tsa: &Party, stream: std::net::TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut request = vec![0; content_length];
    reader.read_exact(&mut request)?;
    let response = cms_builder::timestamp_response(tsa, &request);
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: application/timestamp-reply\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        response.len()
    )?;
    stream.write_all(&response)?;
    stream.flush()
}
