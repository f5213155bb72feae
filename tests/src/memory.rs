//! Memory of the app under test as the system sees it: the app process and every process it
//! started (WebKit's web and network processes), read from `/proc` (Linux).

use anyhow::{Context, Result};
use std::collections::HashMap;

/// Resident memory of a process tree, in MiB.
#[derive(Debug, Clone, Copy)]
pub struct TreeMemory {
    /// Resident now, summed over the processes.
    pub resident_mib: f64,
    /// Each process's peak resident memory (`VmHWM`), summed: an upper bound of the tree's peak.
    pub peak_mib: f64,
    pub processes: usize,
}

/// The memory of the app running on X display `display` and of its descendants.
pub fn app_tree(display: &str) -> Result<TreeMemory> {
    let processes = all_processes();
    let wanted = format!("DISPLAY={display}");
    let root = processes
        .iter()
        .find(|(pid, process)| {
            process.name == "oneshot-desk"
                && std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == wanted.as_bytes()))
        })
        .map(|(pid, _)| *pid)
        .context("no oneshot-desk process on this display")?;
    let mut tree = vec![root];
    let mut index = 0;
    while let Some(&pid) = tree.get(index) {
        tree.extend(
            processes
                .iter()
                .filter(|(_, p)| p.parent == pid)
                .map(|(child, _)| *child),
        );
        index += 1;
    }
    let mut total = TreeMemory {
        resident_mib: 0.0,
        peak_mib: 0.0,
        processes: 0,
    };
    for pid in tree {
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        total.resident_mib += field_kib(&status, "VmRSS:") / 1024.0;
        total.peak_mib += field_kib(&status, "VmHWM:") / 1024.0;
        total.processes += 1;
    }
    Ok(total)
}

struct Process {
    name: String,
    parent: u32,
}

fn all_processes() -> HashMap<u32, Process> {
    let mut processes = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return processes;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else {
            continue;
        };
        let name = field(&status, "Name:").unwrap_or_default().to_owned();
        let parent = field(&status, "PPid:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        processes.insert(pid, Process { name, parent });
    }
    processes
}

fn field<'a>(status: &'a str, name: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .map(str::trim)
}

fn field_kib(status: &str, name: &str) -> f64 {
    field(status, name)
        .and_then(|v| v.trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0)
}
