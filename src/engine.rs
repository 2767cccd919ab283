//! The engine interface: everything downstream (output, figures, and later encoders,
//! features and sweeps) sees an [`Engine`], never which engine ran.

use crate::error::Error;
use nalgebra::Vector3;

/// Names of the energy parts, in table order. Parts a run does not have are 0.
pub const ENERGY_PARTS: [&str; 4] = ["e_zeeman", "e_shape", "e_anisotropy", "e_dipolar"];

/// What one output row reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Observables {
    /// Time (s).
    pub t: f64,
    /// Volume-weighted array average ⟨m⟩ = Σ V_i m_i / Σ V_i.
    pub m: Vector3<f64>,
    /// Applied field B_ext(t) (T).
    pub b_ext: Vector3<f64>,
    /// Energy parts (J), in the order of [`ENERGY_PARTS`].
    pub parts: [f64; 4],
    /// Total magnetic energy E (J).
    pub e_total: f64,
    /// Work done by the applied field since t = 0 (J).
    pub w_ext: f64,
    /// Gilbert dissipation since t = 0 (J).
    pub q_diss: f64,
}

/// A magnetisation-dynamics engine driven by a field protocol.
pub trait Engine {
    /// Current time (s).
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
    /// Unit magnetisation of each island (or cell).
    fn magnetisation(&self) -> Vec<Vector3<f64>>;
    /// Right-hand-side (effective-field) evaluations so far.
    fn evaluations(&self) -> u64;
}
