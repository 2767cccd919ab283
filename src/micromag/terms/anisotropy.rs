//! Uniaxial anisotropy along each cell's easy axis u_i: $E_K = -K_u V \sum_i (m_i\cdot u_i)^2$,
//! $B_{K,i} = \frac{2K_u}{M_{s,i}}(m_i\cdot u_i)\,u_i$ (T).

use crate::micromag::mesh::{Mesh, PAR_GRAIN};
use rayon::prelude::*;

pub fn add_field(mesh: &Mesh, ku: f64, m: &[f64], b: &mut [f64]) {
    if ku == 0.0 {
        return;
    }
    b.par_chunks_mut(3).enumerate().with_min_len(PAR_GRAIN).for_each(|(i, bi)| {
        if mesh.ms[i] == 0.0 {
            return;
        }
        let u = mesh.axis[i];
        let mu = m[3 * i] * u[0] + m[3 * i + 1] * u[1] + m[3 * i + 2] * u[2];
        let k = 2.0 * ku / mesh.ms[i] * mu;
        bi[0] += k * u[0];
        bi[1] += k * u[1];
        bi[2] += k * u[2];
    });
}

pub fn energy(mesh: &Mesh, ku: f64, m: &[f64]) -> f64 {
    let v = mesh.cell_volume();
    -(0..mesh.cells())
        .filter(|&i| mesh.ms[i] != 0.0)
        .map(|i| {
            let u = mesh.axis[i];
            let mu = m[3 * i] * u[0] + m[3 * i + 1] * u[1] + m[3 * i + 2] * u[2];
            ku * v * mu * mu
        })
        .sum::<f64>()
}

/// The uniaxial anisotropy term with constant K_u (J/m³).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anisotropy {
    pub ku: f64,
}

impl super::MicroTerm for Anisotropy {
    fn name(&self) -> &'static str {
        "e_anisotropy"
    }
    fn add_field(&self, mesh: &Mesh, m: &[f64], _b_ext: &nalgebra::Vector3<f64>, b: &mut [f64]) {
        add_field(mesh, self.ku, m, b);
    }
    fn energy(&self, mesh: &Mesh, m: &[f64], _b_ext: &nalgebra::Vector3<f64>) -> f64 {
        energy(mesh, self.ku, m)
    }
    fn clone_box(&self) -> Box<dyn super::MicroTerm> {
        Box::new(*self)
    }
}
