//! What the CLI prints: progress bars and state lines on a terminal, plain lines otherwise,
//! JSON lines with `--json`. Results go to standard output; progress and prompts to standard
//! error (JSON mode puts everything on standard output, one object per line).

use desk_core::DeskError;
use desk_core::events::{DeskEvent, TransferDirection};
use desk_core::flow::FlowSnapshot;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bars on a terminal.
    Terminal,
    /// Plain lines (a pipe, a log file).
    Plain,
    /// JSON lines.
    Json,
}

/// The printer, shared with the desk's event sink.
#[derive(Clone)]
pub struct Reporter {
    mode: Mode,
    state: Arc<Mutex<ReporterState>>,
}

#[derive(Default)]
struct ReporterState {
    bars: HashMap<(String, bool), ProgressBar>,
    last_flow: Option<FlowSnapshot>,
    last_state: Option<String>,
}

impl Reporter {
    pub fn new(json: bool) -> Self {
        let mode = if json {
            Mode::Json
        } else if std::io::stderr().is_terminal() {
            Mode::Terminal
        } else {
            Mode::Plain
        };
        Reporter {
            mode,
            state: Arc::default(),
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn state(&self) -> std::sync::MutexGuard<'_, ReporterState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The last flow snapshot an event carried (where things stand after an error).
    pub fn last_flow(&self) -> Option<FlowSnapshot> {
        self.state().last_flow.clone()
    }

    /// A JSON line (JSON mode only).
    pub fn json_line(&self, value: &impl Serialize) {
        if self.mode == Mode::Json {
            let mut out = std::io::stdout().lock();
            if let Ok(text) = serde_json::to_string(value) {
                let _ = writeln!(out, "{text}");
            }
            let _ = out.flush();
        }
    }

    /// A line for people (not in JSON mode), on standard error.
    pub fn info(&self, text: &str) {
        if self.mode != Mode::Json {
            self.suspend(|| eprintln!("{text}"));
        }
    }

    /// A result line for people, on standard output.
    pub fn result(&self, text: &str) {
        if self.mode != Mode::Json {
            self.suspend(|| println!("{text}"));
        }
    }

    /// The final outcome: a `result` JSON line, or text.
    pub fn outcome(&self, value: &impl Serialize, text: &str) {
        match self.mode {
            Mode::Json => self.json_line(&serde_json::json!({"type": "result", "result": value})),
            _ => self.result(text),
        }
    }

    /// An error: `error: CODE: message`, its detail, and where the flow stands.
    pub fn error(&self, error: &DeskError) {
        if self.mode == Mode::Json {
            self.json_line(&serde_json::json!({"type": "error", "error": error}));
            return;
        }
        self.clear_bars();
        eprintln!("error: {}: {}", error.code, error.message);
        if let Some(detail) = &error.detail {
            eprintln!("  detail: {detail}");
        }
    }

    fn suspend(&self, print: impl FnOnce()) {
        let state = self.state();
        match state.bars.values().next() {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    fn clear_bars(&self) {
        let mut state = self.state();
        for (_, bar) in state.bars.drain() {
            bar.finish_and_clear();
        }
    }

    /// Takes one of the desk's events.
    pub fn event(&self, event: DeskEvent) {
        if self.mode == Mode::Json {
            if let DeskEvent::FlowChanged { snapshot } = &event {
                self.state().last_flow = Some((**snapshot).clone());
            }
            self.json_line(&event);
            return;
        }
        match event {
            DeskEvent::FlowChanged { snapshot } => {
                let line = {
                    let mut state = self.state();
                    let name = snapshot.state.as_str().to_string();
                    let changed = state.last_state.as_deref() != Some(name.as_str());
                    state.last_state = Some(name.clone());
                    state.last_flow = Some((*snapshot).clone());
                    changed.then(|| {
                        let pk = snapshot
                            .request_pk
                            .map(|pk| format!(", request {pk}"))
                            .unwrap_or_default();
                        format!("flow {}{pk}: {name}", snapshot.id)
                    })
                };
                if let Some(line) = line {
                    self.info(&line);
                }
            }
            DeskEvent::Transfer(progress) => {
                let upload = progress.direction == TransferDirection::Upload;
                let verb = if upload { "upload" } else { "download" };
                let key = (progress.file.clone(), upload);
                let finished = progress.total.is_some_and(|t| progress.done >= t);
                match self.mode {
                    Mode::Terminal => {
                        let mut state = self.state();
                        let bar = state.bars.entry(key.clone()).or_insert_with(|| {
                            let bar = ProgressBar::new(progress.total.unwrap_or(0));
                            bar.set_style(
                                ProgressStyle::with_template(
                                    "{msg:30!} [{bar:30}] {bytes}/{total_bytes}",
                                )
                                .unwrap_or_else(|_| ProgressStyle::default_bar())
                                .progress_chars("=> "),
                            );
                            bar.set_message(format!("{verb} {}", progress.file));
                            bar
                        });
                        if let Some(total) = progress.total {
                            bar.set_length(total);
                        }
                        bar.set_position(progress.done);
                        if finished {
                            bar.finish_and_clear();
                            state.bars.remove(&key);
                        }
                    }
                    _ => {
                        if finished {
                            eprintln!("{verb} {}: {} bytes", progress.file, progress.done);
                        }
                    }
                }
            }
            DeskEvent::Notice(notice) => {
                if notice.code != "flow.file_saved" || self.mode == Mode::Plain {
                    self.info(&notice.message);
                }
            }
            DeskEvent::Webhook(webhook) => {
                self.info(&format!(
                    "webhook: request {} is {}",
                    webhook.request_pk, webhook.status
                ));
            }
        }
    }
}
