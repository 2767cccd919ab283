//! Signal transformation of the multilayer spin-reservoir work: input u(t) = sin(ωt),
//! target y(t) = cos(2ωt)·sin(3ωt), ω = 2π/P with P the period in steps (a product of
//! harmonics the input does not contain: the reservoir must make them).

use super::{Task, TaskData};
use crate::config::checks::in_range;
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;
use std::f64::consts::TAU;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalTransform {
    /// Period P of the input in steps.
    pub period: f64,
}

pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(SignalTransform { period: in_range("task.period", raw.period.unwrap_or(20.0), 4.0, 1e4, "steps")? }))
}

impl Task for SignalTransform {
    fn name(&self) -> &'static str {
        "signal_transform"
    }
    fn input_range(&self) -> (f64, f64) {
        (-1.0, 1.0)
    }
    /// Deterministic: the seed is not used.
    fn generate(&self, steps: usize, _rng: &mut ChaCha8Rng) -> TaskData {
        let w = TAU / self.period;
        let u = (0..steps).map(|t| (w * t as f64).sin()).collect();
        let y = (0..steps).map(|t| (2.0 * w * t as f64).cos() * (3.0 * w * t as f64).sin()).collect();
        TaskData { u, y: vec![y], names: vec!["y".into()] }
    }
}
