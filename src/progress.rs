//! Progress bars on stderr (indicatif), shown only once a run has taken more than a second
//! and never with `--quiet`. `inc` takes `&self`, so parallel workers can share one bar.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    quiet: bool,
    shown: AtomicBool,
}

impl Progress {
    pub fn new(total: u64, what: &str, quiet: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(&format!(
            "{what} {{bar:40}} {{pos}}/{{len}} [{{elapsed_precise}} < {{eta_precise}}]"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress { bar, start: Instant::now(), quiet, shown: AtomicBool::new(false) }
    }

    pub fn inc(&self, k: u64) {
        self.bar.inc(k);
        if !self.quiet && !self.shown.load(Ordering::Relaxed) && self.start.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown.store(true, Ordering::Relaxed);
        }
    }

    pub fn finish(&self) {
        if self.shown.load(Ordering::Relaxed) {
            self.bar.finish();
        }
    }
}

/// Something told how much work a call has and how it advances: the Python package's
/// progress callbacks and interrupt checks. Library calls take one beside their own bar.
pub trait Watch: Sync {
    /// The call has `n` units of work in all.
    fn total(&self, _n: u64) {}
    /// `k` more units are done.
    fn inc(&self, k: u64);
}

/// A [`Watch`] that ignores everything.
pub struct Unwatched;

impl Watch for Unwatched {
    fn inc(&self, _k: u64) {}
}
