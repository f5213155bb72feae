//! curl, the baseline, and the set-up calls around the measured transfers (made with curl too,
//! so the setup does not depend on the code under measurement).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const SANDBOX_TOKEN: &str = optimizer_sim::config::SANDBOX_TOKEN;

fn curl() -> Command {
    let mut cmd = Command::new("curl");
    // Loopback only: no proxy from the environment may sit in between.
    cmd.args(["-sS", "-f", "--noproxy", "*", "--max-time", "600"]);
    cmd
}

fn run(cmd: &mut Command) -> (Output, Duration) {
    let start = Instant::now();
    let out = cmd
        .output()
        .expect("curl runs (Debian package curl; run `cargo xtask setup`)");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "curl failed: {:?}\n{}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
    (out, elapsed)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("a JSON answer")
}

/// `POST /create` with the practice customer and ID photos; the new request's pk.
pub fn create(api: &str, front: &Path, rear: &Path) -> u64 {
    let mut cmd = curl();
    for field in [
        "given_name=Ana",
        "surname_1=García",
        "surname_2=López",
        "email=ana.garcia@example.com",
        "mobile_phone_number=+34612345678",
        "id_document_type=IDC",
        "id_document_country=ES",
        "serial_number=12345678Z",
        &format!("token={SANDBOX_TOKEN}"),
    ] {
        cmd.arg("--form-string").arg(field);
    }
    cmd.arg("-F")
        .arg(format!("document_front=@{}", front.display()))
        .arg("-F")
        .arg(format!("document_rear=@{}", rear.display()))
        .arg(format!("{api}/create"));
    let answer = json(&run(&mut cmd).0);
    answer["details"]["pk"]
        .as_u64()
        .unwrap_or_else(|| panic!("no pk in {answer}"))
}

/// `POST /document/{pk}` with one PDF, the same multipart shape oneshot-client sends (one `file`
/// part with its length; no `Expect: 100-continue` round trip, which the client does not make
/// either). Returns the new uid and the whole process's wall time.
pub fn upload(api: &str, pk: u64, pdf: &Path) -> (String, Duration) {
    let name = pdf.file_name().unwrap().to_string_lossy();
    let (out, elapsed) = run(curl()
        .args(["-H", "Expect:", "-F"])
        .arg(format!(
            "file=@{};type=application/pdf;filename={name}",
            pdf.display()
        ))
        .arg(format!("{api}/document/{pk}")));
    (uid_of(&json(&out)), elapsed)
}

fn uid_of(answer: &Value) -> String {
    let detail = &answer["detail"];
    let item = detail.as_array().and_then(|a| a.first()).unwrap_or(detail);
    item["uid"]
        .as_str()
        .unwrap_or_else(|| panic!("no uid in {answer}"))
        .to_string()
}

/// `GET /document/{pk}/{uid}?document_type=signed` into `dest`; the process's wall time.
pub fn download_signed(api: &str, pk: u64, uid: &str, dest: &Path) -> Duration {
    run(curl()
        .arg("-o")
        .arg(dest)
        .arg(format!("{api}/document/{pk}/{uid}?document_type=signed")))
    .1
}

pub fn delete_document(api: &str, pk: u64, uid: &str) {
    run(curl()
        .args(["-X", "DELETE", "-o", "/dev/null"])
        .arg(format!("{api}/document/{pk}/{uid}")));
}

pub fn delete_all_documents(api: &str, pk: u64) {
    run(curl()
        .args(["-X", "DELETE", "-o", "/dev/null"])
        .arg(format!("{api}/document/{pk}")));
}

/// `POST /otp/{pk}`, the code from the customer's simulated phone, `POST /sign/{pk}`; the time
/// the sign call took.
pub fn otp_and_sign(base_url: &str, api: &str, pk: u64) -> Duration {
    run(curl()
        .args(["-o", "/dev/null", "-H", "Content-Type: application/json"])
        .args(["-d", "{}"])
        .arg(format!("{api}/otp/{pk}")));
    let sms = json(&run(curl().arg(format!("{base_url}/_sim/sms/{pk}"))).0);
    let otp = sms["otp"].as_str().expect("an OTP on the phone");
    run(curl()
        .args(["-o", "/dev/null", "-H", "Content-Type: application/json"])
        .arg("-d")
        .arg(format!(r#"{{"secret":"{otp}"}}"#))
        .arg(format!("{api}/sign/{pk}")))
    .1
}
