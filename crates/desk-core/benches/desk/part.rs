//! This benchmark's parts of the project report, in the format `cargo xtask bench` merges
//! (see `xtask/src/bench.rs`).

use serde_json::Value;
use std::path::{Path, PathBuf};

/// `ONESHOT_BENCH_DIR` (set by `cargo xtask bench`), else `<target dir>/bench`.
pub fn bench_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ONESHOT_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    // The bench binary lives in <target>/<profile>/deps/.
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .expect("the bench binary is inside a target directory")
        .join("bench")
}

pub fn write(dir: &Path, part: &Value) {
    let parts = dir.join("parts");
    std::fs::create_dir_all(&parts).unwrap();
    let id = part["id"].as_str().expect("a part has an id");
    let path = parts.join(format!("{id}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(part).unwrap()).unwrap();
    eprintln!("desk bench: wrote {}", path.display());
}

/// Rounds for the report: three decimals are more than any of these figures can claim.
pub fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
