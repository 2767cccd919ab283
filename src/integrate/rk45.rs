//! Adaptive Dormand–Prince RK5(4) with MuMax3's error norm: the error of a step is
//! $\max_i |\Delta v_i^{(5)} - \Delta v_i^{(4)}|$ over the unit vectors; a step is accepted
//! when it is ≤ `max_err` and the next step is
//! $h \cdot \min(2, \max(0.2,\ 0.9\,(\mathrm{max\_err}/\mathrm{err})^{1/5}))$. The extra values
//! of y (energy bookkeeping) are integrated with the same fifth-order weights but do not
//! enter the error. Steps stop at every breakpoint (where the right-hand side may jump) and
//! at every output time; unit vectors are renormalised after every accepted step. All buffers
//! are allocated once.

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

/// The integrator and its buffers.
#[derive(Clone)]
pub struct Rk45 {
    pub max_err: f64,
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
    pub fn new(max_err: f64) -> Self {
        Rk45 {
            max_err,
            h: 1e-14,
            h_min: 1e-20,
            k: Default::default(),
            y: Vec::new(),
            counters: Counters::default(),
            max_rate: f64::INFINITY,
        }
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

    /// One accepted step from (t, y), at most up to `t_max`; returns the step taken.
    pub fn step(&mut self, sys: &dyn OdeSystem, t: f64, y: &mut [f64], t_max: f64) -> Result<f64, Error> {
        self.size(y.len());
        let nv = sys.vectors();
        loop {
            let h = self.h.min(t_max - t);
            sys.rhs(t, y, &mut self.k[0], None);
            self.max_rate = Self::max_vector_norm(&self.k[0], nv);
            for s in 1..7 {
                for (i, (yi, y0)) in self.y.iter_mut().zip(y.iter()).enumerate() {
                    let mut acc = 0.0;
                    for (j, a) in A[s][..s].iter().enumerate() {
                        acc += a * self.k[j][i];
                    }
                    *yi = y0 + h * acc;
                }
                let (ys, ks) = (&self.y, &mut self.k[s]);
                sys.rhs(t + C[s] * h, ys, ks, None);
            }
            self.counters.evaluations += 7;
            // self.y now holds the 5th-order solution (stage 7 weights are b5).
            let mut err: f64 = 0.0;
            for v in 0..nv {
                let mut e2 = 0.0;
                for c in 0..3 {
                    let i = 3 * v + c;
                    let e: f64 = h * (0..7).map(|s| E[s] * self.k[s][i]).sum::<f64>();
                    e2 += e * e;
                }
                err = err.max(e2.sqrt());
            }
            if !err.is_finite() {
                return Err(NumericalError {
                    t,
                    what: "NaN in the magnetisation".into(),
                    advice: "lower solver.max_err or check the material and field values".into(),
                }
                .into());
            }
            let factor = if err > 0.0 { (0.9 * (self.max_err / err).powf(0.2)).clamp(0.2, 2.0) } else { 2.0 };
            if err <= self.max_err {
                y.copy_from_slice(&self.y);
                renormalise(y, nv, t + h, DRIFT_TOL, "lower solver.max_err")?;
                self.counters.steps += 1;
                if h >= self.h * 0.999 {
                    self.h *= factor;
                }
                return Ok(h);
            }
            self.h = h * factor;
            if self.h < self.h_min {
                return Err(NumericalError {
                    t,
                    what: format!("step size underflow ({:.2e} s)", self.h),
                    advice: "raise solver.max_err, coarsen the mesh or check the field values".into(),
                }
                .into());
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
        while *t < t_end - 1e-21 {
            let stop = next_stop(breaks, *t, t_end);
            while *t < stop - 1e-21 {
                *t += self.step(sys, *t, y, stop)?;
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
        for out in 0..n {
            let end = t0 + (out + 1) as f64 * h_out;
            // Inside the pool, the unsplit parallel loops of small systems cost a plain call.
            rayon::scope(|_| self.advance_to(sys, &mut t, &mut *y, end, breaks))?;
            emit(end, y)?;
        }
        Ok(())
    }
}
