//! Exchange: the six-neighbour discretisation of $E = A\int|\nabla m|^2 dV$,
//! $$ E_{ex} = A\,V_c \sum_{\langle ij\rangle} \frac{|m_j - m_i|^2}{d_{ij}^2}, \qquad
//!    B_{ex,i} = -\frac{1}{M_{s,i} V_c}\frac{\partial E}{\partial m_i}
//!            = \frac{2A}{M_{s,i}} \sum_{j\in nb(i)} \frac{m_j - m_i}{d_{ij}^2} \ \ (\mathrm{T}), $$
//! each pair of magnetic neighbours once; a missing neighbour (grid edge or empty cell)
//! drops out: the free boundary ∂m/∂n = 0.

use crate::micromag::mesh::{min_items, Mesh};
use rayon::prelude::*;

/// Adds B_ex (T) to `b` for magnetisation `m` (3 per cell); rows of cells in parallel. A row
/// whose cells and existing neighbour rows all have the same M_s (the inside of a film or a
/// box) takes `add_uniform_row`, a loop over the row's components that vectorises.
pub fn add_field(mesh: &Mesh, a_ex: f64, m: &[f64], b: &mut [f64]) {
    let [nx, ny, nz] = mesh.n;
    let inv = mesh.d.map(|d| 1.0 / (d * d));
    let ms = &mesh.ms;
    b.par_chunks_mut(3 * nx).enumerate().with_min_len(min_items(nx)).for_each(|(row, brow)| {
        let (j, k) = (row % ny, row / ny);
        let first = row * nx;
        if add_uniform_row(mesh, a_ex, m, row, brow) {
            return;
        }
        // Neighbour offsets along y and z that exist for this row, with their 1/d².
        let mut across = [(0usize, false, 0.0); 4];
        let mut n_across = 0;
        for (ok, off, up, w) in [
            (j > 0, nx, false, inv[1]),
            (j + 1 < ny, nx, true, inv[1]),
            (k > 0, nx * ny, false, inv[2]),
            (k + 1 < nz, nx * ny, true, inv[2]),
        ] {
            if ok {
                across[n_across] = (off, up, w);
                n_across += 1;
            }
        }
        for i in 0..nx {
            let c = first + i;
            if ms[c] == 0.0 {
                continue;
            }
            let mc = &m[3 * c..3 * c + 3];
            let mut acc = [0.0; 3];
            let mut add = |nb: usize, w: f64| {
                if ms[nb] != 0.0 {
                    let mn = &m[3 * nb..3 * nb + 3];
                    for q in 0..3 {
                        acc[q] += w * (mn[q] - mc[q]);
                    }
                }
            };
            if i > 0 {
                add(c - 1, inv[0]);
            }
            if i + 1 < nx {
                add(c + 1, inv[0]);
            }
            for &(off, up, w) in &across[..n_across] {
                add(if up { c + off } else { c - off }, w);
            }
            let pre = 2.0 * a_ex / ms[c];
            for q in 0..3 {
                brow[3 * i + q] += pre * acc[q];
            }
        }
    });
}

/// The fast path of [`add_field`] for row `row`: if its cells and those of its existing y/z
/// neighbour rows share one M_s ≠ 0, adds
/// B = (2A/M_s) Σ_axes (m_{i−1} + m_{i+1} − 2 m_i)/d² (missing neighbours at the grid edge
/// drop out) to `brow` and returns true; otherwise leaves it and returns false.
fn add_uniform_row(mesh: &Mesh, a_ex: f64, m: &[f64], row: usize, brow: &mut [f64]) -> bool {
    let [nx, ny, nz] = mesh.n;
    let (j, k) = (row % ny, row / ny);
    let ms0 = mesh.ms[row * nx];
    let rows = [
        (j > 0).then(|| row - 1),
        (j + 1 < ny).then(|| row + 1),
        (k > 0).then(|| row - ny),
        (k + 1 < nz).then(|| row + ny),
    ];
    let uniform = |r: usize| mesh.ms[r * nx..(r + 1) * nx].iter().all(|&v| v == ms0);
    if ms0 == 0.0 || !uniform(row) || !rows.iter().flatten().all(|&r| uniform(r)) {
        return false;
    }
    let pre = 2.0 * a_ex / ms0;
    let inv = mesh.d.map(|d| pre / (d * d));
    let n3 = 3 * nx;
    let mr = &m[3 * row * nx..3 * row * nx + n3];
    // Along y and z: w (m_nb − m) for each neighbour row that exists.
    for (r, w) in rows.iter().zip([inv[1], inv[1], inv[2], inv[2]]) {
        if let Some(r) = r {
            let mn = &m[3 * r * nx..3 * r * nx + n3];
            for ((bq, a), c) in brow.iter_mut().zip(mn).zip(mr) {
                *bq += w * (a - c);
            }
        }
    }
    // Along x: neighbours three components apart.
    if nx > 1 {
        let w = inv[0];
        for ((bq, a), c) in brow[..n3 - 3].iter_mut().zip(&mr[3..]).zip(&mr[..n3 - 3]) {
            *bq += w * (a - c);
        }
        for ((bq, a), c) in brow[3..].iter_mut().zip(&mr[..n3 - 3]).zip(&mr[3..]) {
            *bq += w * (a - c);
        }
    }
    true
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

/// The exchange term with stiffness A (J/m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exchange {
    pub a_ex: f64,
}

impl super::MicroTerm for Exchange {
    fn name(&self) -> &'static str {
        "e_exchange"
    }
    fn add_field(&self, mesh: &Mesh, m: &[f64], _b_ext: &nalgebra::Vector3<f64>, b: &mut [f64]) {
        add_field(mesh, self.a_ex, m, b);
    }
    fn energy(&self, mesh: &Mesh, m: &[f64], _b_ext: &nalgebra::Vector3<f64>) -> f64 {
        energy(mesh, self.a_ex, m)
    }
    fn clone_box(&self) -> Box<dyn super::MicroTerm> {
        Box::new(*self)
    }
}
