//! The worker's pending work, by class: interactive commands (opens, visible renders, text) in
//! arrival order, then prefetches (newest first: the reader's latest position matters most, and
//! a bounded list forgets pages long scrolled past), then background search steps.

use super::commands::{Command, RenderJob, SearchJob};
use std::collections::VecDeque;

/// Prefetches kept at most; older ones are forgotten.
const MAX_PREFETCHES: usize = 32;

#[derive(Default)]
pub(crate) struct WorkQueue {
    interactive: VecDeque<Command>,
    prefetch: VecDeque<RenderJob>,
    background: VecDeque<SearchJob>,
}

impl WorkQueue {
    pub fn push(&mut self, command: Command) {
        match command {
            Command::Render(job) if job.is_prefetch() => self.push_prefetch(job),
            Command::Search(job) => self.background.push_back(job),
            other => self.interactive.push_back(other),
        }
    }

    pub fn push_prefetch(&mut self, job: RenderJob) {
        self.prefetch.push_front(job);
        self.prefetch.truncate(MAX_PREFETCHES);
    }

    /// Search steps go to the back, so several searches share the time.
    pub fn push_search(&mut self, job: SearchJob) {
        self.background.push_back(job);
    }

    pub fn pop(&mut self) -> Option<Command> {
        self.interactive
            .pop_front()
            .or_else(|| self.prefetch.pop_front().map(Command::Render))
            .or_else(|| self.background.pop_front().map(Command::Search))
    }

    /// Whether a command of a higher class than background work is waiting.
    pub fn has_foreground(&self) -> bool {
        !self.interactive.is_empty() || !self.prefetch.is_empty()
    }
}
