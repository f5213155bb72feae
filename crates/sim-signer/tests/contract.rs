//! The generated service contract: a valid, readable PDF with the customer's data, in the
//! request's language, that can itself be signed.
#![allow(clippy::unwrap_used)]

mod common;

use common::fixtures::{self, contract_data, options, sign};
use common::validate::{OURS_B_T, assert_all_valid, assert_qpdf_clean};

fn pdftotext(file: &std::path::Path) -> String {
    let output = common::run(
        common::tool("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(file)
            .arg("-"),
    );
    assert!(
        output.status.success(),
        "pdftotext: {}",
        common::text(&output)
    );
    // Collapse layout line breaks so phrases can be searched.
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pages(file: &std::path::Path) -> usize {
    let output = common::run(common::tool("pdfinfo").arg(file));
    let info = String::from_utf8(output.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn english_contract_shows_the_customer_and_the_clauses() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixtures::contract(dir.path());
    assert_qpdf_clean(&path);
    assert!(pages(&path) >= 2, "the contract runs over several pages");
    let text = pdftotext(&path);
    for wanted in [
        "CERTIFICATION SERVICES AGREEMENT",
        "Uanataca (simulated)",
        "Ana María García Łopez",
        "12345678Z",
        "ana.garcia@example.com",
        "+34600123123",
        "PFnubeQAFCiudadano",
        "Request no. 388141",
        "1. Purpose",
        "13. Governing law and jurisdiction",
        "qualified electronic signatures",
        "no legal effect",
    ] {
        assert!(
            text.contains(wanted),
            "{wanted:?} missing from the contract text:\n{text}"
        );
    }
}

#[test]
fn spanish_contract_is_in_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contrato.pdf");
    let mut data = contract_data("es");
    data.profile = "PFnubeNC".into();
    data.id_document_type = "PAS".into();
    std::fs::write(&path, sim_signer::contract_pdf(&data).unwrap()).unwrap();
    assert_qpdf_clean(&path);
    let text = pdftotext(&path);
    for wanted in [
        "CONTRATO DE PRESTACIÓN DE SERVICIOS DE CERTIFICACIÓN",
        "Solicitud n.º 388141",
        "pasaporte (PAS) n.º 12345678Z",
        "firmas electrónicas avanzadas",
        "1. Objeto",
        "Protección de datos personales",
        "El Suscriptor: Ana María García Łopez",
    ] {
        assert!(
            text.contains(wanted),
            "{wanted:?} missing from the contract text:\n{text}"
        );
    }
}

#[test]
fn polish_requests_get_the_english_text() {
    let pl = sim_signer::contract_pdf(&contract_data("PL")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pl.pdf");
    std::fs::write(&path, pl).unwrap();
    assert!(pdftotext(&path).contains("CERTIFICATION SERVICES AGREEMENT"));
}

#[test]
fn the_contract_can_be_signed() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixtures::contract(dir.path());
    let output = dir.path().join("signed.pdf");
    sign(&input, &output, &options(Some(fixtures::visible(1)), true));
    assert_all_valid(&output, &[OURS_B_T]);
}

#[test]
fn a_contract_without_a_name_is_refused() {
    let mut data = contract_data("EN");
    data.given_name = "  ".into();
    assert_eq!(
        sim_signer::contract_pdf(&data).unwrap_err().code(),
        "cert.invalid_subject"
    );
}
