//! The engine core shared by the LLG engines: a system, its state y = [m, W/e_ref, Q/e_ref],
//! the time and the stepper. Output rows, save/restore, a new protocol and relaxation work
//! the same for every [`LlgSystem`].

use super::{relax, LlgSystem, Motion, Ode};
use crate::engine::{Cost, Observables, Relaxed, Saved};
use crate::error::Error;
use crate::integrate::Integrator;
use crate::protocol::Protocol;

pub use crate::engine::Minimiser;

/// A system in motion.
#[derive(Clone)]
pub struct Dynamics<S> {
    pub sys: S,
    y: Vec<f64>,
    t: f64,
    stepper: Box<dyn Integrator>,
    /// Relaxation work so far (iterations, field evaluations).
    relax_cost: (u64, u64),
}

/// Called after each output interval with the system, the time and the state y.
pub type StateObserver<'a, S> = dyn FnMut(&S, f64, &[f64]) -> Result<(), Error> + 'a;

/// What [`Dynamics::save`] keeps.
struct LlgState {
    y: Vec<f64>,
    protocol: Protocol,
    stepper: Box<dyn Integrator>,
    relax_cost: (u64, u64),
}

impl<S: LlgSystem + Clone + 'static> Dynamics<S> {
    /// At t = 0 with unit vectors `m0` (3 per element; normalised here, zeros stay zero).
    pub fn new(sys: S, m0: &[f64], stepper: Box<dyn Integrator>) -> Self {
        let n3 = 3 * sys.elements();
        let mut y = vec![0.0; n3 + 2];
        for (i, v) in m0.chunks_exact(3).enumerate().take(sys.elements()) {
            let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            if norm > 0.0 && sys.moments()[i] != 0.0 {
                y[3 * i..3 * i + 3].iter_mut().zip(v).for_each(|(a, b)| *a = b / norm);
            }
        }
        Dynamics { sys, y, t: 0.0, stepper, relax_cost: (0, 0) }
    }

    /// Unit vectors, 3 per element.
    pub fn m(&self) -> &[f64] {
        &self.y[..self.y.len() - 2]
    }
    /// Replaces m (3 per element; normalised here, empty cells stay zero).
    pub fn set_m(&mut self, m: &[f64]) -> Result<(), Error> {
        let n3 = self.y.len() - 2;
        if m.len() != n3 {
            return Err(Error::Io(format!("a state of {} values does not fit {} elements", m.len(), n3 / 3)));
        }
        let mu = self.sys.moments();
        for (i, v) in m.chunks_exact(3).enumerate() {
            let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            let dst = &mut self.y[3 * i..3 * i + 3];
            if mu[i] != 0.0 && norm > 0.0 {
                dst.iter_mut().zip(v).for_each(|(a, b)| *a = b / norm);
            } else {
                dst.iter_mut().for_each(|a| *a = 0.0);
            }
        }
        Ok(())
    }

    /// The full state [m, W/e_ref, Q/e_ref].
    pub fn state(&self) -> &[f64] {
        &self.y
    }
    pub fn time(&self) -> f64 {
        self.t
    }
    pub fn stepper(&self) -> &dyn Integrator {
        self.stepper.as_ref()
    }

    /// (W_ext, Q) in J.
    pub fn work_and_heat(&self) -> (f64, f64) {
        let n = self.y.len();
        let e = self.sys.e_ref();
        (self.y[n - 2] * e, self.y[n - 1] * e)
    }

    /// Observables of state y at time t.
    pub fn observables_of(sys: &S, t: f64, y: &[f64]) -> Observables {
        let n3 = y.len() - 2;
        let m = &y[..n3];
        let e = sys.e_ref();
        Observables::new(t, sys.average(m), sys.protocol().field(t), sys.energy_parts(t, m), y[n3] * e, y[n3 + 1] * e)
    }

    pub fn observables(&self) -> Observables {
        Self::observables_of(&self.sys, self.t, &self.y)
    }

    /// Advances through `n` output intervals of `h_out`, handing `emit` each (t, y).
    pub fn advance_with(&mut self, h_out: f64, n: usize, emit: &mut StateObserver<S>) -> Result<(), Error> {
        let Dynamics { sys, y, t, stepper, .. } = self;
        let t0 = *t;
        let ode = Ode { sys: &*sys, motion: Motion::Llg, frozen: None };
        let mut out = |tt: f64, yy: &[f64]| emit(&*sys, tt, yy);
        stepper.advance(&ode, t0, y, h_out, n, sys.protocol().breaks(), &mut out)?;
        *t = t0 + n as f64 * h_out;
        Ok(())
    }

    /// Advances with an observer of every output row.
    pub fn advance(
        &mut self,
        h_out: f64,
        n: usize,
        observer: &mut dyn FnMut(&Observables) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.advance_with(h_out, n, &mut |sys, t, y| observer(&Self::observables_of(sys, t, y)))
    }

    /// Advances by `duration` without observables.
    pub fn run_for(&mut self, duration: f64) -> Result<(), Error> {
        self.advance_with(duration, 1, &mut |_, _, _| Ok(()))
    }

    /// A new protocol from the current m: t, W and Q restart at 0.
    pub fn set_protocol(&mut self, p: Protocol) {
        self.sys.set_protocol(p);
        self.t = 0.0;
        let n = self.y.len();
        self.y[n - 2] = 0.0;
        self.y[n - 1] = 0.0;
    }

    /// Relaxes in the applied field at the current time (see [`relax`]).
    pub fn relax(&mut self, max_torque: f64, how: Minimiser, max_iterations: u64) -> Result<Relaxed, Error> {
        let n3 = self.y.len() - 2;
        let r = match how {
            Minimiser::Descent => relax::descent(&self.sys, &mut self.y[..n3], self.t, max_torque, max_iterations)?,
            Minimiser::BarzilaiBorwein => {
                relax::barzilai_borwein(&self.sys, &mut self.y[..n3], self.t, max_torque, max_iterations)?
            }
        };
        self.relax_cost.0 += r.iterations;
        self.relax_cost.1 += r.evaluations;
        Ok(r)
    }

    /// Relaxes in a constant applied field `field` (T), then restores the protocol (time, W
    /// and Q restart at 0).
    pub fn relax_in(
        &mut self,
        field: nalgebra::Vector3<f64>,
        max_torque: f64,
        how: Minimiser,
    ) -> Result<Relaxed, Error> {
        let protocol = self.sys.protocol().clone();
        self.set_protocol(Protocol::constant(field, 1.0));
        let r = self.relax(max_torque, how, crate::config::MAX_RELAX_ITERATIONS);
        self.set_protocol(protocol);
        r
    }

    pub fn cost(&self) -> Cost {
        Cost {
            evaluations: self.stepper.evaluations() + self.relax_cost.1,
            steps: self.stepper.steps() + self.relax_cost.0,
            elements: self.sys.elements(),
        }
    }

    pub fn save(&self, engine: &'static str) -> Saved {
        let state = LlgState {
            y: self.y.clone(),
            protocol: self.sys.protocol().clone(),
            stepper: self.stepper.clone(),
            relax_cost: self.relax_cost,
        };
        Saved { engine, t: self.t, data: Box::new(state) }
    }

    pub fn restore(&mut self, engine: &'static str, s: &Saved) -> Result<(), Error> {
        let state = s.data.downcast_ref::<LlgState>().filter(|st| s.engine == engine && st.y.len() == self.y.len());
        let st = state.ok_or_else(|| {
            Error::Io(format!(
                "cannot restore a {} state into a {engine} engine of {} elements",
                s.engine,
                self.sys.elements()
            ))
        })?;
        self.y.copy_from_slice(&st.y);
        self.sys.set_protocol(st.protocol.clone());
        self.stepper = st.stepper.clone();
        self.relax_cost = st.relax_cost;
        self.t = s.t;
        Ok(())
    }
}
