//! Classical fixed-step Runge–Kutta 4 (deterministic):
//! $y \leftarrow y + \tfrac h6 (k_1 + 2k_2 + 2k_3 + k_4)$, unit vectors renormalised after
//! every step.

use super::{Counters, FixedStep, OdeSystem};

#[derive(Clone)]
pub struct Rk4 {
    dt: f64,
    k: [Vec<f64>; 4],
    tmp: Vec<f64>,
    counters: Counters,
}

/// Largest |m| drift tolerated in one fixed step before renormalising.
pub const STEP_DRIFT_TOL: f64 = 1e-3;

impl Rk4 {
    pub fn new(dt: f64) -> Self {
        Rk4 { dt, k: Default::default(), tmp: Vec::new(), counters: Counters::default() }
    }
}

impl FixedStep for Rk4 {
    fn name(&self) -> &'static str {
        "rk4"
    }
    fn dt(&self) -> f64 {
        self.dt
    }
    fn drift_tol(&self) -> f64 {
        STEP_DRIFT_TOL
    }
    fn counters(&self) -> Counters {
        self.counters
    }
    fn counters_mut(&mut self) -> &mut Counters {
        &mut self.counters
    }
    fn step(&mut self, sys: &dyn OdeSystem, t: f64, h: f64, y: &mut [f64]) -> u64 {
        for v in self.k.iter_mut().chain([&mut self.tmp]) {
            v.resize(y.len(), 0.0);
        }
        let [k1, k2, k3, k4] = &mut self.k;
        sys.rhs(t, y, k1, None);
        for (i, x) in self.tmp.iter_mut().enumerate() {
            *x = y[i] + 0.5 * h * k1[i];
        }
        sys.rhs(t + 0.5 * h, &self.tmp, k2, None);
        for (i, x) in self.tmp.iter_mut().enumerate() {
            *x = y[i] + 0.5 * h * k2[i];
        }
        sys.rhs(t + 0.5 * h, &self.tmp, k3, None);
        for (i, x) in self.tmp.iter_mut().enumerate() {
            *x = y[i] + h * k3[i];
        }
        sys.rhs(t + h, &self.tmp, k4, None);
        for i in 0..y.len() {
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
        4
    }
}
