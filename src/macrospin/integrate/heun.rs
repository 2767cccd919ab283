//! Stochastic Heun scheme (Stratonovich), the standard integrator of the stochastic LLG
//! equation: with the thermal field B_th drawn once per step and held fixed,
//!
//! ỹ = y + h f(t, y; B_th),  y ← y + (h/2) [f(t, y; B_th) + f(t+h, ỹ; B_th)],  m ← m/|m|.
//!
//! At T = 0 it is the deterministic second-order Heun method.

use super::FixedStep;
use crate::config::Temperature;
use crate::macrospin::terms::thermal::Thermal;
use crate::macrospin::MacrospinArray;

/// Largest |m| drift tolerated in one step. Thermal kicks of several σ legitimately move |m|
/// by ~(γ B_th Δt)²/2 before renormalisation, so this is looser than rk4's.
pub const STEP_DRIFT_TOL: f64 = 0.05;

pub struct Heun {
    dt: f64,
    thermal: Option<Thermal>,
    k1: Vec<f64>,
    k2: Vec<f64>,
    tmp: Vec<f64>,
    noise: Vec<f64>,
    evals: u64,
}

impl Heun {
    pub fn new(dt: f64, temperature: &Temperature, sys: &MacrospinArray) -> Self {
        let thermal = (temperature.t > 0.0)
            .then(|| Thermal::new(temperature.t, sys.alpha, sys.ms, &sys.volume, temperature.seed));
        Heun { dt, thermal, k1: Vec::new(), k2: Vec::new(), tmp: Vec::new(), noise: Vec::new(), evals: 0 }
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
    fn evaluations(&self) -> u64 {
        self.evals
    }
    fn add_evaluations(&mut self, k: u64) {
        self.evals += k;
    }
    fn prepare(&mut self, len: usize, n: usize) {
        for v in [&mut self.k1, &mut self.k2, &mut self.tmp] {
            v.resize(len, 0.0);
        }
        self.noise.resize(3 * n, 0.0);
    }
    /// Predictor ỹ = y + h f(y), corrector y ← y + h/2 (f(y) + f(ỹ)), one thermal draw.
    fn step(&mut self, sys: &MacrospinArray, t: f64, h: f64, y: &mut [f64]) -> u64 {
        let noise = match self.thermal.as_mut() {
            Some(th) => {
                th.draw(h, &mut self.noise);
                Some(&self.noise[..])
            }
            None => None,
        };
        sys.rhs(t, y, &mut self.k1, noise);
        for (i, x) in self.tmp.iter_mut().enumerate() {
            *x = y[i] + h * self.k1[i];
        }
        sys.rhs(t + h, &self.tmp, &mut self.k2, noise);
        for i in 0..y.len() {
            y[i] += 0.5 * h * (self.k1[i] + self.k2[i]);
        }
        2
    }
}
