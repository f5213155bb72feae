//! The hash flow: `sign_digest` makes a detached CMS that OpenSSL verifies against the content.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::{Decode, Encode};
use sha2::{Digest, Sha256, Sha512};
use sim_signer::HashSignRequest;

const CONTENT: &[u8] = b"The customer's document, signed by hash.\n";

/// Writes the content and the signature, then runs `openssl cms -verify` with the test CA.
fn openssl_verifies(p7m: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content.txt");
    let signature = dir.path().join("content.txt.p7m");
    std::fs::write(&content, CONTENT).unwrap();
    std::fs::write(&signature, p7m).unwrap();
    let output = common::run(
        common::tool("openssl")
            .args([
                "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-in",
            ])
            .arg(&signature)
            .arg("-content")
            .arg(&content)
            .arg("-CAfile")
            .arg(common::ca_pem_path())
            .args(["-out", "/dev/null"]),
    );
    let text = common::text(&output);
    assert!(output.status.success(), "openssl rejected the p7m: {text}");
    text
}

fn signed_attribute_oids(p7m: &[u8]) -> Vec<String> {
    let info = ContentInfo::from_der(p7m).unwrap();
    let signed = SignedData::from_der(&info.content.to_der().unwrap()).unwrap();
    assert!(
        signed.encap_content_info.econtent.is_none(),
        "the p7m must be detached"
    );
    let signer = signed.signer_infos.0.iter().next().unwrap();
    signer
        .signed_attrs
        .as_ref()
        .map(|attrs| attrs.iter().map(|a| a.oid.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn documented_form_with_a_der_message_digest_attribute_verifies() {
    let digest = Sha256::digest(CONTENT);
    // SEQUENCE { OID messageDigest, SET { OCTET STRING digest } }, as in the One-Shot example.
    let mut attribute = vec![
        0x30, 0x2f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04,
    ];
    attribute.extend([0x31, 0x22, 0x04, 0x20]);
    attribute.extend(digest);
    let encoded = STANDARD.encode(&attribute);
    assert!(
        encoded.starts_with("MC8GCSqGSIb3DQEJBDEiBC"),
        "the documented prefix"
    );
    let json = format!(
        r#"{{"messageDigest":"{encoded}","digestAlgorithm":"sha256","addAuthAttribute":1,"addSigningTime":1,"otherAuthAttributes":[]}}"#
    );
    let request = HashSignRequest::from_json(json.as_bytes()).unwrap();
    assert_eq!(request.digest(), digest.as_slice());
    let p7m = common::trust()
        .sign_digest(common::signer(), &request)
        .unwrap();
    openssl_verifies(&p7m);
    let oids = signed_attribute_oids(&p7m);
    for wanted in [
        "1.2.840.113549.1.9.3",
        "1.2.840.113549.1.9.4",
        "1.2.840.113549.1.9.5",
        "1.2.840.113549.1.9.16.2.47",
    ] {
        assert!(
            oids.contains(&wanted.to_string()),
            "{wanted} missing from {oids:?}"
        );
    }
}

#[test]
fn raw_digest_with_the_signature_algorithm_name_verifies_without_signing_time() {
    let encoded = STANDARD.encode(Sha256::digest(CONTENT));
    let json = format!(
        r#"{{"messageDigest":"{encoded}","digestAlgorithm":"sha256WithRSAEncryption","addAuthAttribute":"1","addSigningTime":0}}"#
    );
    let request = HashSignRequest::from_json(json.as_bytes()).unwrap();
    let p7m = common::trust()
        .sign_digest(common::signer(), &request)
        .unwrap();
    openssl_verifies(&p7m);
    let oids = signed_attribute_oids(&p7m);
    assert!(
        !oids.contains(&"1.2.840.113549.1.9.5".to_string()),
        "no signing time was asked for"
    );
}

#[test]
fn without_auth_attributes_the_signature_covers_the_digest_directly() {
    let encoded = STANDARD.encode(Sha256::digest(CONTENT));
    let json = format!(r#"{{"messageDigest":"{encoded}","addAuthAttribute":0}}"#);
    let request = HashSignRequest::from_json(json.as_bytes()).unwrap();
    let p7m = common::trust()
        .sign_digest(common::signer(), &request)
        .unwrap();
    openssl_verifies(&p7m);
    assert!(signed_attribute_oids(&p7m).is_empty());
}

#[test]
fn sha512_digests_and_extra_attributes_are_supported() {
    let encoded = STANDARD.encode(Sha512::digest(CONTENT));
    // id-aa-ets-commitmentType-like custom attribute: OID 1.2.840.113549.1.9.16.2.16 with a
    // SEQUENCE { OID proofOfApproval } value, given in the object form.
    let value = STANDARD.encode([
        0x30, 0x0d, 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x06, 0x05,
    ]);
    let json = format!(
        r#"{{"messageDigest":"{encoded}","digestAlgorithm":"SHA-512","otherAuthAttributes":[{{"oid":"1.2.840.113549.1.9.16.2.16","value":"{value}"}}]}}"#
    );
    let request = HashSignRequest::from_json(json.as_bytes()).unwrap();
    assert_eq!(request.digest_algorithm(), "sha512");
    let p7m = common::trust()
        .sign_digest(common::signer(), &request)
        .unwrap();
    openssl_verifies(&p7m);
    assert!(signed_attribute_oids(&p7m).contains(&"1.2.840.113549.1.9.16.2.16".to_string()));
}

#[test]
fn unusable_hash_files_are_refused_with_a_reason() {
    let sha256 = STANDARD.encode(Sha256::digest(CONTENT));
    let cases = [
        ("not json".to_string(), "not JSON"),
        ("[1,2]".to_string(), "JSON object"),
        (
            r#"{"digestAlgorithm":"sha256"}"#.to_string(),
            "messageDigest is missing",
        ),
        (r#"{"messageDigest":"@@@"}"#.to_string(), "32-byte digest"),
        (
            format!(r#"{{"messageDigest":"{sha256}","digestAlgorithm":"sha1"}}"#),
            "not supported",
        ),
        (
            format!(r#"{{"messageDigest":"{sha256}","digestAlgorithm":"sha512"}}"#),
            "64-byte digest",
        ),
        (
            format!(r#"{{"messageDigest":"{sha256}","addAuthAttribute":2}}"#),
            "must be 0 or 1",
        ),
        (
            format!(r#"{{"messageDigest":"{sha256}","otherAuthAttributes":[42]}}"#),
            "strings or objects",
        ),
        (
            format!(
                r#"{{"messageDigest":"{sha256}","addAuthAttribute":0,"otherAuthAttributes":["MAA="]}}"#
            ),
            "DER Attribute",
        ),
    ];
    for (json, reason) in cases {
        let error = HashSignRequest::from_json(json.as_bytes()).unwrap_err();
        assert_eq!(error.code(), "hash.invalid_file", "{json}");
        assert!(error.to_string().contains(reason), "{json}: {error}");
    }
}
