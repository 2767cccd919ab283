//! Delay line (linear shift register): the state after input s(t) is the k previous inputs
//! [s(t−1), …, s(t−k)] (0 before the start). With the current input added as a feature, a
//! linear readout of it is the best linear filter of order k; its memory capacity is k.

use super::Software;
use crate::config::checks::count;
use crate::config::raw_run::RawReservoir;
use crate::error::{ConfigError, Error};
use crate::reservoir::{Reservoir, States};
use std::sync::Arc;

/// The `[reservoir]` keys a delay line owns.
pub const KEYS: &[&str] = &["taps"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayLine {
    /// Taps k ≥ 1.
    pub taps: usize,
}

/// `reservoir.taps` (default 10).
pub fn from_config(raw: &RawReservoir, _seed: u64, res: &mut RawReservoir) -> Result<Arc<dyn Software>, ConfigError> {
    let taps = count("reservoir.taps", raw.taps.unwrap_or(10), 1, 100_000)?;
    res.taps = Some(taps as i64);
    Ok(Arc::new(DelayLine { taps }))
}

impl Software for DelayLine {
    fn kind(&self) -> &'static str {
        "delay_line"
    }
    fn build(&self) -> Box<dyn Reservoir> {
        Box::new(self.clone())
    }
    fn width(&self) -> usize {
        self.taps
    }
    /// A shift register does no arithmetic.
    fn macs_per_step(&self) -> f64 {
        0.0
    }
    fn bits(&self) -> f64 {
        32.0 * self.taps as f64
    }
}

impl Reservoir for DelayLine {
    fn describe(&self) -> String {
        format!("delay_line ({} taps)", self.taps)
    }
    fn width(&self) -> usize {
        self.taps
    }
    fn run(&mut self, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<States, Error> {
        let k = self.taps;
        let mut rows = Vec::with_capacity(s.len() * k);
        for t in 0..s.len() {
            rows.extend((1..=k).map(|d| if t >= d { s[t - d] } else { 0.0 }));
        }
        progress(s.len() as u64);
        Ok(States { width: k, rows, ..Default::default() })
    }
}
