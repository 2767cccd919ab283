//! Adaptive Dormand–Prince RK5(4) with a choice of error norm ([`ErrorNorm`]):
//! - MuMax3's: the error of a step is $\max_i |\Delta v_i^{(5)} - \Delta v_i^{(4)}|$ over the
//!   unit vectors; a step is accepted when it is ≤ `max_err` and the next step is
//!   $h \cdot \min(2, \max(0.2,\ 0.9\,(\mathrm{max\_err}/\mathrm{err})^{1/5}))$;
//! - the mixed absolute/relative norm of magnum.np's `RKF45` (Bruckner et al., Sci. Rep. 13
//!   (2023)): $\mathrm{err} = \max_k |e_k| / (\mathrm{atol} + \mathrm{rtol}\,|y_k|)$ over the
//!   3n components of the unit vectors (e the difference of the 5th- and 4th-order solutions,
//!   y the start of the step), with magnum.np's step control (`Rk45::control`: accepted up
//!   to err = 1.1, the step kept while 0.5 ≤ err ≤ 1.1). With atol = rtol = 1e-5 (magnum.np's
//!   defaults) a component of size 1 may err by 2e-5 per step, against 1e-5 for the whole
//!   vector under MuMax3's norm at max_err = 1e-5.
//!
//! The extra values of y (energy bookkeeping) are integrated with the same fifth-order weights
//! but do not enter the error. Steps stop at every breakpoint (where the right-hand side may
//! jump) and at every output time; unit vectors are renormalised after every accepted step.
//! A rejected step keeps its first stage. With the mixed norm the last stage of an accepted
//! step is also the first of the next (first same as last: 6 evaluations per step; within one
//! call of [`Integrator::advance`], where the system cannot change; the stage was evaluated
//! before renormalising, a difference of the order of the step's error). MuMax3's norm
//! evaluates the first stage afresh at the renormalised state, as this project's earlier
//! releases did, so its runs are unchanged. All buffers are allocated once.

use super::{next_stop, renormalise, Counters, Emit, Integrator, OdeSystem};
use crate::error::{Error, NumericalError};

const C: [f64; 7] = [0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0, 1.0];
const A: [[f64; 6]; 7] = [
    [0.0; 6],
    [1.0 / 5.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    [3.0 / 40.0, 9.0 / 40.0, 0.0, 0.0, 0.0, 0.0],
    [44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0, 0.0, 0.0, 0.0],
    [19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0, 0.0, 0.0],
    [9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0, 0.0],
    [35.0 / 384.0, 0.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0],
];
/// b5 − b4.
const E: [f64; 7] =
    [71.0 / 57600.0, 0.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0, 22.0 / 525.0, -1.0 / 40.0];

/// |v| may drift from 1 by at most this much in one accepted step (a blow-up, not round-off).
const DRIFT_TOL: f64 = 0.05;

/// How the error of a step is measured and bounded (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ErrorNorm {
    /// MuMax3's max_i |Δv_i⁽⁵⁾ − Δv_i⁽⁴⁾| ≤ [`Rk45::max_err`].
    MaxDm,
    /// magnum.np's mixed norm max_k |e_k| / (atol + rtol |y_k|), ≤ 1.
    Mixed { rtol: f64, atol: f64 },
}

/// The integrator and its buffers.
#[derive(Clone)]
pub struct Rk45 {
    /// The bound of [`ErrorNorm::MaxDm`].
    pub max_err: f64,
    pub norm: ErrorNorm,
    /// k[0] holds f at the start of the next step (first same as last).
    fsal: bool,
    /// Current step (s).
    pub h: f64,
    pub h_min: f64,
    k: [Vec<f64>; 7],
    y: Vec<f64>,
    counters: Counters,
    /// max_i |f_i| over the unit vectors at the start of the last accepted step (the rate of
    /// the fastest vector; relaxation turns it into a torque).
    pub max_rate: f64,
}

impl Rk45 {
    /// MuMax3's step control with bound `max_err` on max |Δm| per step.
    pub fn new(max_err: f64) -> Self {
        Rk45 {
            max_err,
            norm: ErrorNorm::MaxDm,
            fsal: false,
            h: 1e-14,
            h_min: 1e-20,
            k: Default::default(),
            y: Vec::new(),
            counters: Counters::default(),
            max_rate: f64::INFINITY,
        }
    }

    /// magnum.np's mixed norm with tolerances `rtol`, `atol` (on the components of m).
    pub fn mixed(rtol: f64, atol: f64) -> Self {
        Rk45 { norm: ErrorNorm::Mixed { rtol, atol }, ..Self::new(1.0) }
    }

    fn size(&mut self, len: usize) {
        for k in self.k.iter_mut().chain([&mut self.y]) {
            if k.len() != len {
                k.resize(len, 0.0);
            }
        }
    }

    fn max_vector_norm(v: &[f64], n: usize) -> f64 {
        (0..n)
            .map(|i| (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]).sqrt())
            .fold(0.0, f64::max)
    }

    /// One accepted step from (t, y), at most up to `t_max`; returns the step taken. The
    /// first stage is evaluated afresh (y may have changed since the last call).
    pub fn step(&mut self, sys: &dyn OdeSystem, t: f64, y: &mut [f64], t_max: f64) -> Result<f64, Error> {
        self.fsal = false;
        self.step_on(sys, t, y, t_max)
    }

    /// As [`Rk45::step`], reusing the last stage of the previous accepted step as the first.
    fn step_on(&mut self, sys: &dyn OdeSystem, t: f64, y: &mut [f64], t_max: f64) -> Result<f64, Error> {
        self.size(y.len());
        let nv = sys.vectors();
        if !self.fsal {
            sys.rhs(t, y, &mut self.k[0], None);
            self.counters.evaluations += 1;
        }
        self.max_rate = Self::max_vector_norm(&self.k[0], nv);
        loop {
            let h = self.h.min(t_max - t);
            for (s, c) in C.iter().enumerate().skip(1) {
                self.stage(s, h, y);
                let (ys, ks) = (&self.y, &mut self.k[s]);
                sys.rhs(t + c * h, ys, ks, None);
            }
            self.counters.evaluations += 6;
            // self.y now holds the 5th-order solution (stage 7 weights are b5).
            let (err, bound) = self.error(h, y, nv);
            if !err.is_finite() {
                return Err(NumericalError {
                    t,
                    what: "NaN in the magnetisation".into(),
                    advice: "tighten the solver's tolerance or check the material and field values".into(),
                }
                .into());
            }
            let (accept, factor) = self.control(err, bound);
            if accept {
                y.copy_from_slice(&self.y);
                renormalise(y, nv, t + h, DRIFT_TOL, "tighten the solver's tolerance")?;
                self.counters.steps += 1;
                if h >= self.h * 0.999 {
                    self.h *= factor;
                }
                if let ErrorNorm::Mixed { .. } = self.norm {
                    self.k.swap(0, 6);
                    self.fsal = true;
                } else {
                    self.fsal = false;
                }
                return Ok(h);
            }
            self.h = h * factor;
            if self.h < self.h_min {
                return Err(NumericalError {
                    t,
                    what: format!("step size underflow ({:.2e} s)", self.h),
                    advice: "loosen the solver's tolerance, coarsen the mesh or check the field values".into(),
                }
                .into());
            }
        }
    }

    /// Whether a step of error `err` (bound `bound`) is accepted, and the factor for the next
    /// step: MuMax3's 0.9 (bound/err)^{1/5} in [0.2, 2]; magnum.np's RKF45 control for the
    /// mixed norm — accepted up to err = 1.1, the step kept for 0.5 ≤ err ≤ 1.1, grown by
    /// 0.9 err^{−1/5} (at most 10×) below, shrunk by 0.9 err^{−1/4} (at least 0.2×) above.
    fn control(&self, err: f64, bound: f64) -> (bool, f64) {
        match self.norm {
            ErrorNorm::MaxDm => {
                let factor = if err > 0.0 { (0.9 * (bound / err).powf(0.2)).clamp(0.2, 2.0) } else { 2.0 };
                (err <= bound, factor)
            }
            ErrorNorm::Mixed { .. } => {
                if err > 1.1 {
                    (false, (0.9 * err.powf(-0.25)).max(0.2))
                } else if err < 0.5 {
                    (true, if err > 0.0 { (0.9 * err.powf(-0.2)).clamp(1.0, 10.0) } else { 10.0 })
                } else {
                    (true, 1.0)
                }
            }
        }
    }

    /// self.y = y + h Σ_{j<s} a_sj k_j.
    fn stage(&mut self, s: usize, h: f64, y: &[f64]) {
        let a = &A[s][..s];
        let k = &self.k;
        for (i, (yi, y0)) in self.y.iter_mut().zip(y.iter()).enumerate() {
            let mut acc = 0.0;
            for (j, aj) in a.iter().enumerate() {
                acc += aj * k[j][i];
            }
            *yi = y0 + h * acc;
        }
    }

    /// (error, bound) of a step of length h from y to self.y (module docs).
    fn error(&self, h: f64, y: &[f64], nv: usize) -> (f64, f64) {
        let k = &self.k;
        let e = |i: usize| h * (0..7).map(|s| E[s] * k[s][i]).sum::<f64>();
        match self.norm {
            ErrorNorm::MaxDm => {
                let mut err: f64 = 0.0;
                for v in 0..nv {
                    let e2: f64 = (3 * v..3 * v + 3).map(|i| e(i) * e(i)).sum();
                    err = err.max(e2.sqrt());
                }
                (err, self.max_err)
            }
            ErrorNorm::Mixed { rtol, atol } => {
                let err = (0..3 * nv).map(|i| e(i).abs() / (atol + rtol * y[i].abs())).fold(0.0, f64::max);
                (err, 1.0)
            }
        }
    }

    /// Integrates from t to `t_end`, stopping at every break on the way.
    pub fn advance_to(
        &mut self,
        sys: &dyn OdeSystem,
        t: &mut f64,
        y: &mut [f64],
        t_end: f64,
        breaks: &[f64],
    ) -> Result<(), Error> {
        self.fsal = false;
        self.advance_on(sys, t, y, t_end, breaks)
    }

    /// As [`Rk45::advance_to`], continuing from the last step's last stage.
    fn advance_on(
        &mut self,
        sys: &dyn OdeSystem,
        t: &mut f64,
        y: &mut [f64],
        t_end: f64,
        breaks: &[f64],
    ) -> Result<(), Error> {
        while *t < t_end - 1e-21 {
            let stop = next_stop(breaks, *t, t_end);
            while *t < stop - 1e-21 {
                *t += self.step_on(sys, *t, y, stop)?;
            }
            *t = stop;
        }
        *t = t_end;
        Ok(())
    }
}

impl Integrator for Rk45 {
    fn name(&self) -> &'static str {
        "rk45"
    }
    fn evaluations(&self) -> u64 {
        self.counters.evaluations
    }
    fn steps(&self) -> u64 {
        self.counters.steps
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
        breaks: &[f64],
        emit: &mut Emit,
    ) -> Result<(), Error> {
        let mut t = t0;
        // The system (its protocol) may have changed since the last call.
        self.fsal = false;
        for out in 0..n {
            let end = t0 + (out + 1) as f64 * h_out;
            // Inside the pool, the unsplit parallel loops of small systems cost a plain call.
            rayon::scope(|_| self.advance_on(sys, &mut t, &mut *y, end, breaks))?;
            emit(end, y)?;
        }
        Ok(())
    }
}
