//! Time steppers for y' = f(t, y), knowing nothing of physics (magnum.np's split: one
//! right-hand side, many solvers). The state is y = [v_0, …, v_{n−1}, extra…]: the first n
//! triples are unit vectors, renormalised after every step (a zero vector, such as an empty
//! cell, stays zero), and the extra values are integrated freely (the engines carry their
//! energy bookkeeping there). One file per method:
//! - [`dopri5`]: adaptive Dormand–Prince 5(4) from the ode_solvers crate (rtol/atol, dense
//!   output);
//! - [`rk45`]: adaptive Dormand–Prince 5(4) with MuMax3's error norm, max_i |Δv_i|, stopping
//!   at every breakpoint (where f may jump);
//! - [`rk4`]: classical fixed-step Runge–Kutta 4;
//! - [`heun`]: fixed-step stochastic Heun (Stratonovich), with a [`Noise`] term held fixed
//!   during each step.
//!
//! Fixed-step methods fill each output interval with whole steps no longer than the requested
//! one.

pub mod dopri5;
pub mod heun;
pub mod rk4;
pub mod rk45;

use crate::error::{Error, NumericalError};

/// A right-hand side: dy/dt = f(t, y; noise).
pub trait OdeSystem: Sync {
    /// Length of y.
    fn dim(&self) -> usize;
    /// Unit 3-vectors at the front of y.
    fn vectors(&self) -> usize;
    /// dy/dt at (t, y) into `dy`. `noise` (3 per vector), when given, is a random term held
    /// fixed during the step (stochastic schemes).
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64], noise: Option<&[f64]>);
}

/// The random term of a stochastic scheme, drawn afresh for each step.
pub trait Noise: Send + Sync {
    /// Fills `out` (3 per vector) for a step of length `h` (s).
    fn draw(&mut self, h: f64, out: &mut [f64]);
    fn clone_box(&self) -> Box<dyn Noise>;
}

/// Called after each output interval with (t, y).
pub type Emit<'a> = dyn FnMut(f64, &[f64]) -> Result<(), Error> + 'a;

/// A time stepper. Its internal state (step size, random stream, counters) is part of the
/// state that [`Integrator::clone_box`] copies, so a saved run continues bit for bit.
pub trait Integrator: Send + Sync {
    fn name(&self) -> &'static str;
    /// Advances y from `t0` through `n` output intervals of length `h_out` (s), calling `emit`
    /// after each with the time and the (normalised) state. `breaks` are sorted times where f
    /// may jump; methods that can stop there do.
    #[allow(clippy::too_many_arguments)]
    fn advance(
        &mut self,
        sys: &dyn OdeSystem,
        t0: f64,
        y: &mut [f64],
        h_out: f64,
        n: usize,
        breaks: &[f64],
        emit: &mut Emit,
    ) -> Result<(), Error>;
    /// Right-hand-side evaluations so far.
    fn evaluations(&self) -> u64;
    /// Accepted steps so far.
    fn steps(&self) -> u64;
    fn clone_box(&self) -> Box<dyn Integrator>;
}

impl Clone for Box<dyn Integrator> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

impl Clone for Box<dyn Noise> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The first break strictly after t + tiny and strictly before `end`, else `end`.
pub fn next_stop(breaks: &[f64], t: f64, end: f64) -> f64 {
    let eps = 1e-12 * end.abs().max(1e-21);
    let k = breaks.partition_point(|&b| b <= t + eps);
    match breaks.get(k) {
        Some(&b) if b < end - eps => b,
        _ => end,
    }
}

/// Renormalises the first `n` 3-vectors of y to unit length (zero vectors stay zero),
/// failing if one is not finite or has drifted from 1 by more than `tol` (the step was too
/// coarse for the dynamics), or if an extra value is not finite.
pub fn renormalise(y: &mut [f64], n: usize, t: f64, tol: f64, advice: &str) -> Result<(), NumericalError> {
    for i in 0..n {
        let s = &mut y[3 * i..3 * i + 3];
        let norm = (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]).sqrt();
        if !norm.is_finite() {
            return Err(NumericalError {
                t,
                what: format!("m of element {i} is not finite (NaN or infinite)"),
                advice: advice.into(),
            });
        }
        if norm == 0.0 {
            continue;
        }
        if (norm - 1.0).abs() > tol {
            return Err(NumericalError {
                t,
                what: format!("|m| of element {i} drifted to {norm:.6} (allowed 1 ± {tol:e})"),
                advice: advice.into(),
            });
        }
        s.iter_mut().for_each(|c| *c /= norm);
    }
    if y[3 * n..].iter().any(|x| !x.is_finite()) {
        return Err(NumericalError { t, what: "the energy bookkeeping is not finite".into(), advice: advice.into() });
    }
    Ok(())
}

/// Number of fixed steps for a span and their length: the requested step is shortened so
/// that a whole number of steps fills the span exactly.
pub fn fixed_steps(span: f64, dt: f64) -> (usize, f64) {
    let k = ((span / dt) * (1.0 - 1e-12)).ceil().max(1.0) as usize;
    (k, span / k as f64)
}

/// A fixed-step scheme: one step of length h from time t, in place.
pub trait FixedStep: Send + Sync + Clone + 'static {
    fn name(&self) -> &'static str;
    /// Requested step (s).
    fn dt(&self) -> f64;
    /// Largest |m| drift tolerated in one step before renormalising.
    fn drift_tol(&self) -> f64;
    /// Advances y by one step; returns the right-hand-side evaluations it made.
    fn step(&mut self, sys: &dyn OdeSystem, t: f64, h: f64, y: &mut [f64]) -> u64;
    fn counters(&self) -> Counters;
    fn counters_mut(&mut self) -> &mut Counters;
}

/// Evaluations and steps of an integrator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub evaluations: u64,
    pub steps: u64,
}

impl<S: FixedStep> Integrator for S {
    fn name(&self) -> &'static str {
        FixedStep::name(self)
    }
    fn evaluations(&self) -> u64 {
        self.counters().evaluations
    }
    fn steps(&self) -> u64 {
        self.counters().steps
    }
    fn clone_box(&self) -> Box<dyn Integrator> {
        Box::new(self.clone())
    }
    /// Whole steps fill each output interval (breakpoints are not stopped at: the steps are
    /// fixed); m is renormalised after every step.
    fn advance(
        &mut self,
        sys: &dyn OdeSystem,
        t0: f64,
        y: &mut [f64],
        h_out: f64,
        n: usize,
        _breaks: &[f64],
        emit: &mut Emit,
    ) -> Result<(), Error> {
        let advice = "reduce solver.dt";
        let (steps, h) = fixed_steps(h_out, self.dt());
        for out in 0..n {
            let t_start = t0 + out as f64 * h_out;
            for s in 0..steps {
                let ts = t_start + s as f64 * h;
                let k = self.step(sys, ts, h, y);
                let c = self.counters_mut();
                c.evaluations += k;
                c.steps += 1;
                renormalise(y, sys.vectors(), ts + h, self.drift_tol(), advice)?;
            }
            let end = t0 + (out + 1) as f64 * h_out;
            emit(end, y)?;
        }
        Ok(())
    }
}
