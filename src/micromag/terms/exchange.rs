//! Exchange: the six-neighbour discretisation of $E = A\int|\nabla m|^2 dV$,
//! $$ E_{ex} = A\,V_c \sum_{\langle ij\rangle} \frac{|m_j - m_i|^2}{d_{ij}^2}, \qquad
//!    B_{ex,i} = -\frac{1}{M_{s,i} V_c}\frac{\partial E}{\partial m_i}
//!            = \frac{2A}{M_{s,i}} \sum_{j\in nb(i)} \frac{m_j - m_i}{d_{ij}^2} \ \ (\mathrm{T}), $$
//! each pair of magnetic neighbours once; a missing neighbour (grid edge or empty cell)
//! drops out: the free boundary ∂m/∂n = 0.

use crate::micromag::mesh::Mesh;

/// Adds B_ex (T) to `b` for magnetisation `m` (3 per cell).
pub fn add_field(mesh: &Mesh, a_ex: f64, m: &[f64], b: &mut [f64]) {
    for_pairs(mesh, |i, j, inv_d2| {
        for c in 0..3 {
            let dm = m[3 * j + c] - m[3 * i + c];
            b[3 * i + c] += 2.0 * a_ex / mesh.ms[i] * inv_d2 * dm;
            b[3 * j + c] -= 2.0 * a_ex / mesh.ms[j] * inv_d2 * dm;
        }
    });
}

/// E_ex (J).
pub fn energy(mesh: &Mesh, a_ex: f64, m: &[f64]) -> f64 {
    let mut e = 0.0;
    for_pairs(mesh, |i, j, inv_d2| {
        let d2: f64 = (0..3).map(|c| (m[3 * j + c] - m[3 * i + c]).powi(2)).sum();
        e += d2 * inv_d2;
    });
    a_ex * mesh.cell_volume() * e
}

/// Calls `f(i, j, 1/d²)` once for every pair of magnetic nearest neighbours (j = i + 1 along
/// an axis).
fn for_pairs(mesh: &Mesh, mut f: impl FnMut(usize, usize, f64)) {
    let [nx, ny, nz] = mesh.n;
    let inv = mesh.d.map(|d| 1.0 / (d * d));
    for k in 0..nz {
        for j in 0..ny {
            for i in 0..nx {
                let c = mesh.index(i, j, k);
                if mesh.ms[c] == 0.0 {
                    continue;
                }
                let nbs = [(i + 1 < nx, 1usize, 0), (j + 1 < ny, nx, 1), (k + 1 < nz, nx * ny, 2)];
                for (ok, stride, axis) in nbs {
                    if ok && mesh.ms[c + stride] != 0.0 {
                        f(c, c + stride, inv[axis]);
                    }
                }
            }
        }
    }
}
