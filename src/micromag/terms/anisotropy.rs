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
