//! Waveform transformation: input u(t) = sin(2π(t + φ)/P), target the square wave of the same
//! phase, y(t) = +1 for ((t + φ) mod P) < P/2, else −1. The seed draws the phase offset
//! φ ~ U[0, P) steps.

use super::{Task, TaskData};
use crate::config::checks::in_range;
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;

/// The `[task]` keys sine → square owns.
pub const KEYS: &[&str] = &["period"];

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SineSquare {
    /// Period P in steps.
    pub period: f64,
}

pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(SineSquare { period: in_range("task.period", raw.period.unwrap_or(8.0), 2.0, 1e4, "steps")? }))
}

impl Task for SineSquare {
    fn name(&self) -> &'static str {
        "sine_square"
    }
    fn input_range(&self) -> (f64, f64) {
        (-1.0, 1.0)
    }
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        let p = self.period;
        let phi = rng.random_range(0.0..p);
        let u = (0..steps).map(|t| (TAU * (t as f64 + phi) / p).sin()).collect();
        let y = (0..steps).map(|t| if (t as f64 + phi).rem_euclid(p) < 0.5 * p { 1.0 } else { -1.0 }).collect();
        TaskData { u, y: vec![y], names: vec!["y".into()] }
    }
    fn resolve(&self, t: &mut RawTask) {
        t.period = Some(self.period);
    }
}
