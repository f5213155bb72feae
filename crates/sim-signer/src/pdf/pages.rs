//! Finding a page in the page tree (ISO 32000-1 §7.7.3).

use std::collections::HashSet;

use super::document::Document;
use super::object::{Dict, ObjRef, Object};
use crate::SignerError;

/// Page trees deeper than this are broken or hostile.
const MAX_DEPTH: usize = 64;

/// The page with 0-based `index`: its reference and dictionary.
pub(crate) fn find_page(
    doc: &mut Document,
    catalog: &Dict,
    index: u32,
) -> Result<(ObjRef, Dict), SignerError> {
    let root = catalog
        .get("Pages")
        .and_then(Object::as_ref)
        .ok_or_else(|| SignerError::malformed("the catalog has no /Pages tree"))?;
    let mut visited = HashSet::new();
    let mut remaining = u64::from(index);
    match descend(doc, root, &mut remaining, &mut visited, 0)? {
        Some(found) => Ok(found),
        None => {
            let count = u64::from(index) - remaining;
            Err(SignerError::InvalidAppearance(format!(
                "page {} (0-based {index}) was requested but the document has {count} page{}",
                u64::from(index) + 1,
                if count == 1 { "" } else { "s" }
            )))
        }
    }
}

/// Walks the subtree at `node`, skipping whole subtrees by their /Count; `remaining` is the
/// index still to go and is decreased by every page passed.
fn descend(
    doc: &mut Document,
    node: ObjRef,
    remaining: &mut u64,
    visited: &mut HashSet<u32>,
    depth: usize,
) -> Result<Option<(ObjRef, Dict)>, SignerError> {
    if depth > MAX_DEPTH || !visited.insert(node.num) {
        return Err(SignerError::malformed("the page tree loops or is too deep"));
    }
    let dict = doc.get_dict(node, "a page tree node")?;
    let kids = match dict.get("Kids") {
        None => {
            // A leaf: a page (also when /Type is missing, as some writers do).
            if *remaining == 0 {
                return Ok(Some((node, dict)));
            }
            *remaining -= 1;
            return Ok(None);
        }
        Some(kids) => doc.resolve(kids)?,
    };
    let Object::Array(kids) = kids else {
        return Err(SignerError::malformed(
            "a page tree node's /Kids is not an array",
        ));
    };
    for kid in kids {
        let Some(kid) = kid.as_ref() else {
            return Err(SignerError::UnsupportedPdf(
                "a page tree with direct (not indirect) kids".into(),
            ));
        };
        // Trust /Count to skip a subtree only when it is plausible; otherwise walk it.
        let kid_dict = doc.get_dict(kid, "a page tree node")?;
        if kid_dict.get("Kids").is_some()
            && let Some(count) = kid_dict
                .get("Count")
                .and_then(Object::as_int)
                .filter(|c| *c >= 0)
            && *remaining >= count as u64
        {
            *remaining -= count as u64;
            continue;
        }
        if let Some(found) = descend(doc, kid, remaining, visited, depth + 1)? {
            return Ok(Some(found));
        }
    }
    Ok(None)
}

/// The page's /Rotate (inherited from the page tree when the page has none), as 0, 90, 180 or
/// 270 degrees clockwise.
pub(crate) fn rotation(doc: &mut Document, page: &Dict) -> Result<u16, SignerError> {
    let mut node = page.clone();
    for _ in 0..MAX_DEPTH {
        if let Some(rotate) = node.get("Rotate") {
            let degrees = doc.resolve(rotate)?.as_int().unwrap_or(0);
            // Only multiples of 90 are valid; readers round anything else down.
            return Ok((degrees.rem_euclid(360) / 90 * 90) as u16);
        }
        match node.get("Parent").and_then(Object::as_ref) {
            Some(parent) => node = doc.get_dict(parent, "a page tree node")?,
            None => break,
        }
    }
    Ok(0)
}
