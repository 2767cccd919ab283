//! NARMA tasks (nonlinear autoregressive moving average), u ~ U[0, 0.5] i.i.d.:
//!
//! NARMA10: $y(t+1) = 0.3\,y(t) + 0.05\,y(t)\sum_{i=0}^{9} y(t-i) + 1.5\,u(t-9)\,u(t) + 0.1$
//!
//! NARMA2: $y(t+1) = 0.4\,y(t) + 0.4\,y(t)\,y(t-1) + 0.6\,u(t)^3 + 0.1$
//!
//! with y = 0 and u = 0 before t = 0. The target after input u(t) is y(t+1).
//!
//! NARMA10 is not stable for every input sequence (a rare run of large inputs makes it
//! diverge, more often the longer the series). As is usual, a sequence whose y leaves
//! [0, 1] is rejected and the next one is drawn from the same seeded stream, so a seed still
//! names one series; the targets are always the exact recursion of the inputs given.

use super::{uniform, Task, TaskData};
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Narma {
    /// 10 or 2.
    pub order: usize,
}

pub fn narma10(_raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(Narma { order: 10 }))
}

pub fn narma2(_raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    Ok(Box::new(Narma { order: 2 }))
}

/// The NARMA series y(1..=n) driven by u(0..n), as `y[t]` = y(t+1).
pub fn narma_series(order: usize, u: &[f64]) -> Vec<f64> {
    let n = u.len();
    // y_hist[t] = y(t), y(0) = 0.
    let mut yh = vec![0.0; n + 1];
    for t in 0..n {
        let y = yh[t];
        yh[t + 1] = if order == 10 {
            let sum: f64 = (0..10).filter(|&i| i <= t).map(|i| yh[t - i]).sum();
            let u9 = if t >= 9 { u[t - 9] } else { 0.0 };
            0.3 * y + 0.05 * y * sum + 1.5 * u9 * u[t] + 0.1
        } else {
            let y1 = if t >= 1 { yh[t - 1] } else { 0.0 };
            0.4 * y + 0.4 * y * y1 + 0.6 * u[t].powi(3) + 0.1
        };
    }
    yh[1..].to_vec()
}

impl Task for Narma {
    fn name(&self) -> &'static str {
        if self.order == 10 {
            "narma10"
        } else {
            "narma2"
        }
    }
    fn input_range(&self) -> (f64, f64) {
        (0.0, 0.5)
    }
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        loop {
            let u = uniform(rng, steps, 0.0, 0.5);
            let y = narma_series(self.order, &u);
            if y.iter().all(|v| (0.0..=1.0).contains(v)) {
                return TaskData { u, y: vec![y], names: vec!["y".into()] };
            }
        }
    }
    fn warmup(&self) -> usize {
        self.order
    }
}
