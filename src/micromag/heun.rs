//! Fixed-step Heun (Stratonovich) for T > 0, the macrospin engine's scheme on every cell:
//! with the thermal field $B_{th}$ drawn once per step,
//! $$ m' = m + h f(m, B(t) + B_{th}), \qquad
//!    m \leftarrow \frac{m + \tfrac h2 [f(m, B(t)+B_{th}) + f(m', B(t+h)+B_{th})]}{|\cdot|}, $$
//! f the LL right-hand side. Q and W are integrated with the trapezoid rule (Q includes the
//! thermal field's share of m × B, so at T > 0 it is the damping's dissipation of the total
//! field, not a closed balance).

use super::system::MicroSystem;
use super::terms::thermal::Thermal;
use crate::error::{Error, NumericalError};

pub struct Heun {
    pub thermal: Thermal,
    m1: Vec<f64>,
    b: Vec<f64>,
    bth: Vec<f64>,
    k0: Vec<f64>,
    k1: Vec<f64>,
    pub steps: u64,
    pub evaluations: u64,
    pub q_diss: f64,
    pub w_ext: f64,
}

impl Heun {
    pub fn new(len: usize, thermal: Thermal) -> Self {
        let z = || vec![0.0; len];
        Heun { thermal, m1: z(), b: z(), bth: z(), k0: z(), k1: z(), steps: 0, evaluations: 0, q_diss: 0.0, w_ext: 0.0 }
    }

    /// One step of length h from (t, m).
    pub fn step(&mut self, sys: &MicroSystem, t: f64, m: &mut [f64], h: f64) -> Result<(), Error> {
        let alpha = sys.material.alpha;
        self.thermal.draw(h, &mut self.bth);
        sys.field(t, m, &mut self.b);
        add(&mut self.b, &self.bth);
        let s0 = sys.torque(m, &self.b, alpha, true, &mut self.k0);
        for i in 0..m.len() {
            self.m1[i] = m[i] + h * self.k0[i];
        }
        sys.field(t + h, &self.m1, &mut self.b);
        add(&mut self.b, &self.bth);
        let s1 = sys.torque(&self.m1, &self.b, alpha, true, &mut self.k1);
        self.evaluations += 2;
        for cell in 0..m.len() / 3 {
            let mut v = [0.0; 3];
            for c in 0..3 {
                let i = 3 * cell + c;
                v[c] = m[i] + 0.5 * h * (self.k0[i] + self.k1[i]);
            }
            let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            if !n.is_finite() {
                return Err(NumericalError {
                    t,
                    what: "NaN in the magnetisation".into(),
                    advice: "lower solver.dt or check the material, temperature and field values".into(),
                }
                .into());
            }
            for c in 0..3 {
                m[3 * cell + c] = if n > 0.0 { v[c] / n } else { 0.0 };
            }
        }
        self.steps += 1;
        self.q_diss += 0.5 * h * (s0.dissipation + s1.dissipation);
        let (r0, r1) = (sys.protocol.field_rate(t), sys.protocol.field_rate(t + h));
        self.w_ext += -0.5 * h * (s0.moment.dot(&r0) + s1.moment.dot(&r1));
        Ok(())
    }
}

fn add(b: &mut [f64], extra: &[f64]) {
    b.iter_mut().zip(extra).for_each(|(x, y)| *x += y);
}
