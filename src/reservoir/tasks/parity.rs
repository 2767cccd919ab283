//! Temporal parity: binary inputs u(t) ∈ {0, 1} i.i.d. (p = ½); target the XOR of the last n
//! inputs, y(t) = u(t) ⊕ u(t−1) ⊕ … ⊕ u(t−n+1).

use super::{Task, TaskData};
use crate::config::checks::count;
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parity {
    /// Inputs in the XOR, n ≥ 1.
    pub order: usize,
}

/// The `[task]` keys parity owns.
pub const KEYS: &[&str] = &["order"];

pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(Parity { order: count("task.order", raw.order.unwrap_or(3), 1, 64)? }))
}

impl Task for Parity {
    fn name(&self) -> &'static str {
        "parity"
    }
    fn input_range(&self) -> (f64, f64) {
        (0.0, 1.0)
    }
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        let u: Vec<f64> = (0..steps).map(|_| if rng.random_bool(0.5) { 1.0 } else { 0.0 }).collect();
        let y = (0..steps)
            .map(|t| {
                let ones = (0..self.order).filter(|&i| i <= t && u[t - i] > 0.5).count();
                (ones % 2) as f64
            })
            .collect();
        TaskData { u, y: vec![y], names: vec!["y".into()] }
    }
    fn warmup(&self) -> usize {
        self.order - 1
    }
    fn resolve(&self, t: &mut RawTask) {
        t.order = Some(self.order as i64);
    }
}
