//! The interaction terms of a binary array, one per file (as the LLG engines' terms): each
//! gives the field B_i (T) it adds at every island and its own energy E (J), registered once
//! with [`super::BinaryArray::add_term`]. The binary engines take every flip decision, every
//! ΔE booked into Q and every energy part from the registered terms, so a term whose energy
//! is missing breaks E(t) − E(0) = W_ext − Q (the engine contract test checks it).
//!
//! A term is either *fixed* — its field does not depend on the spins (a bias field) — or
//! *coupled*, its field linear in the moments, B_i = Σ_j K_ij μ_j, and changed flip by flip
//! through [`BinaryTerm::kick`] (ΔB_j = K_ji Δμ_i).

pub mod bias;
pub mod dipolar;

use crate::terms::dipolar::Dipolar;
use nalgebra::Vector3;

/// One interaction term of a binary array.
pub trait BinaryTerm: Send + Sync {
    /// Column name of its energy in `table.csv` (e.g. `e_dipolar`).
    fn name(&self) -> &'static str;
    /// Adds this term's field (T, 3 per island) for the unit moments `m` (3 per island), from
    /// scratch.
    fn add_field(&self, m: &[f64], b: &mut [f64]);
    /// This term's energy (J) for the moments `mu` = μ_i m_i (A·m², 3 per island), given `b`,
    /// its own field at every island (kept current by the array).
    fn energy(&self, mu: &[f64], b: &[f64]) -> f64;
    /// Whether the field depends on the spins (then [`BinaryTerm::kick`] updates it).
    fn coupled(&self) -> bool;
    /// Island i's moment changed by `dmu` (A·m²): adds the change of this term's field to `b`
    /// (T, 3 per island) — ΔB_j = K_ji Δμ_i for a coupled term, nothing for a fixed one.
    fn kick(&self, _i: usize, _dmu: Vector3<f64>, _b: &mut [f64]) {}
    /// The islands whose field changes when island i flips.
    fn neighbours(&self, _i: usize, _f: &mut dyn FnMut(usize)) {}
    /// The point-dipole coupling behind this term, if it is one (the kinetic Monte Carlo
    /// engine's event stream keeps its own copy of the pair kernels).
    fn dipolar(&self) -> Option<&Dipolar> {
        None
    }
    /// An independent copy.
    fn clone_box(&self) -> Box<dyn BinaryTerm>;
}

impl Clone for Box<dyn BinaryTerm> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}
