//! optimizer-sim in its own process: this benchmark's binary started again in the `sim` role.

use crate::ROLE_ENV;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The running simulator; stopped when dropped.
pub struct SimProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
}

impl SimProcess {
    pub fn start(work: &Path) -> SimProcess {
        let data = work.join("sim-data");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(ROLE_ENV, "sim")
            .env("DESK_BENCH_SIM_DATA", &data)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the simulator process starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base_url = line.trim().trim_end_matches('/').to_string();
        assert!(
            base_url.starts_with("http://"),
            "the simulator did not start: {line:?}"
        );
        SimProcess { child, base_url }
    }

    /// The API root of the current layout.
    pub fn api(&self) -> String {
        format!("{}/oneshot/api/v1", self.base_url)
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        // Closing its stdin is the signal to shut down cleanly (and remove its data).
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// The `sim` role: serves until stdin closes. Same defaults as practice mode, minus limits a
/// benchmark repeating uploads into one request would hit.
pub fn serve() {
    let data = std::env::var_os("DESK_BENCH_SIM_DATA").map(std::path::PathBuf::from);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let config = optimizer_sim::SimConfig {
            data_dir: data,
            seed: Some(11),
            max_documents_per_request: 1000,
            ..optimizer_sim::SimConfig::default()
        };
        let sim = optimizer_sim::Simulator::start(config)
            .await
            .expect("the simulator starts");
        let mut out = std::io::stdout();
        writeln!(out, "{}", sim.base_url()).unwrap();
        out.flush().unwrap();
        tokio::task::spawn_blocking(|| {
            let mut rest = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut rest);
        })
        .await
        .unwrap();
        sim.shutdown().await;
    });
}
