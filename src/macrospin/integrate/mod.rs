//! Time steppers for the macrospin state y = [m (3N), W_ext/e_ref, Q/e_ref], one per file:
//! adaptive Dormand–Prince 5(4) via ode_solvers ([`dopri5`]), classical Runge–Kutta 4
//! ([`rk4`]) and stochastic Heun ([`heun`], Stratonovich; used for T > 0).

pub mod dopri5;
pub mod heun;
pub mod rk4;

use super::MacrospinArray;
use crate::config::{Method, Solver, Temperature};
use crate::error::{Error, NumericalError};

/// Called after each output interval with (t, y).
pub type Emit<'a> = dyn FnMut(f64, &[f64]) -> Result<(), Error> + 'a;

/// A time stepper.
pub trait Integrator: Send {
    fn name(&self) -> &'static str;
    /// Advances y from t0 through `n` output intervals of length `h_out` (s), calling `emit`
    /// after each with the time and the (normalised) state.
    fn advance(
        &mut self,
        sys: &MacrospinArray,
        t0: f64,
        y: &mut [f64],
        h_out: f64,
        n: usize,
        emit: &mut Emit,
    ) -> Result<(), Error>;
    /// Right-hand-side evaluations so far.
    fn evaluations(&self) -> u64;
}

/// The integrator a validated solver section asks for.
pub fn from_config(solver: &Solver, temperature: &Temperature, sys: &MacrospinArray) -> Box<dyn Integrator> {
    match solver.method {
        Method::Dopri5 => Box::new(dopri5::Dopri5::new(solver.rtol, solver.atol)),
        Method::Rk4 => Box::new(rk4::Rk4::new(solver.dt)),
        Method::Heun => Box::new(heun::Heun::new(solver.dt, temperature, sys)),
    }
}

/// Renormalises every m_i to unit length, failing if one is not finite or has drifted from 1
/// by more than `tol` (the step was too coarse for the dynamics).
pub fn renormalise(y: &mut [f64], n: usize, t: f64, tol: f64, advice: &str) -> Result<(), NumericalError> {
    for i in 0..n {
        let s = &mut y[3 * i..3 * i + 3];
        let norm = (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]).sqrt();
        if !norm.is_finite() {
            return Err(NumericalError {
                t,
                what: format!("m of island {i} is not finite (NaN or infinite)"),
                advice: advice.into(),
            });
        }
        if (norm - 1.0).abs() > tol {
            return Err(NumericalError {
                t,
                what: format!("|m| of island {i} drifted to {norm:.6} (allowed 1 ± {tol:e})"),
                advice: advice.into(),
            });
        }
        s.iter_mut().for_each(|c| *c /= norm);
    }
    let tail = &y[3 * n..];
    if tail.iter().any(|x| !x.is_finite()) {
        return Err(NumericalError { t, what: "the energy bookkeeping is not finite".into(), advice: advice.into() });
    }
    Ok(())
}

/// A fixed-step scheme: one step of length h from time t, in place.
pub trait FixedStep: Send {
    fn name(&self) -> &'static str;
    /// Requested step (s).
    fn dt(&self) -> f64;
    /// Largest |m| drift tolerated in one step before renormalising.
    fn drift_tol(&self) -> f64;
    /// Sizes the scratch buffers for a state of `len` values and `n` islands.
    fn prepare(&mut self, len: usize, n: usize);
    /// Advances y by one step; returns the right-hand-side evaluations it made.
    fn step(&mut self, sys: &MacrospinArray, t: f64, h: f64, y: &mut [f64]) -> u64;
    fn evaluations(&self) -> u64;
    fn add_evaluations(&mut self, k: u64);
}

impl<S: FixedStep> Integrator for S {
    fn name(&self) -> &'static str {
        FixedStep::name(self)
    }
    fn evaluations(&self) -> u64 {
        FixedStep::evaluations(self)
    }
    /// Whole steps fill each output interval; m is renormalised after every step.
    fn advance(
        &mut self,
        sys: &MacrospinArray,
        t0: f64,
        y: &mut [f64],
        h_out: f64,
        n: usize,
        emit: &mut Emit,
    ) -> Result<(), Error> {
        self.prepare(y.len(), sys.n);
        let (steps, h) = fixed_steps(h_out, self.dt());
        for out in 0..n {
            let t_start = t0 + out as f64 * h_out;
            for s in 0..steps {
                let t = t_start + s as f64 * h;
                let k = self.step(sys, t, h, y);
                self.add_evaluations(k);
                renormalise(y, sys.n, t + h, self.drift_tol(), "reduce solver.dt")?;
            }
            emit(t0 + (out + 1) as f64 * h_out, y)?;
        }
        Ok(())
    }
}

/// Number of fixed steps per output interval and their length: the requested step is
/// shortened so that a whole number of steps fills the interval exactly.
pub fn fixed_steps(h_out: f64, dt: f64) -> (usize, f64) {
    let k = ((h_out / dt) * (1.0 - 1e-12)).ceil().max(1.0) as usize;
    (k, h_out / k as f64)
}
