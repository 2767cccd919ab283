//! Adaptive Dormand–Prince RK5(4) on the whole magnetisation (MuMax3's default scheme): the
//! error of a step is $\max_i |\Delta m_i^{(5)} - \Delta m_i^{(4)}|$ over cells; a step is
//! accepted when it is ≤ `max_err` (default 1e-5) and the next step is
//! $h \cdot \min(2, \max(0.2,\ 0.9\,(\mathrm{max\_err}/\mathrm{err})^{1/5}))$. m is renormalised
//! after every accepted step. All buffers are allocated once. Along the way the Gilbert
//! dissipation $Q = \int P\,dt$ and the work of the applied field $W = -\int \mu\cdot\dot B_{ext}\,dt$
//! are integrated with the same fifth-order weights as m.

use super::system::{MicroSystem, TorqueStats};
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

/// The integrator and its buffers.
pub struct Rk45 {
    pub max_err: f64,
    /// Current step (s).
    pub h: f64,
    pub h_min: f64,
    k: [Vec<f64>; 7],
    y: Vec<f64>,
    b: Vec<f64>,
    /// Accepted steps and field evaluations so far.
    pub steps: u64,
    pub evaluations: u64,
    /// max |m × B| (T) at the start of the last accepted step.
    pub torque: f64,
    /// Gilbert dissipation and work of the applied field since the start (J).
    pub q_diss: f64,
    pub w_ext: f64,
    /// Dissipation power and applied-field power −μ·Ḃ of each stage (W).
    q_rate: [f64; 7],
    w_rate: [f64; 7],
}

impl Rk45 {
    pub fn new(len: usize, max_err: f64) -> Self {
        Rk45 {
            max_err,
            h: 1e-14,
            h_min: 1e-20,
            k: Default::default(),
            y: vec![0.0; len],
            b: vec![0.0; len],
            steps: 0,
            evaluations: 0,
            torque: f64::INFINITY,
            q_diss: 0.0,
            w_ext: 0.0,
            q_rate: [0.0; 7],
            w_rate: [0.0; 7],
        }
        .with_buffers(len)
    }

    fn with_buffers(mut self, len: usize) -> Self {
        for k in self.k.iter_mut() {
            *k = vec![0.0; len];
        }
        self
    }

    fn rhs(&mut self, sys: &MicroSystem, t: f64, stage: usize, precession: bool) -> f64 {
        sys.field(t, &self.y, &mut self.b);
        self.evaluations += 1;
        let (y, b) = (&self.y, &self.b);
        // Relaxation (no precession) descends at α = 1, the fastest damping-only rate
        // γα/(1+α²); the minimum reached does not depend on α.
        let alpha = if precession { sys.material.alpha } else { 1.0 };
        let st: TorqueStats = sys.torque(y, b, alpha, precession, &mut self.k[stage]);
        self.q_rate[stage] = st.dissipation;
        self.w_rate[stage] = if precession { -st.moment.dot(&sys.protocol.field_rate(t)) } else { 0.0 };
        st.max
    }

    /// One accepted step from (t, m), at most up to `t_max`; returns the step taken. With
    /// `precession = false` (relaxation) the applied field stays at its value at t.
    pub fn step(
        &mut self,
        sys: &MicroSystem,
        t: f64,
        m: &mut [f64],
        t_max: f64,
        precession: bool,
    ) -> Result<f64, Error> {
        let field_t = |s: usize, h: f64| if precession { t + C[s] * h } else { t };
        loop {
            let h = self.h.min(t_max - t);
            self.y.copy_from_slice(m);
            self.torque = self.rhs(sys, t, 0, precession);
            for s in 1..7 {
                for i in 0..m.len() {
                    let mut acc = 0.0;
                    for (j, a) in A[s][..s].iter().enumerate() {
                        acc += a * self.k[j][i];
                    }
                    self.y[i] = m[i] + h * acc;
                }
                self.rhs(sys, field_t(s, h), s, precession);
            }
            // y now holds the 5th-order solution (stage 7 weights are b5).
            let mut err: f64 = 0.0;
            for cell in 0..m.len() / 3 {
                let mut e2 = 0.0;
                for c in 0..3 {
                    let i = 3 * cell + c;
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
                for cell in 0..m.len() / 3 {
                    let v = &self.y[3 * cell..3 * cell + 3];
                    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                    for c in 0..3 {
                        m[3 * cell + c] = if n > 0.0 { v[c] / n } else { 0.0 };
                    }
                }
                self.steps += 1;
                for st in 0..6 {
                    self.q_diss += h * A[6][st] * self.q_rate[st];
                    self.w_ext += h * A[6][st] * self.w_rate[st];
                }
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

    /// Integrates from t to t_end.
    pub fn advance(
        &mut self,
        sys: &MicroSystem,
        t: &mut f64,
        m: &mut [f64],
        t_end: f64,
        precession: bool,
    ) -> Result<(), Error> {
        // Inside the pool, the unsplit parallel loops of small meshes cost a plain call.
        rayon::scope(|_| {
            while *t < t_end - 1e-21 {
                *t += self.step(sys, *t, m, t_end, precession)?;
            }
            Ok(())
        })
    }
}
