//! [`BinaryEngine`]: a binary-state engine supplies its kind, its [`BinaryArray`], its clock
//! and how it moves to a later time; the rest of [`crate::engine::Engine`] — observables (with
//! the flips per update as extra columns), outputs, save/restore and forks (a clone of the
//! whole state), the protocol, the field self-check — comes from [`crate::binary_engine!`].

use super::BinaryArray;
use crate::engine::Relaxed;
use crate::error::Error;

/// A binary-state engine.
pub trait BinaryEngine: Clone + Send + Sync + 'static {
    /// Registry name (`solver.kind`).
    const KIND: &'static str;
    fn array(&self) -> &BinaryArray;
    fn array_mut(&mut self) -> &mut BinaryArray;
    /// Time (s) since the protocol started.
    fn clock(&self) -> f64;
    /// Restarts the clock at 0 (a new protocol).
    fn reset_clock(&mut self);
    /// Moves the state to time `t_end` (s) under the protocol.
    fn advance_to(&mut self, t_end: f64) -> Result<(), Error>;
    /// Brings the state to rest in the field now applied, if the engine has a rest.
    fn relax_now(&mut self) -> Result<Relaxed, Error> {
        Err(Error::Io(format!("the {} engine cannot relax", Self::KIND)))
    }
    /// Called after the state was replaced from outside ([`crate::engine::Engine::set_state_m`],
    /// fields recomputed): engines that keep rates or sums of their own rebuild them.
    fn state_changed(&mut self) {}
    /// Engine-specific entries for `summary.json`.
    fn describe_engine(&self) -> serde_json::Value;
    /// Field evaluations (or rate updates) so far.
    fn evaluations(&self) -> u64;
    /// The registered energy parts (J); by default the array's.
    fn energy_parts(&self) -> Vec<(&'static str, f64)> {
        self.array().energy_parts()
    }
    /// The kept fields equal fresh ones; by default the array's check.
    fn check_fields(&self) -> Result<(), String> {
        self.array().check_fields()
    }
    /// Registers an interaction term ([`crate::binary::terms`]) with the array: its field
    /// enters every flip from now on, its energy E_total. The engines' fast paths update only
    /// the point-dipole field flip by flip, so a coupled term of another kind is refused.
    fn add_term(&mut self, term: Box<dyn crate::binary::terms::BinaryTerm>) -> Result<(), Error> {
        if term.coupled() && term.dipolar().is_none() {
            return Err(Error::Io(format!(
                "the {} engine updates only the point-dipole field flip by flip: term {} depends on the spins",
                Self::KIND,
                term.name()
            )));
        }
        self.array_mut().add_term(term).map_err(Error::Io)?;
        self.state_changed();
        Ok(())
    }
}

/// Implements [`crate::engine::Engine`] for a [`BinaryEngine`]: observables (with the flips
/// per update as extra columns), outputs, save/restore and forks (a clone of the whole
/// state), the protocol, the field self-check.
#[macro_export]
macro_rules! binary_engine {
    ($t:ty) => {
        impl $crate::engine::Engine for $t {
            fn kind(&self) -> &'static str {
                <$t as $crate::binary::engine::BinaryEngine>::KIND
            }
            fn time(&self) -> f64 {
                self.clock()
            }
            fn observables(&self) -> $crate::engine::Observables {
                let a = self.array();
                let mut o = $crate::engine::Observables::new(
                    self.clock(),
                    a.average(),
                    a.b_ext,
                    self.energy_parts(),
                    a.w_ext,
                    a.q_diss,
                );
                o.extra = vec![("flips", a.last_flips as f64), ("flips_total", a.flips as f64)];
                o
            }
            fn advance(
                &mut self,
                h_out: f64,
                n: usize,
                observer: &mut dyn FnMut(&$crate::engine::Observables) -> Result<(), $crate::error::Error>,
            ) -> Result<(), $crate::error::Error> {
                let t0 = self.clock();
                for k in 1..=n {
                    self.array_mut().last_flips = 0;
                    self.advance_to(t0 + k as f64 * h_out)?;
                    observer(&self.observables())?;
                }
                Ok(())
            }
            fn run_for(&mut self, duration: f64) -> Result<(), $crate::error::Error> {
                self.array_mut().last_flips = 0;
                let t = self.clock() + duration;
                self.advance_to(t)
            }
            fn work_and_heat(&self) -> (f64, f64) {
                (self.array().w_ext, self.array().q_diss)
            }
            fn state_m(&self) -> Vec<f64> {
                self.array().m_flat()
            }
            /// Each island takes the state s_i = sign(m_i·ê_i) of the given vectors.
            fn set_state_m(&mut self, m: &[f64]) -> Result<(), $crate::error::Error> {
                let a = self.array_mut();
                if m.len() != 3 * a.len() {
                    return Err($crate::error::Error::Io(format!(
                        "a state of {} values does not fit {} islands",
                        m.len(),
                        a.len()
                    )));
                }
                for i in 0..a.len() {
                    let e = a.axis[i];
                    a.spin[i] = if m[3 * i] * e.x + m[3 * i + 1] * e.y + m[3 * i + 2] * e.z >= 0.0 { 1 } else { -1 };
                }
                a.recompute_fields();
                self.state_changed();
                Ok(())
            }
            fn islands(&self) -> &[$crate::geometry::Island] {
                &self.array().islands
            }
            fn island_m(&self) -> Vec<nalgebra::Vector3<f64>> {
                let a = self.array();
                (0..a.len()).map(|i| a.m(i)).collect()
            }
            fn island_moments(&self) -> Vec<f64> {
                self.array().moment.clone()
            }
            fn protocol(&self) -> &$crate::protocol::Protocol {
                &self.array().protocol
            }
            fn set_protocol(&mut self, p: $crate::protocol::Protocol) {
                let a = self.array_mut();
                a.protocol = p;
                (a.w_ext, a.q_diss) = (0.0, 0.0);
                self.reset_clock();
            }
            fn save(&self) -> $crate::engine::Saved {
                $crate::engine::Saved {
                    engine: <$t as $crate::binary::engine::BinaryEngine>::KIND,
                    t: self.clock(),
                    data: Box::new(self.clone()),
                }
            }
            fn restore(&mut self, s: &$crate::engine::Saved) -> Result<(), $crate::error::Error> {
                match s.data.downcast_ref::<$t>() {
                    Some(e)
                        if s.engine == <$t as $crate::binary::engine::BinaryEngine>::KIND
                            && e.array().len() == self.array().len() =>
                    {
                        *self = e.clone();
                        Ok(())
                    }
                    _ => Err($crate::error::Error::Io(format!(
                        "cannot restore a {} state into a {} engine of {} islands",
                        s.engine,
                        <$t as $crate::binary::engine::BinaryEngine>::KIND,
                        self.array().len()
                    ))),
                }
            }
            fn relax(&mut self, _max_torque: f64) -> Result<$crate::engine::Relaxed, $crate::error::Error> {
                $crate::binary::engine::BinaryEngine::relax_now(self)
            }
            fn cost(&self) -> $crate::engine::Cost {
                $crate::engine::Cost {
                    evaluations: self.evaluations(),
                    steps: self.array().flips,
                    elements: self.array().len(),
                }
            }
            fn describe(&self) -> serde_json::Value {
                self.describe_engine()
            }
            fn fork(&self) -> Box<dyn $crate::engine::Engine> {
                Box::new(self.clone())
            }
            fn check_terms(&self) -> Result<(), String> {
                self.check_fields()
            }
        }
    };
}

/// Cost of a binary (switching or kinetic Monte Carlo) engine: ~400 B per island and 64 B per
/// dipolar pair; it steps per output row, each touching islands + pairs.
pub fn cost(cfg: &crate::config::SimConfig, islands: &[crate::geometry::Island]) -> crate::engine::EngineCost {
    let (n, p) = (islands.len() as f64, cfg.pairs(islands));
    crate::engine::EngineCost {
        memory: 400.0 * n + 64.0 * p,
        elements: n + p,
        stages: 1.0,
        cells: 0.0,
        step: None,
        ..Default::default()
    }
}
