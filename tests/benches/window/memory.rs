//! The app's memory: the app process and every process below it (WebKit's web and network
//! processes), found from tauri-driver's process id through /proc.
//!
//! Two sums: proportional set sizes (`Pss` of smaps_rollup: shared libraries counted once
//! across the processes), sampled while the benchmark runs, and each process's own peak
//! resident set (`VmHWM`), whose sum overstates the joint peak (shared pages counted in each
//! process, peaks at different moments): an upper bound.

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::Path;

/// The app's process and its descendants: the processes below `root` (tauri-driver) from the
/// first whose executable is `binary` down.
pub fn app_processes(root: u32, binary: &Path) -> Result<Vec<u32>> {
    let binary = std::fs::canonicalize(binary)?;
    let parents = parent_map()?;
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for (&pid, &parent) in &parents {
        children.entry(parent).or_default().push(pid);
    }
    let descendants = |from: u32| {
        let mut found = Vec::new();
        let mut pending = vec![from];
        while let Some(pid) = pending.pop() {
            found.push(pid);
            pending.extend(children.get(&pid).into_iter().flatten().copied());
        }
        found
    };
    let app = descendants(root)
        .into_iter()
        .find(|&pid| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == binary))
        .with_context(|| format!("no process of {} below process {root}", binary.display()))?;
    Ok(descendants(app))
}

fn parent_map() -> Result<HashMap<u32, u32>> {
    let mut parents = HashMap::new();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        if let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest)
            && let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok())
        {
            parents.insert(pid, ppid);
        }
    }
    Ok(parents)
}

/// Sum over `pids` of a `kB` field of a /proc file, in MB (10^6 bytes).
fn sum_field(pids: &[u32], file: &str, field: &str) -> f64 {
    let kib: u64 = pids
        .iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok())
        .filter_map(|text| {
            text.lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .sum();
    kib as f64 * 1024.0 / 1e6
}

/// The processes' proportional set size now, MB.
pub fn pss_mb(pids: &[u32]) -> f64 {
    sum_field(pids, "smaps_rollup", "Pss:")
}

/// Each process's proportional set size now, MB, by its name (`comm`: the app, WebKit's web
/// and network processes).
pub fn pss_by_process_mb(pids: &[u32]) -> Vec<(String, f64)> {
    pids.iter()
        .filter_map(|&pid| {
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
            Some((name.trim().to_owned(), pss_mb(&[pid])))
        })
        .collect()
}

/// The sum of the processes' peak resident set sizes so far, MB.
pub fn peak_rss_sum_mb(pids: &[u32]) -> f64 {
    sum_field(pids, "status", "VmHWM:")
}
