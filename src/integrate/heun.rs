//! Stochastic Heun scheme (Stratonovich), the standard integrator of the stochastic LLG
//! equation: with the noise term ξ drawn once per step and held fixed,
//!
//! $$ \tilde y = y + h f(t, y; \xi), \qquad y \leftarrow y + \tfrac h2 \left[f(t, y; \xi) + f(t+h, \tilde y; \xi)\right], $$
//!
//! unit vectors renormalised after the step. Without noise it is the deterministic
//! second-order Heun method.

use super::{Counters, FixedStep, Noise, OdeSystem};

/// Largest |m| drift tolerated in one step. Thermal kicks of several σ legitimately move |m|
/// by ~(γ B_th Δt)²/2 before renormalisation, so this is looser than rk4's.
pub const STEP_DRIFT_TOL: f64 = 0.05;

#[derive(Clone)]
pub struct Heun {
    dt: f64,
    noise: Option<Box<dyn Noise>>,
    k1: Vec<f64>,
    k2: Vec<f64>,
    tmp: Vec<f64>,
    xi: Vec<f64>,
    counters: Counters,
}

impl Heun {
    /// A Heun stepper of nominal step `dt` (s), with an optional noise source.
    pub fn new(dt: f64, noise: Option<Box<dyn Noise>>) -> Self {
        Heun {
            dt,
            noise,
            k1: Vec::new(),
            k2: Vec::new(),
            tmp: Vec::new(),
            xi: Vec::new(),
            counters: Counters::default(),
        }
    }
}

impl FixedStep for Heun {
    fn name(&self) -> &'static str {
        "heun"
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
    /// Predictor ỹ = y + h f(y), corrector y ← y + h/2 (f(y) + f(ỹ)), one noise draw.
    fn step(&mut self, sys: &dyn OdeSystem, t: f64, h: f64, y: &mut [f64]) -> u64 {
        for v in [&mut self.k1, &mut self.k2, &mut self.tmp] {
            v.resize(y.len(), 0.0);
        }
        let noise = match self.noise.as_mut() {
            Some(src) => {
                self.xi.resize(3 * sys.vectors(), 0.0);
                src.draw(h, &mut self.xi);
                Some(&self.xi[..])
            }
            None => None,
        };
        sys.rhs(t, y, &mut self.k1, noise);
        for (i, x) in self.tmp.iter_mut().enumerate() {
            *x = y[i] + h * self.k1[i];
        }
        sys.rhs(t + h, &self.tmp, &mut self.k2, noise);
        for ((yi, a), b) in y.iter_mut().zip(&self.k1).zip(&self.k2) {
            *yi += 0.5 * h * (a + b);
        }
        2
    }
}
