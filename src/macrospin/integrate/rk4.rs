//! Classical fixed-step Runge–Kutta 4 (deterministic), m renormalised after every step.

use super::{fixed_steps, renormalise, Emit, Integrator};
use crate::error::Error;
use crate::macrospin::MacrospinArray;

pub struct Rk4 {
    dt: f64,
    k: [Vec<f64>; 4],
    tmp: Vec<f64>,
    b: Vec<f64>,
    evals: u64,
}

/// Largest |m| drift tolerated in one fixed step before renormalising.
pub const STEP_DRIFT_TOL: f64 = 1e-3;

impl Rk4 {
    pub fn new(dt: f64) -> Self {
        Rk4 { dt, k: Default::default(), tmp: Vec::new(), b: Vec::new(), evals: 0 }
    }
}

impl Integrator for Rk4 {
    fn name(&self) -> &'static str {
        "rk4"
    }
    fn evaluations(&self) -> u64 {
        self.evals
    }
    fn advance(&mut self, sys: &MacrospinArray, t0: f64, y: &mut [f64], h_out: f64, n: usize, emit: &mut Emit) -> Result<(), Error> {
        let len = y.len();
        for v in self.k.iter_mut().chain([&mut self.tmp]) {
            v.resize(len, 0.0);
        }
        self.b.resize(3 * sys.n, 0.0);
        let (steps, h) = fixed_steps(h_out, self.dt);
        let advice = "reduce solver.dt";
        for out in 0..n {
            let t_start = t0 + out as f64 * h_out;
            for s in 0..steps {
                let t = t_start + s as f64 * h;
                let [k1, k2, k3, k4] = &mut self.k;
                sys.rhs(t, y, k1, &mut self.b, None);
                for (i, x) in self.tmp.iter_mut().enumerate() {
                    *x = y[i] + 0.5 * h * k1[i];
                }
                sys.rhs(t + 0.5 * h, &self.tmp, k2, &mut self.b, None);
                for (i, x) in self.tmp.iter_mut().enumerate() {
                    *x = y[i] + 0.5 * h * k2[i];
                }
                sys.rhs(t + 0.5 * h, &self.tmp, k3, &mut self.b, None);
                for (i, x) in self.tmp.iter_mut().enumerate() {
                    *x = y[i] + h * k3[i];
                }
                sys.rhs(t + h, &self.tmp, k4, &mut self.b, None);
                for i in 0..len {
                    y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
                }
                self.evals += 4;
                renormalise(y, sys.n, t + h, STEP_DRIFT_TOL, advice)?;
            }
            emit(t0 + (out + 1) as f64 * h_out, y)?;
        }
        Ok(())
    }
}
