//! The interactive form side of a signature: field names, /AcroForm and page /Annots updates,
//! and the certification (DocMDP) check.

use super::document::Document;
use super::object::{Dict, ObjRef, Object, decode_text_string};
use crate::SignerError;

/// Objects rewritten by the update: (reference, new value).
pub(crate) type Rewrites = Vec<(ObjRef, Object)>;

/// Refuses documents certified with "no changes allowed" (DocMDP P=1, ISO 32000-1 §12.8.2.2):
/// adding a signature would invalidate the certification.
pub(crate) fn check_certification(doc: &mut Document, catalog: &Dict) -> Result<(), SignerError> {
    let Some(perms) = catalog.get("Perms") else {
        return Ok(());
    };
    let Object::Dict(perms) = doc.resolve(perms)? else {
        return Ok(());
    };
    let Some(docmdp) = perms.get("DocMDP") else {
        return Ok(());
    };
    let Object::Dict(signature) = doc.resolve(docmdp)? else {
        return Ok(());
    };
    let Some(references) = signature.get("Reference") else {
        return Ok(());
    };
    let Object::Array(references) = doc.resolve(references)? else {
        return Ok(());
    };
    for reference in references {
        let Object::Dict(reference) = doc.resolve(&reference)? else {
            continue;
        };
        if !reference.name_is("TransformMethod", "DocMDP") {
            continue;
        }
        let permission = match reference.get("TransformParams") {
            Some(params) => match doc.resolve(params)? {
                Object::Dict(params) => params.get("P").and_then(Object::as_int).unwrap_or(2),
                _ => 2,
            },
            None => 2,
        };
        if permission == 1 {
            return Err(SignerError::UnsupportedPdf(
                "the document is certified with no changes allowed; another signature would break the certification"
                    .into(),
            ));
        }
    }
    Ok(())
}

/// Existing top-level field names, to pick a new unique one.
fn field_names(doc: &mut Document, fields: &[Object]) -> Result<Vec<String>, SignerError> {
    let mut names = Vec::new();
    for field in fields {
        if let Object::Dict(field) = doc.resolve(field)?
            && let Some(Object::String(name)) = field.get("T")
        {
            names.push(decode_text_string(name));
        }
    }
    Ok(names)
}

/// The current /AcroForm (resolved) and where it lives.
enum AcroFormHome {
    Absent,
    Direct,
    Indirect(ObjRef),
}

/// Adds the signature field `field` to the catalog's /AcroForm (created when missing) with
/// /SigFlags 3, and returns the rewritten objects plus the new field's unique name.
pub(crate) fn add_field(
    doc: &mut Document,
    catalog_ref: ObjRef,
    catalog: &Dict,
    field: ObjRef,
    allocate: &mut dyn FnMut() -> u32,
) -> Result<(Rewrites, String), SignerError> {
    let mut rewrites = Rewrites::new();
    let (home, mut form) = match catalog.get("AcroForm") {
        None => (AcroFormHome::Absent, Dict::new()),
        Some(Object::Ref(r)) => match doc.get(*r)? {
            Object::Dict(d) => (AcroFormHome::Indirect(*r), d),
            _ => (AcroFormHome::Indirect(*r), Dict::new()),
        },
        Some(Object::Dict(d)) => (AcroFormHome::Direct, d.clone()),
        Some(_) => (AcroFormHome::Direct, Dict::new()),
    };

    let existing = match form.get("Fields") {
        Some(Object::Ref(r)) => {
            let r = *r;
            match doc.get(r)? {
                Object::Array(items) => Some((Some(r), items)),
                _ => None,
            }
        }
        Some(Object::Array(items)) => Some((None, items.clone())),
        _ => None,
    };
    let (fields_home, mut fields) = existing.unwrap_or((None, Vec::new()));
    let names = field_names(doc, &fields)?;
    let name = (1..)
        .map(|n| format!("Signature{n}"))
        .find(|candidate| !names.contains(candidate))
        .expect("an unused field name exists");
    fields.push(Object::Ref(field));
    match fields_home {
        Some(r) => rewrites.push((r, Object::Array(fields))),
        None => form.set("Fields", Object::Array(fields)),
    }
    // SignaturesExist | AppendOnly: viewers must save incrementally from now on.
    let flags = form.get("SigFlags").and_then(Object::as_int).unwrap_or(0) | 3;
    form.set("SigFlags", Object::Integer(flags));

    match home {
        AcroFormHome::Indirect(r) => rewrites.push((r, Object::Dict(form))),
        AcroFormHome::Direct => {
            rewrites.push((
                catalog_ref,
                Object::Dict(catalog.clone().with("AcroForm", Object::Dict(form))),
            ));
        }
        AcroFormHome::Absent => {
            let form_ref = ObjRef::new(allocate(), 0);
            rewrites.push((form_ref, Object::Dict(form)));
            rewrites.push((
                catalog_ref,
                Object::Dict(catalog.clone().with("AcroForm", Object::Ref(form_ref))),
            ));
        }
    }
    Ok((rewrites, name))
}

/// Appends the widget `annotation` to the page's /Annots (rewriting the page or its array).
pub(crate) fn add_annotation(
    doc: &mut Document,
    page_ref: ObjRef,
    page: &Dict,
    annotation: ObjRef,
) -> Result<Rewrites, SignerError> {
    match page.get("Annots") {
        Some(Object::Ref(r)) => {
            let r = *r;
            if let Object::Array(mut items) = doc.get(r)? {
                items.push(Object::Ref(annotation));
                return Ok(vec![(r, Object::Array(items))]);
            }
            // Not an array: replace it with one on the page.
            Ok(vec![(
                page_ref,
                Object::Dict(
                    page.clone()
                        .with("Annots", Object::Array(vec![Object::Ref(annotation)])),
                ),
            )])
        }
        Some(Object::Array(items)) => {
            let mut items = items.clone();
            items.push(Object::Ref(annotation));
            Ok(vec![(
                page_ref,
                Object::Dict(page.clone().with("Annots", Object::Array(items))),
            )])
        }
        _ => Ok(vec![(
            page_ref,
            Object::Dict(
                page.clone()
                    .with("Annots", Object::Array(vec![Object::Ref(annotation)])),
            ),
        )]),
    }
}
