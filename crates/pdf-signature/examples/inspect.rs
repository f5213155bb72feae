//! Prints the signatures of a PDF as JSON, optionally checking chains against trust roots:
//! `cargo run -p pdf-signature --example inspect -- FILE.pdf [ROOT.pem ...]`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: inspect FILE.pdf [TRUST-ROOT.pem|.der ...]");
        return ExitCode::from(2);
    };
    let mut roots = Vec::new();
    for root in args {
        match std::fs::read(&root) {
            Ok(bytes) => roots.push(bytes),
            Err(e) => {
                eprintln!("cannot read {}: {e}", root.to_string_lossy());
                return ExitCode::from(2);
            }
        }
    }
    let started = std::time::Instant::now();
    let signatures = match pdf_signature::read_signatures(std::path::Path::new(&path)) {
        Ok(signatures) => signatures,
        Err(e) => {
            eprintln!("{}: {e}", e.code());
            return ExitCode::FAILURE;
        }
    };
    let elapsed = started.elapsed();
    let report: Vec<serde_json::Value> = signatures
        .iter()
        .map(|signature| {
            let mut value = serde_json::to_value(signature).unwrap_or_default();
            // Certificates are long; the summary is enough on a terminal.
            for certificate in value["chain"].as_array_mut().into_iter().flatten() {
                certificate["der"] = serde_json::Value::Null;
            }
            value["signer"]["der"] = serde_json::Value::Null;
            if !roots.is_empty() {
                let chain = pdf_signature::verify_chain(signature, &roots);
                value["chain_status"] = serde_json::to_value(chain).unwrap_or_default();
            }
            value
        })
        .collect();
    match serde_json::to_string_pretty(&report) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("{e}"),
    }
    eprintln!("read in {elapsed:.2?}");
    ExitCode::SUCCESS
}
