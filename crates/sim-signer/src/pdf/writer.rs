//! Writing a complete new PDF (used for generated documents such as the service contract):
//! objects in order, a classic cross-reference table and a trailer.

use super::object::{Dict, ObjRef, Object, write_dict, write_object};

/// Collects objects and serialises them into one file.
pub(crate) struct PdfBuilder {
    /// Serialised bodies, indexed by object number - 1 (`None` while reserved).
    bodies: Vec<Option<Vec<u8>>>,
}

impl PdfBuilder {
    pub(crate) fn new() -> Self {
        PdfBuilder { bodies: Vec::new() }
    }

    /// Reserves an object number to fill later (for objects that refer to each other).
    pub(crate) fn reserve(&mut self) -> ObjRef {
        self.bodies.push(None);
        ObjRef::new(self.bodies.len() as u32, 0)
    }

    pub(crate) fn set(&mut self, id: ObjRef, object: &Object) {
        let mut body = Vec::new();
        write_object(&mut body, object);
        self.bodies[id.num as usize - 1] = Some(body);
    }

    pub(crate) fn add(&mut self, object: &Object) -> ObjRef {
        let id = self.reserve();
        self.set(id, object);
        id
    }

    /// A stream; `/Length` is set from `data`.
    pub(crate) fn add_stream(&mut self, dict: Dict, data: &[u8]) -> ObjRef {
        let dict = dict.with("Length", Object::Integer(data.len() as i64));
        let mut body = Vec::new();
        write_dict(&mut body, &dict);
        body.extend_from_slice(b"\nstream\n");
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        let id = self.reserve();
        self.bodies[id.num as usize - 1] = Some(body);
        id
    }

    /// The file: header (with the binary-comment line), objects, xref table, trailer.
    pub(crate) fn finish(self, root: ObjRef, info: Option<ObjRef>, id: [u8; 16]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(self.bodies.len());
        for (i, body) in self.bodies.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            // A reserved number never filled becomes null rather than a dangling entry.
            out.extend_from_slice(body.as_deref().unwrap_or(b"null"));
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref_at = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", self.bodies.len() + 1).as_bytes(),
        );
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
        }
        let mut trailer = Dict::new()
            .with("Size", Object::Integer(self.bodies.len() as i64 + 1))
            .with("Root", Object::Ref(root))
            .with(
                "ID",
                Object::Array(vec![
                    Object::String(id.to_vec()),
                    Object::String(id.to_vec()),
                ]),
            );
        if let Some(info) = info {
            trailer.set("Info", Object::Ref(info));
        }
        out.extend_from_slice(b"trailer\n");
        write_dict(&mut out, &trailer);
        out.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        out
    }
}
