//! The engine interface: everything downstream (outputs, figures, reservoir features,
//! spectra, sweeps, the energy model) sees an [`Engine`], never which engine ran. This is the
//! bottom of the engine stack: it imports no config and no engine. Engines are plug-ins: each
//! lives in its own folder, describes itself by a [`crate::config::plugin::Entry`] and is
//! listed once in [`crate::registry::REGISTRY`], which builds whichever a validated config
//! asks for.
//!
//! Energy terms register themselves: an engine reports E_total as the sum of the named parts
//! its terms give ([`Observables::parts`]), so no term can be missing from E_total or from
//! the balance E(t) − E(0) = W_ext − Q.

use crate::error::Error;
use crate::geometry::mesh::Mesh;
use crate::geometry::Island;
use crate::protocol::Protocol;
use nalgebra::Vector3;
pub mod cost;
pub use cost::EngineCost;

use std::any::Any;
use std::sync::Arc;

/// What one output row reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Observables {
    /// Time (s) since the protocol started.
    pub t: f64,
    /// Moment-weighted array average ⟨m⟩ = Σ μ_i m_i / Σ μ_i.
    pub m: Vector3<f64>,
    /// Applied field B_ext(t) (T).
    pub b_ext: Vector3<f64>,
    /// Energy of every registered term (column name without unit, J), in registration order.
    pub parts: Vec<(&'static str, f64)>,
    /// Total magnetic energy E = Σ parts (J).
    pub e_total: f64,
    /// Work done by the applied field since the protocol started (J).
    pub w_ext: f64,
    /// Dissipation since the protocol started (J): Gilbert damping for the LLG engines, the
    /// energy released by flips for the switching engines.
    pub q_diss: f64,
    /// Engine-specific columns (name with unit, value), e.g. flips per field step.
    pub extra: Vec<(&'static str, f64)>,
}

impl Observables {
    /// Builds observables whose total is the sum of the registered parts.
    pub fn new(
        t: f64,
        m: Vector3<f64>,
        b_ext: Vector3<f64>,
        parts: Vec<(&'static str, f64)>,
        w_ext: f64,
        q_diss: f64,
    ) -> Self {
        let e_total = parts.iter().map(|p| p.1).sum();
        Observables { t, m, b_ext, parts, e_total, w_ext, q_diss, extra: Vec::new() }
    }

    /// The energy of the part named `name` (J), if registered.
    pub fn part(&self, name: &str) -> Option<f64> {
        self.parts.iter().find(|p| p.0 == name).map(|p| p.1)
    }
}

/// What tells a vortex from a macrospin in one island (island means over its cells for the
/// micromagnetic engine; a macrospin is always uniform).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Texture {
    /// |⟨m⟩| over the island (1 for a uniform island, near 0 for a closed vortex).
    pub norm: f64,
    /// Circulation ⟨ẑ·(r̂ × m)⟩ over the island's cells, r̂ the in-plane direction from the
    /// island centre: +1 counter-clockwise vortex, −1 clockwise, ~0 uniform.
    pub circulation: f64,
    /// m_z of the island's most out-of-plane cell (a vortex core: ±1; in-plane states ~0).
    pub polarity: f64,
}

/// Work done so far.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cost {
    /// Right-hand-side (effective-field) evaluations.
    pub evaluations: u64,
    /// Accepted time steps (or relaxation iterations).
    pub steps: u64,
    /// Elements (islands or cells) in one evaluation.
    pub elements: usize,
}

/// What a relaxation did.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Relaxed {
    pub iterations: u64,
    pub evaluations: u64,
    /// Largest |m × B_eff| (T) at the end.
    pub max_torque: f64,
}

/// The cells of a grid-based engine, for cell-level output and features.
pub struct Cells<'a> {
    pub mesh: &'a Mesh,
    /// Unit m per cell (3 per cell, zero in empty cells).
    pub m: &'a [f64],
}

/// A saved engine state: everything needed to continue the run bit for bit (time,
/// magnetisation, bookkeeping, stepper state and random stream, protocol).
pub struct Saved {
    /// The engine kind that saved it.
    pub engine: &'static str,
    /// Time (s).
    pub t: f64,
    /// Engine-specific contents.
    pub data: Box<dyn Any + Send + Sync>,
}

/// A magnetisation-dynamics engine driven by a field protocol.
pub trait Engine: Send + Sync {
    /// Registry name (`solver.kind`).
    fn kind(&self) -> &'static str;
    /// Current time (s) since the protocol started.
    fn time(&self) -> f64;
    /// Observables of the current state.
    fn observables(&self) -> Observables;
    /// Advances through `n` output intervals of `h_out` s, handing each row to `observer`.
    fn advance(
        &mut self,
        h_out: f64,
        n: usize,
        observer: &mut dyn FnMut(&Observables) -> Result<(), Error>,
    ) -> Result<(), Error>;
    /// Advances by `duration` s without computing observables.
    fn run_for(&mut self, duration: f64) -> Result<(), Error>;
    /// (W_ext, Q) since the protocol started (J).
    fn work_and_heat(&self) -> (f64, f64);
    /// The full magnetisation: unit vectors, 3 per element (islands, or cells).
    fn state_m(&self) -> Vec<f64>;
    /// Replaces the full magnetisation (3 per element, as [`Engine::state_m`] gives it).
    fn set_state_m(&mut self, m: &[f64]) -> Result<(), Error>;
    /// The islands (empty for a plain box of cells).
    fn islands(&self) -> &[Island];
    /// Mean unit magnetisation of each island.
    fn island_m(&self) -> Vec<Vector3<f64>>;
    /// Moment magnitude Ms·V of each island (A·m²).
    fn island_moments(&self) -> Vec<f64>;
    /// Per-island texture; a macrospin is uniform.
    fn island_textures(&self) -> Vec<Texture> {
        self.island_m().iter().map(|m| Texture { norm: m.norm(), circulation: 0.0, polarity: m.z }).collect()
    }
    /// The applied-field protocol.
    fn protocol(&self) -> &Protocol;
    /// Starts a new protocol from the current magnetisation: time, W_ext and Q restart at 0.
    fn set_protocol(&mut self, p: Protocol);
    fn save(&self) -> Saved;
    /// Restores a state saved by an engine of the same kind and size.
    fn restore(&mut self, s: &Saved) -> Result<(), Error>;
    /// Relaxes to a (local) energy minimum in the current applied field until max|m × B| <
    /// `max_torque` (T). Time does not advance.
    fn relax(&mut self, _max_torque: f64) -> Result<Relaxed, Error> {
        Err(Error::Io(format!("the {} engine cannot relax", self.kind())))
    }
    /// Work done so far.
    fn cost(&self) -> Cost;
    /// The cells, for grid-based engines.
    fn cells(&self) -> Option<Cells<'_>> {
        None
    }
    /// Engine-specific entries for `summary.json` (mesh, method, …).
    fn describe(&self) -> serde_json::Value;
    /// An independent copy (same state, own buffers), e.g. to probe a snapshot.
    fn fork(&self) -> Box<dyn Engine>;
    /// Checks on the current state that the field acting on m is the sum of the registered
    /// terms and that each term's field is the gradient of its own energy (e.g.
    /// `crate::llg::check`); names the first term that fails.
    fn check_terms(&self) -> Result<(), String>;
}

/// An engine's validated settings, if it has any beyond the common ones.
pub type EngineSpec = Option<Arc<dyn Any + Send + Sync>>;

/// Values every engine's validator may use (already checked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Common {
    /// Largest applied field of the run (T).
    pub b_max: f64,
    pub ms: f64,
    pub ku: f64,
    /// Largest field a time step must resolve before the engine's own terms: applied +
    /// μ0·Ms + 2K_u/Ms (T).
    pub b_scale: f64,
    /// The fixed step (s) of rk4/heun, if one is used.
    pub fixed_dt: Option<f64>,
}

/// How to relax: damping-only descent (RK45) or Barzilai–Borwein steepest descent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minimiser {
    Descent,
    BarzilaiBorwein,
}

impl Minimiser {
    pub fn name(self) -> &'static str {
        match self {
            Minimiser::Descent => "descent",
            Minimiser::BarzilaiBorwein => "bb",
        }
    }
}
