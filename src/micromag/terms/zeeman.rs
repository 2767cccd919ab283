//! Zeeman: the applied field of the protocol, $B_i = B_{ext}(t)$ in every magnetic cell;
//! $E_Z = -\sum_i M_{s,i} V\, m_i\cdot B_{ext}$.

use crate::micromag::mesh::{Mesh, PAR_GRAIN};
use nalgebra::Vector3;
use rayon::prelude::*;

pub fn add_field(mesh: &Mesh, b_ext: &Vector3<f64>, b: &mut [f64]) {
    b.par_chunks_mut(3).enumerate().with_min_len(PAR_GRAIN).for_each(|(i, bi)| {
        if mesh.ms[i] != 0.0 {
            bi[0] += b_ext.x;
            bi[1] += b_ext.y;
            bi[2] += b_ext.z;
        }
    });
}

pub fn energy(mesh: &Mesh, b_ext: &Vector3<f64>, m: &[f64]) -> f64 {
    let v = mesh.cell_volume();
    -(0..mesh.cells())
        .map(|i| mesh.ms[i] * v * (m[3 * i] * b_ext.x + m[3 * i + 1] * b_ext.y + m[3 * i + 2] * b_ext.z))
        .sum::<f64>()
}

/// The Zeeman term of the applied field.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Zeeman;

impl super::MicroTerm for Zeeman {
    fn name(&self) -> &'static str {
        "e_zeeman"
    }
    fn add_field(&self, mesh: &Mesh, _m: &[f64], b_ext: &Vector3<f64>, b: &mut [f64]) {
        add_field(mesh, b_ext, b);
    }
    fn energy(&self, mesh: &Mesh, m: &[f64], b_ext: &Vector3<f64>) -> f64 {
        energy(mesh, b_ext, m)
    }
    fn clone_box(&self) -> Box<dyn super::MicroTerm> {
        Box::new(*self)
    }
}
