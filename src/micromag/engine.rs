//! A micromagnetic run: the system, its state m (3 per cell), time, and the stepper —
//! adaptive RK45 at T = 0, fixed-step Heun with the thermal field at T > 0. Steps stop at
//! every output time and every boundary of the field protocol (where B_ext may jump).

use super::heun::Heun;
use super::rk45::Rk45;
use super::system::{MicroEnergy, MicroSystem};
use crate::error::Error;
use nalgebra::Vector3;

pub enum Stepper {
    Rk45(Rk45),
    /// Heun with its nominal step (s).
    Heun(Heun, f64),
}

pub struct MicroRun {
    pub sys: MicroSystem,
    pub m: Vec<f64>,
    pub t: f64,
    pub stepper: Stepper,
}

/// One output row of a micromagnetic run.
#[derive(Debug, Clone, PartialEq)]
pub struct MicroObservables {
    pub t: f64,
    /// Ms-weighted ⟨m⟩ over magnetic cells.
    pub m: Vector3<f64>,
    /// Applied field (T).
    pub b_ext: Vector3<f64>,
    pub energy: MicroEnergy,
    /// Work of the applied field and Gilbert dissipation since t = 0 (J).
    pub w_ext: f64,
    pub q_diss: f64,
}

impl MicroRun {
    pub fn observables(&self) -> MicroObservables {
        let (w_ext, q_diss) = match &self.stepper {
            Stepper::Rk45(r) => (r.w_ext, r.q_diss),
            Stepper::Heun(h, _) => (h.w_ext, h.q_diss),
        };
        MicroObservables {
            t: self.t,
            m: self.sys.average(&self.m),
            b_ext: self.sys.protocol.field(self.t),
            energy: self.sys.energy(self.t, &self.m),
            w_ext,
            q_diss,
        }
    }

    /// Field evaluations and accepted steps so far.
    pub fn counts(&self) -> (u64, u64) {
        match &self.stepper {
            Stepper::Rk45(r) => (r.evaluations, r.steps),
            Stepper::Heun(h, _) => (h.evaluations, h.steps),
        }
    }

    /// Integrates to `t_end`, stopping at protocol boundaries on the way.
    pub fn advance_to(&mut self, t_end: f64) -> Result<(), Error> {
        let bounds = self.sys.protocol.boundaries();
        let MicroRun { sys, m, t, stepper } = self;
        rayon::scope(|_| {
            while *t < t_end - 1e-21 {
                let stop = bounds.iter().copied().find(|&b| b > *t + 1e-21 && b < t_end).unwrap_or(t_end);
                match stepper {
                    Stepper::Rk45(r) => r.advance(sys, t, m, stop, true)?,
                    Stepper::Heun(h, dt) => {
                        let span = stop - *t;
                        let n = (span / *dt * (1.0 - 1e-12)).ceil().max(1.0) as u64;
                        let step = span / n as f64;
                        for k in 0..n {
                            h.step(sys, *t + k as f64 * step, m, step)?;
                        }
                        *t = stop;
                    }
                }
            }
            Ok(())
        })
    }
}
