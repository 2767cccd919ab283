//! Adaptive Dormand–Prince 5(4) from the ode_solvers crate (error control on rtol/atol).
//!
//! ode_solvers' dense output extrapolates the point at `x_end`, so each call integrates a
//! chunk of K output intervals up to t0 + (K + ½)·h_out and takes the K outputs from the
//! dense (4th-order) interpolant strictly inside the integrated range; the next chunk starts
//! from the interpolated state at t0 + K·h_out. K is capped so a chunk's outputs stay small.
//! Breakpoints are not stopped at: the error control resolves the (finite) field ramps.
//!
//! ode_solvers has absolute constants in its step logic (end-point tolerance 1e-9, default
//! initial step 1e-6), which are meaningless for times in seconds, so the stepper runs in
//! picoseconds: x = t / 1 ps, dy/dx = 1 ps · dy/dt.
//!
//! ode_solvers' stiffness test (Hairer's: every 1000 accepted steps, |h·λ| estimated from the
//! last two stages, an error after 15 positive tests) is switched off: a damped magnetisation
//! settling near equilibrium at large α is exactly where it fires, yet the error control keeps
//! such a run accurate — it only takes short steps. Runs stop for numerical trouble only on
//! NaN, |m| drift or step-size underflow. Its other parameters are ode_solvers' defaults.

use super::{renormalise, Emit, Integrator, OdeSystem};
use crate::error::{Error, NumericalError};
use nalgebra::DVector;
use ode_solvers::dop_shared::IntegrationError;
use ode_solvers::System;

#[derive(Clone)]
pub struct Dopri5 {
    rtol: f64,
    atol: f64,
    evals: u64,
    steps: u64,
}

/// |m| may drift from 1 by at most this much within one output interval.
const DRIFT_TOL: f64 = 1e-4;
/// Doubles of dense output kept per chunk.
const CHUNK_DOUBLES: usize = 4_000_000;
/// The stepper's unit of time (s).
const T_UNIT: f64 = 1e-12;
/// ode_solvers tests for stiffness when the accepted-step count is a multiple of this (and
/// after a positive test): u32::MAX is never reached within one chunk, so never.
const NO_STIFFNESS_TEST: u32 = u32::MAX;
/// At most this many steps per chunk (ode_solvers' default).
const MAX_STEPS: u32 = 100_000;

impl Dopri5 {
    pub fn new(rtol: f64, atol: f64) -> Self {
        Dopri5 { rtol, atol, evals: 0, steps: 0 }
    }
}

struct Scaled<'a> {
    sys: &'a dyn OdeSystem,
}

impl System<f64, DVector<f64>> for Scaled<'_> {
    fn system(&self, x: f64, y: &DVector<f64>, dy: &mut DVector<f64>) {
        self.sys.rhs(x * T_UNIT, y.as_slice(), dy.as_mut_slice(), None);
        dy.iter_mut().for_each(|d| *d *= T_UNIT);
    }
}

fn trouble(e: IntegrationError, advice: &str) -> Error {
    let (t, what) = match e {
        IntegrationError::StepSizeUnderflow { x } => (x * T_UNIT, "dopri5 step size underflow".to_string()),
        IntegrationError::MaxNumStepReached { x, n_step } => {
            (x * T_UNIT, format!("dopri5 took more than {n_step} steps in one output chunk"))
        }
        IntegrationError::StiffnessDetected { x } => (x * T_UNIT, "dopri5 detected stiffness".to_string()),
    };
    NumericalError {
        t,
        what,
        advice: format!("{advice}; for very stiff runs use solver.method = \"rk4\" with a small dt"),
    }
    .into()
}

impl Integrator for Dopri5 {
    fn name(&self) -> &'static str {
        "dopri5"
    }
    fn evaluations(&self) -> u64 {
        self.evals
    }
    fn steps(&self) -> u64 {
        self.steps
    }
    fn clone_box(&self) -> Box<dyn Integrator> {
        Box::new(self.clone())
    }
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
        let per_chunk = (CHUNK_DOUBLES / y.len()).clamp(1, 256);
        let advice = "tighten solver.rtol and solver.atol, or check the field and material values";
        let mut done = 0;
        while done < n {
            let k = per_chunk.min(n - done);
            let t_start = t0 + done as f64 * h_out;
            let x_end = t_start + (k as f64 + 0.5) * h_out;
            let (x0, x1) = (t_start / T_UNIT, x_end / T_UNIT);
            // ode_solvers' defaults: safety 0.9, β = 0.04, step factor in [0.2, 10], h_max the
            // span, initial step estimated (h = 0), dense output; no stiffness test.
            let mut stepper = ode_solvers::Dopri5::from_param(
                Scaled { sys },
                x0,
                x1,
                h_out / T_UNIT,
                DVector::from_column_slice(y),
                self.rtol,
                self.atol,
                0.9,
                0.04,
                0.2,
                10.0,
                x1 - x0,
                0.0,
                MAX_STEPS,
                NO_STIFFNESS_TEST,
                ode_solvers::OutputType::Dense,
            );
            let stats = stepper.integrate().map_err(|e| trouble(e, advice))?;
            self.evals += stats.num_eval as u64;
            self.steps += stats.accepted_steps as u64;
            let ys = stepper.y_out();
            if ys.len() < k + 1 {
                return Err(NumericalError {
                    t: x_end,
                    what: format!("dopri5 returned {} dense outputs, expected {}", ys.len(), k + 1),
                    advice: advice.into(),
                }
                .into());
            }
            for (j, yj) in ys.iter().enumerate().skip(1).take(k) {
                y.copy_from_slice(yj.as_slice());
                let t = t_start + j as f64 * h_out;
                renormalise(y, sys.vectors(), t, DRIFT_TOL, advice)?;
                emit(t, y)?;
            }
            done += k;
        }
        Ok(())
    }
}
