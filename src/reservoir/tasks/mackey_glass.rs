//! Mackey–Glass chaotic series (τ = 17):
//!
//! $\dot x = 0.2\,x(t-17)/(1 + x(t-17)^{10}) - 0.1\,x(t)$,
//!
//! integrated with classical RK4 at h = 1; the delayed value at the half steps is the linear
//! interpolation of the stored grid (the usual choice at h = 1). Sampled every `subsample`
//! RK4 steps; input u(t) = x(t), target x(t + horizon).
//!
//! **What the seed changes**: the start on the attractor. The history x(−17 … 0) on the grid
//! is drawn i.i.d. uniform on [0.5, 1.3] from the task seed, the equation is integrated for
//! `transient` samples (default 1000) that are discarded, and the series starts there; two
//! seeds give two different stretches of the attractor. [`series`] keeps the literature's
//! constant history x(t ≤ 0) = 1.2 (used by the tests of the integrator).

use super::{uniform, Task, TaskData};
use crate::config::checks::count;
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;

/// Delay τ in RK4 steps (h = 1).
pub const TAU: usize = 17;
/// Initial value and constant history.
pub const X0: f64 = 1.2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MackeyGlass {
    /// RK4 steps per sample (≥ 1).
    pub subsample: usize,
    /// Prediction horizon in samples (≥ 1).
    pub horizon: usize,
    /// Samples integrated from the seeded history and discarded before t = 0.
    pub transient: usize,
}

/// The `[task]` keys Mackey–Glass owns.
pub const KEYS: &[&str] = &["subsample", "horizon", "transient"];

pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(MackeyGlass {
        subsample: count("task.subsample", raw.subsample.unwrap_or(1), 1, 100)?,
        horizon: count("task.horizon", raw.horizon.unwrap_or(1), 1, 1000)?,
        transient: count("task.transient", raw.transient.unwrap_or(1000), 0, 1_000_000)?,
    }))
}

/// $f(x, x_\tau) = 0.2\,x_\tau/(1 + x_\tau^{10}) - 0.1\,x$.
pub fn rate(x: f64, x_tau: f64) -> f64 {
    0.2 * x_tau / (1.0 + x_tau.powi(10)) - 0.1 * x
}

/// x(0), x(1), …, x(n−1) on the unit grid by RK4 (h = 1) from the constant history
/// x(t ≤ 0) = X0.
pub fn series(n: usize) -> Vec<f64> {
    series_from(&[X0; TAU + 1], n)
}

/// x(0), x(1), …, x(n−1) on the unit grid by RK4 (h = 1) from the history
/// `history[k] = x(k − τ)`, k = 0 … τ (so `history[τ]` = x(0)).
pub fn series_from(history: &[f64; TAU + 1], n: usize) -> Vec<f64> {
    let mut x = Vec::with_capacity(n);
    x.push(history[TAU]);
    let at = |x: &[f64], k: i64| if k <= 0 { history[(k + TAU as i64) as usize] } else { x[k as usize] };
    while x.len() < n {
        let t = (x.len() - 1) as i64;
        let xt = x[t as usize];
        let d0 = at(&x, t - TAU as i64);
        let d1 = at(&x, t + 1 - TAU as i64);
        let dh = 0.5 * (d0 + d1);
        let k1 = rate(xt, d0);
        let k2 = rate(xt + 0.5 * k1, dh);
        let k3 = rate(xt + 0.5 * k2, dh);
        let k4 = rate(xt + k3, d1);
        x.push(xt + (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0);
    }
    x
}

impl Task for MackeyGlass {
    fn name(&self) -> &'static str {
        "mackey_glass"
    }
    /// The attractor stays within about [0.2, 1.4] (x0 = 1.2 included).
    fn input_range(&self) -> (f64, f64) {
        (0.2, 1.4)
    }
    /// From a seeded history, after the discarded transient.
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        let mut history = [0.0; TAU + 1];
        history.copy_from_slice(&uniform(rng, TAU + 1, 0.5, 1.3));
        let fine = series_from(&history, (self.transient + steps + self.horizon) * self.subsample);
        let x: Vec<f64> = fine.iter().step_by(self.subsample).skip(self.transient).copied().collect();
        let u = x[..steps].to_vec();
        let y = x[self.horizon..self.horizon + steps].to_vec();
        TaskData { u, y: vec![y], names: vec!["y".into()] }
    }
    fn resolve(&self, t: &mut RawTask) {
        (t.subsample, t.horizon, t.transient) =
            (Some(self.subsample as i64), Some(self.horizon as i64), Some(self.transient as i64));
    }
}
