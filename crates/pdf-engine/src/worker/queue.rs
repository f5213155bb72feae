//! The worker's pending work, by class: interactive commands (opens, visible renders, text) in
//! arrival order, then prefetches (newest first: the reader's latest position matters most, and
//! a bounded list forgets pages long scrolled past), then background steps (searches, page
//! sizes). Among interactive commands, renders of pages a viewer has on screen (its focus) go
//! first: pages the reader scrolled past may still be queued ahead of them.

use super::commands::{Command, RenderJob, SearchJob, SizesJob};
use crate::document_id::DocumentId;
use std::collections::{HashMap, VecDeque};
use std::ops::RangeInclusive;

/// Prefetches kept at most; older ones are forgotten.
const MAX_PREFETCHES: usize = 32;

#[derive(Default)]
pub(crate) struct WorkQueue {
    interactive: VecDeque<Command>,
    prefetch: VecDeque<RenderJob>,
    background: VecDeque<Background>,
    focus: HashMap<DocumentId, RangeInclusive<u32>>,
}

/// Work done a slice at a time, after everything else.
pub(crate) enum Background {
    Search(SearchJob),
    Sizes(SizesJob),
}

impl WorkQueue {
    pub fn push(&mut self, command: Command) {
        match command {
            Command::Render(job) if job.is_prefetch() => self.push_prefetch(job),
            Command::Search(job) => self.background.push_back(Background::Search(job)),
            Command::PageSizeRange(job) => self.background.push_back(Background::Sizes(job)),
            Command::Focus { id, pages } => {
                self.focus.insert(id, pages);
            }
            Command::Close { id } => {
                self.focus.remove(&id);
                self.interactive.push_back(Command::Close { id });
            }
            other => self.interactive.push_back(other),
        }
    }

    pub fn push_prefetch(&mut self, job: RenderJob) {
        self.prefetch.push_front(job);
        self.prefetch.truncate(MAX_PREFETCHES);
    }

    /// Unfinished background work goes to the back, so several jobs share the time.
    pub fn push_background(&mut self, job: Background) {
        self.background.push_back(job);
    }

    /// The next foreground command; background work comes from [`Self::pop_background`].
    pub fn pop(&mut self) -> Option<Command> {
        let focused = self.interactive.iter().position(|command| {
            matches!(command, Command::Render(job)
                if self.focus.get(&job.id).is_some_and(|pages| pages.contains(&job.request.page)))
        });
        match focused {
            Some(index) => self.interactive.remove(index),
            None => self.interactive.pop_front(),
        }
        .or_else(|| self.prefetch.pop_front().map(Command::Render))
    }

    pub fn pop_background(&mut self) -> Option<Background> {
        self.background.pop_front()
    }

    /// Whether a command of a higher class than background work is waiting.
    pub fn has_foreground(&self) -> bool {
        !self.interactive.is_empty() || !self.prefetch.is_empty()
    }
}
