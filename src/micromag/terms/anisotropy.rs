//! Uniaxial anisotropy: $E_K = -K_u V \sum_i (m_i\cdot u)^2$,
//! $B_{K,i} = \frac{2K_u}{M_{s,i}}(m_i\cdot u)\,u$ (T).

use crate::micromag::mesh::Mesh;
use nalgebra::Vector3;

pub fn add_field(mesh: &Mesh, ku: f64, u: &Vector3<f64>, m: &[f64], b: &mut [f64]) {
    if ku == 0.0 {
        return;
    }
    for i in 0..mesh.cells() {
        if mesh.ms[i] == 0.0 {
            continue;
        }
        let mu = m[3 * i] * u.x + m[3 * i + 1] * u.y + m[3 * i + 2] * u.z;
        let k = 2.0 * ku / mesh.ms[i] * mu;
        b[3 * i] += k * u.x;
        b[3 * i + 1] += k * u.y;
        b[3 * i + 2] += k * u.z;
    }
}

pub fn energy(mesh: &Mesh, ku: f64, u: &Vector3<f64>, m: &[f64]) -> f64 {
    let v = mesh.cell_volume();
    -(0..mesh.cells())
        .filter(|&i| mesh.ms[i] != 0.0)
        .map(|i| {
            let mu = m[3 * i] * u.x + m[3 * i + 1] * u.y + m[3 * i + 2] * u.z;
            ku * v * mu * mu
        })
        .sum::<f64>()
}
