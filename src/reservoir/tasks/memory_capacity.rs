//! Linear memory capacity (Jaeger 2001): u ~ U[−1, 1] i.i.d.; one readout per delay
//! k = 1..K reconstructs u(t−k), and
//!
//! $MC = \sum_{k=1}^{K} r^2\big(u(t-k), \hat y_k(t)\big)$ on the test split.

use super::{uniform, Task, TaskData};
use crate::config::checks::count;
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryCapacity {
    /// Largest delay K.
    pub delays: usize,
}

/// The `[task]` keys memory capacity owns.
pub const KEYS: &[&str] = &["delays"];

pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(MemoryCapacity { delays: count("task.delays", raw.delays.unwrap_or(30), 1, 500)? }))
}

impl Task for MemoryCapacity {
    fn name(&self) -> &'static str {
        "memory_capacity"
    }
    fn input_range(&self) -> (f64, f64) {
        (-1.0, 1.0)
    }
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        let u = uniform(rng, steps, -1.0, 1.0);
        let y = (1..=self.delays).map(|k| (0..steps).map(|t| if t >= k { u[t - k] } else { 0.0 }).collect()).collect();
        let names = (1..=self.delays).map(|k| format!("delay_{k}")).collect();
        TaskData { u, y, names }
    }
    fn is_memory_capacity(&self) -> bool {
        true
    }
    fn warmup(&self) -> usize {
        self.delays
    }
    fn resolve(&self, t: &mut RawTask) {
        t.delays = Some(self.delays as i64);
    }
}
