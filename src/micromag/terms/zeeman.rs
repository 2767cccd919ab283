//! Zeeman: the applied field of the protocol, $B_i = B_{ext}$ in every magnetic cell;
//! $E_Z = -\sum_i M_{s,i} V\, m_i\cdot B_{ext}$ (the shared [`crate::llg::zeeman`] on the cells'
//! moments).

use crate::llg::zeeman;
use crate::micromag::mesh::{Mesh, PAR_GRAIN};
use nalgebra::Vector3;
use rayon::prelude::*;

/// The Zeeman term of the applied field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Zeeman {
    /// M_{s,i} V per cell (A·m²).
    pub moments: Vec<f64>,
}

impl Zeeman {
    pub fn new(mesh: &Mesh) -> Self {
        let v = mesh.cell_volume();
        Zeeman { moments: mesh.ms.iter().map(|ms| ms * v).collect() }
    }
}

impl super::MicroTerm for Zeeman {
    fn name(&self) -> &'static str {
        "e_zeeman"
    }
    /// B_ext added in every magnetic cell, in parallel over grains of cells.
    fn add_field(&self, _mesh: &Mesh, _m: &[f64], b_ext: &Vector3<f64>, b: &mut [f64]) {
        b.par_chunks_mut(3 * PAR_GRAIN)
            .zip(self.moments.par_chunks(PAR_GRAIN))
            .for_each(|(bc, mu)| zeeman::add_field(bc, b_ext, mu));
    }
    fn energy(&self, _mesh: &Mesh, m: &[f64], b_ext: &Vector3<f64>) -> f64 {
        zeeman::energy(&self.moments, m, b_ext)
    }
    fn clone_box(&self) -> Box<dyn super::MicroTerm> {
        Box::new(self.clone())
    }
}
