//! [`LlgEngine`]: an engine built on [`Dynamics`] supplies only what is its own (its kind,
//! islands, island means and moments, textures, cells, description); the rest of
//! [`Engine`] — stepping, observables, save/restore, protocol, relaxation, cost, the term
//! self-check — comes from the shared core through the blanket implementation below.

use super::dynamics::{Dynamics, Minimiser};
use super::LlgSystem;
use crate::engine::{Cells, Cost, Engine, Observables, Relaxed, Saved, Texture};
use crate::error::Error;
use crate::geometry::Island;
use crate::protocol::Protocol;
use nalgebra::Vector3;

/// An LLG engine: a system in [`Dynamics`] plus what the engine knows of its islands.
pub trait LlgEngine: Clone + Send + Sync + 'static {
    type System: LlgSystem + Clone + 'static;
    /// Registry name (`solver.kind`).
    const KIND: &'static str;
    fn dynamics(&self) -> &Dynamics<Self::System>;
    fn dynamics_mut(&mut self) -> &mut Dynamics<Self::System>;
    /// How [`Engine::relax`] relaxes.
    fn minimiser(&self) -> Minimiser;
    fn llg_islands(&self) -> &[Island];
    /// Mean unit magnetisation of each island.
    fn llg_island_m(&self) -> Vec<Vector3<f64>>;
    /// Moment Ms·V of each island (A·m²).
    fn llg_island_moments(&self) -> Vec<f64>;
    /// Per-island texture; a macrospin is uniform.
    fn llg_island_textures(&self) -> Vec<Texture> {
        self.llg_island_m().iter().map(|m| Texture { norm: m.norm(), circulation: 0.0, polarity: m.z }).collect()
    }
    /// The cells, for grid-based engines.
    fn llg_cells(&self) -> Option<Cells<'_>> {
        None
    }
    /// Engine-specific entries for `summary.json`.
    fn llg_describe(&self) -> serde_json::Value;
}

impl<E: LlgEngine> Engine for E {
    fn kind(&self) -> &'static str {
        E::KIND
    }
    fn time(&self) -> f64 {
        self.dynamics().time()
    }
    fn observables(&self) -> Observables {
        self.dynamics().observables()
    }
    fn advance(
        &mut self,
        h_out: f64,
        n: usize,
        observer: &mut dyn FnMut(&Observables) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.dynamics_mut().advance(h_out, n, observer)
    }
    fn run_for(&mut self, duration: f64) -> Result<(), Error> {
        self.dynamics_mut().run_for(duration)
    }
    fn work_and_heat(&self) -> (f64, f64) {
        self.dynamics().work_and_heat()
    }
    fn state_m(&self) -> Vec<f64> {
        self.dynamics().m().to_vec()
    }
    fn set_state_m(&mut self, m: &[f64]) -> Result<(), Error> {
        self.dynamics_mut().set_m(m)
    }
    fn islands(&self) -> &[Island] {
        self.llg_islands()
    }
    fn island_m(&self) -> Vec<Vector3<f64>> {
        self.llg_island_m()
    }
    fn island_moments(&self) -> Vec<f64> {
        self.llg_island_moments()
    }
    fn island_textures(&self) -> Vec<Texture> {
        self.llg_island_textures()
    }
    fn protocol(&self) -> &Protocol {
        self.dynamics().sys.protocol()
    }
    fn set_protocol(&mut self, p: Protocol) {
        self.dynamics_mut().set_protocol(p);
    }
    fn save(&self) -> Saved {
        self.dynamics().save(E::KIND)
    }
    fn restore(&mut self, s: &Saved) -> Result<(), Error> {
        self.dynamics_mut().restore(E::KIND, s)
    }
    fn relax(&mut self, max_torque: f64) -> Result<Relaxed, Error> {
        let how = self.minimiser();
        self.dynamics_mut().relax(max_torque, how, crate::config::MAX_RELAX_ITERATIONS)
    }
    fn cost(&self) -> Cost {
        self.dynamics().cost()
    }
    fn cells(&self) -> Option<Cells<'_>> {
        self.llg_cells()
    }
    fn describe(&self) -> serde_json::Value {
        self.llg_describe()
    }
    fn fork(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
    fn check_terms(&self) -> Result<(), String> {
        let d = self.dynamics();
        let (sys, m, t) = (&d.sys, d.m(), d.time());
        let n = sys.elements();
        let picks: Vec<usize> = (0..n).filter(|&i| sys.moments()[i] != 0.0).step_by((n / 5).max(1)).collect();
        super::check::check_terms(sys, &sys.term_fields(t, m), t, m, &picks)
    }
}
