//! Effective-field terms of the micromagnetic engine, one per file (fields in T, energies in
//! J), behind [`MicroTerm`]. A term's field and energy come from the same object, registered
//! once ([`crate::micromag::system::MicroSystem::add_term`]), so no term's energy can be
//! missing from E_total.

pub mod anisotropy;
pub mod demag;
pub mod exchange;
pub mod zeeman;

use crate::micromag::mesh::Mesh;
use nalgebra::Vector3;

/// One term of the effective field.
pub trait MicroTerm: Send + Sync {
    /// Name of its energy (the table column, without unit).
    fn name(&self) -> &'static str;
    /// Adds its field (T) at every cell to `b` (3 per cell) for magnetisation `m` and applied
    /// field `b_ext` (T).
    fn add_field(&self, mesh: &Mesh, m: &[f64], b_ext: &Vector3<f64>, b: &mut [f64]);
    /// Its energy (J).
    fn energy(&self, mesh: &Mesh, m: &[f64], b_ext: &Vector3<f64>) -> f64;
    /// An independent copy (own work buffers).
    fn clone_box(&self) -> Box<dyn MicroTerm>;
}

impl Clone for Box<dyn MicroTerm> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}
