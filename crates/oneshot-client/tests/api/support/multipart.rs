//! A minimal multipart/form-data reader for checking what the client uploaded.

use wiremock::Request;

/// One part: field name, file name if any, content.
#[derive(Debug, Clone)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl FormPart {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The parts of a multipart request, in order.
pub fn parts(request: &Request) -> Vec<FormPart> {
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("content type");
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("multipart boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    let mut positions = Vec::new();
    let mut i = 0;
    while i + delimiter.len() <= body.len() {
        if body[i..].starts_with(&delimiter) {
            positions.push(i);
            i += delimiter.len();
        } else {
            i += 1;
        }
    }
    let mut out = Vec::new();
    for window in positions.windows(2) {
        let chunk = &body[window[0] + delimiter.len()..window[1]];
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let split = chunk
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("part headers end");
        let headers = String::from_utf8_lossy(&chunk[..split]).into_owned();
        let content = chunk[split + 4..].to_vec();
        let mut name = String::new();
        let mut file_name = None;
        let mut part_type = None;
        for line in headers.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition") {
                name = attribute(line, "name").unwrap_or_default();
                file_name = attribute(line, "filename");
            } else if lower.starts_with("content-type") {
                part_type = line.split_once(':').map(|(_, v)| v.trim().to_owned());
            }
        }
        out.push(FormPart {
            name,
            file_name,
            content_type: part_type,
            body: content,
        });
    }
    out
}

fn attribute(line: &str, key: &str) -> Option<String> {
    let needle = format!("; {key}=\"");
    let start = line.find(&needle)? + needle.len();
    let end = line[start..].find('"')?;
    Some(line[start..start + end].to_owned())
}

/// The text value of field `name`.
pub fn field(parts: &[FormPart], name: &str) -> Option<String> {
    parts.iter().find(|p| p.name == name).map(FormPart::text)
}
