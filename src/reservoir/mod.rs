//! Reservoir computing: a driven system whose state, read after each input, feeds a trained
//! linear readout.
//!
//! Data flow of `nanomag run` ([`experiment`]): task (inputs u, targets y) → inputs scaled to
//! [0, 1] by the task's range → [`Reservoir`] (the magnet array driven through an
//! [`encoder`], or a software baseline) → states → features ([1; u; x], washout dropped) →
//! [`readout`] (ridge, λ on the validation split) → [`metrics`] → results and figures.
//! Every stage sits behind a small trait with one file per kind.

pub mod baselines;
pub mod characterise;
pub mod config;
pub mod cost;
pub mod encoder;
pub mod experiment;
pub mod features;
pub mod magnets;
pub mod metrics;
pub mod network;
pub mod output;
pub mod readout;
pub mod repeats;
pub mod sensors;
pub mod tasks;

use crate::error::Error;

/// The reservoir states of a run: one row of `width` values per input step (row-major).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct States {
    pub width: usize,
    pub rows: Vec<f64>,
    /// Magnet reservoirs: cumulative (W_ext, Q) in J at the end of each input step.
    pub energy: Vec<(f64, f64)>,
    /// Deferred feature kinds (spectra): what the probes of each step cost.
    pub probes: Vec<features::ProbeCost>,
}

impl States {
    pub fn steps(&self) -> usize {
        self.rows.len().checked_div(self.width).unwrap_or(0)
    }
    pub fn row(&self, t: usize) -> &[f64] {
        &self.rows[t * self.width..(t + 1) * self.width]
    }
}

/// A reservoir driven by a scaled input sequence s(t) ∈ [0, 1].
pub trait Reservoir: Send {
    /// One line for summaries and logs.
    fn describe(&self) -> String;
    /// State values per input step.
    fn width(&self) -> usize;
    /// Runs the whole sequence; `progress(k)` is told each time k more steps are done.
    fn run(&mut self, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<States, Error>;
}
