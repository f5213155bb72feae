//! The memory section: the app's memory after showing every page of pgfmanual.pdf (1321
//! pages) one after the other in a fresh window, sampled while it goes.

use crate::app_viewer::AppViewer;
use crate::memory;
use crate::{Config, fixtures, page, part, stats};
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub const PAGES: u32 = 1321;
/// Pages shown per WebDriver script (each call stays well inside the script timeout).
const BATCH: u32 = 50;
/// How long one page may take to paint before it counts as missed and the walk moves on. A
/// page whose render the viewer cancelled (it was a neighbour, not on screen, when the viewer
/// said which pages it shows) is answered empty and stays blank until it leaves and comes back,
/// so waiting longer would not help.
const PAGE_LIMIT_MS: u64 = 5_000;
const SAMPLE_EVERY: Duration = Duration::from_millis(200);
const GOAL_MB: f64 = 400.0;

/// One walk through every page: the largest sampled Pss sum and the VmHWM sum at the end.
struct Walk {
    pss_peak: f64,
    /// Each process's own largest sampled Pss, by process name.
    by_process: BTreeMap<String, f64>,
    rss_peak_sum: f64,
    missed: usize,
    processes: usize,
}

pub async fn run(config: &Config) -> Result<Value> {
    let manual = fixtures::pgf_manual()?;
    let mut walks = Vec::new();
    for run in 0..config.memory_runs {
        eprintln!(
            "window bench: memory, walk {} of {}",
            run + 1,
            config.memory_runs
        );
        walks.push(walk(config, &manual).await?);
    }
    let pss: Vec<f64> = walks.iter().map(|w| w.pss_peak).collect();
    let rss: Vec<f64> = walks.iter().map(|w| w.rss_peak_sum).collect();
    let missed: Vec<f64> = walks.iter().map(|w| w.missed as f64).collect();
    let figure = stats::median(&pss);
    // Where the memory is: each process's own peak (the processes peak at different moments,
    // so these add up to more than the tree's peak).
    let names: std::collections::BTreeSet<&String> =
        walks.iter().flat_map(|w| w.by_process.keys()).collect();
    let per_process = names.into_iter().map(|name| {
        let peaks: Vec<f64> = walks
            .iter()
            .filter_map(|w| w.by_process.get(name).copied())
            .collect();
        part::figure(
            &format!("peak Pss of the {name} process alone"),
            "MB",
            &peaks,
        )
    });
    let figures: Vec<Value> = [
        part::figure("peak Pss sum while viewing every page", "MB", &pss),
        part::figure("sum of each process's peak RSS (VmHWM)", "MB", &rss),
        part::figure("pages not painted within 5 s", "pages", &missed),
    ]
    .into_iter()
    .chain(per_process)
    .collect();
    Ok(json!({
        "id": "window-memory",
        "title": "Memory: the app after viewing every page of pgfmanual.pdf",
        "context": [
            format!("a fresh app window (1280x840) on the preview screen; pages 1-{} of pgfmanual.pdf's {PAGES} shown one after the other, each until painted", config.memory_pages),
            config.binaries(),
            format!("the app process and every process below it (WebKit's web and network processes: {} processes)", walks.first().map_or(0, |w| w.processes)),
            format!("Pss: proportional set size summed over them (shared pages counted once), sampled every {} ms; VmHWM: each process's own peak resident set, summed (an upper bound: shared pages counted in each, peaks at different moments)", SAMPLE_EVERY.as_millis()),
        ],
        "figures": figures,
        "targets": [part::target(
            "peak memory after viewing every page of pgfmanual.pdf (Pss of the app and its web processes)",
            "MB",
            figure,
            None,
            &format!("< {GOAL_MB} MB"),
            // Only a walk through every page can meet it.
            figure < GOAL_MB && config.memory_pages == PAGES,
        )],
    }))
}

async fn walk(config: &Config, manual: &std::path::Path) -> Result<Walk> {
    let viewer = AppViewer::start("bench-window-memory", &config.app).await?;
    let driver = viewer.app.driver_pid().context("tauri-driver has exited")?;
    let sampling = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (sampling, binary) = (sampling.clone(), config.app.clone());
        tokio::spawn(async move {
            let mut peak = 0.0f64;
            let mut by_process = BTreeMap::<String, f64>::new();
            while sampling.load(Ordering::Relaxed) {
                if let Ok(pids) = memory::app_processes(driver, &binary) {
                    let each = memory::pss_by_process_mb(&pids);
                    peak = peak.max(each.iter().map(|(_, mb)| mb).sum());
                    for (name, mb) in each {
                        let kept = by_process.entry(name).or_default();
                        *kept = kept.max(mb);
                    }
                }
                tokio::time::sleep(SAMPLE_EVERY).await;
            }
            (peak, by_process)
        })
    };
    viewer.open(manual, Duration::from_secs(90)).await?;
    let mut missed = 0;
    let mut first = 1;
    while first <= config.memory_pages {
        let last = (first + BATCH - 1).min(config.memory_pages);
        missed += page::visit(
            &viewer.app.client,
            viewer.pages(),
            (first, last),
            PAGE_LIMIT_MS,
        )
        .await?
        .len();
        first = last + 1;
    }
    let pids = memory::app_processes(driver, &config.app)?;
    let last_pss = memory::pss_mb(&pids);
    let rss_peak_sum = memory::peak_rss_sum_mb(&pids);
    sampling.store(false, Ordering::Relaxed);
    let (sampled_peak, by_process) = sampler.await?;
    let pss_peak = sampled_peak.max(last_pss);
    viewer.app.close().await?;
    Ok(Walk {
        pss_peak,
        by_process,
        rss_peak_sum,
        missed,
        processes: pids.len(),
    })
}
