//! The dipolar field of the switching model in flatspin's form, evaluated with flatspin's
//! arithmetic so that runs can be compared flip for flip: positions in units of the lattice
//! spacing a, r = p_j − p_i, d = |r|; the pair field of a positive moment ê_j at i,
//! $h_{ij} = -\hat e_j/d^3 + 3 r (\hat e_j\cdot r)/d^5$, stored once as its components along
//! ê_i and ê_i⊥ = (−ê_iy, ê_ix) (times μ_j/μ_0 for islands of another moment); per island the
//! sum $S_i = \sum_j h_{ij} s_j$ in increasing j; the field in the frame of the present moment
//! s_i ê_i is $h_{dip,i} = \alpha\,(s_i S_i)$ with flatspin's coupling
//! $\alpha = \mu_0 \mu_0' /(4\pi a^3)$ (T; μ_0' the moment of island 0). Distinct pair values
//! are stored once and shared by islands with the same neighbourhood (as the macrospin
//! engine's kernels), so large lattices stay small in memory. After a flip of island i the
//! neighbours' sums are either updated, S_j += h_ji Δs_i (fast; `exact = false`, the default
//! — the sums are redone from scratch once per N flips so rounding cannot build up), or
//! re-summed from scratch in flatspin's order (`exact = true`), so every sum equals a fresh
//! one bit for bit and runs agree with flatspin flip for flip even through near-ties.

use crate::geometry::neighbours::{pairs_within, FxHashMap};

use nalgebra::Vector3;

#[derive(Debug, Clone)]
pub struct FrameDipolar {
    /// α = μ0 μ_0/(4π a³) (T).
    pub alpha: f64,
    /// Distinct stencils: (j − i, index of h_ij, index of h_ji), increasing j.
    stencils: Vec<Vec<(i32, u32, u32)>>,
    /// The stencil of each island.
    stencil_of: Vec<u32>,
    /// Distinct pair values (par, perp).
    values: Vec<[f64; 2]>,
    /// S_i (par, perp) per island.
    pub sums: Vec<[f64; 2]>,
    /// Re-sum from scratch after each flip (bit-for-bit flatspin) instead of updating.
    pub exact: bool,
    /// Incremental updates since the last full re-sum.
    updates: usize,
    /// max_i Σ_j |h_ij| over both components, and the longest stencil.
    abs_sum_max: f64,
    stencil_max: usize,
}

/// The pair value of a positive moment `mj` at displacement `r` (in lattice units) in the frame
/// of `mi` (flatspin's operation order).
pub fn pair_value(mi: (f64, f64), mj: (f64, f64), r: (f64, f64)) -> [f64; 2] {
    let d = (r.0 * r.0 + r.1 * r.1).sqrt();
    let (d3, d5) = (d.powf(3.0), d.powf(5.0));
    let dot = mj.0 * r.0 + mj.1 * r.1;
    let hx = -mj.0 / d3 + ((3.0 * r.0) * dot) / d5;
    let hy = -mj.1 / d3 + ((3.0 * r.1) * dot) / d5;
    [hx * mi.0 + hy * mi.1, hx * (-mi.1) + hy * mi.0]
}

impl FrameDipolar {
    /// For islands at `pos` (m) with easy axes `axis` and moments `moment`, lattice spacing `a`
    /// (m) and cutoff `cutoff` (units of a; flatspin pads it by 1e-5).
    pub fn new(pos: &[(f64, f64)], axis: &[Vector3<f64>], moment: &[f64], a: f64, cutoff: f64) -> Self {
        let lat: Vec<(f64, f64)> = pos.iter().map(|p| (p.0 / a, p.1 / a)).collect();
        let near = pairs_within(&lat, cutoff + 1e-5);
        let mu0 = moment.first().copied().unwrap_or(0.0);
        let mut value_index: FxHashMap<[u64; 2], u32> = FxHashMap::default();
        let mut values = Vec::new();
        let mut intern = |v: [f64; 2]| -> u32 {
            *value_index.entry(v.map(f64::to_bits)).or_insert_with(|| {
                values.push(v);
                (values.len() - 1) as u32
            })
        };
        let scaled = |v: [f64; 2], mu: f64| if mu != mu0 { v.map(|x| x * (mu / mu0)) } else { v };
        let mut stencil_index: FxHashMap<Vec<(i32, u32, u32)>, u32> = FxHashMap::default();
        let mut stencils: Vec<Vec<(i32, u32, u32)>> = Vec::new();
        let mut stencil_of: Vec<u32> = Vec::with_capacity(pos.len());
        // The pair values are functions of (ê_i, ê_j, μ_i, μ_j, r) alone: an island whose
        // neighbours are its predecessor's shifted by one, with bitwise the same displacements,
        // axes and moments, has its predecessor's stencil (most islands of a lattice).
        let bits = |v: &Vector3<f64>| (v.x.to_bits(), v.y.to_bits());
        let same = |i: usize, p: usize, j: usize, jp: usize| {
            bits(&axis[j]) == bits(&axis[jp])
                && moment[j].to_bits() == moment[jp].to_bits()
                && (lat[j].0 - lat[i].0).to_bits() == (lat[jp].0 - lat[p].0).to_bits()
                && (lat[j].1 - lat[i].1).to_bits() == (lat[jp].1 - lat[p].1).to_bits()
        };
        for (i, js) in near.iter().enumerate() {
            if i > 0
                && js.len() == near[i - 1].len()
                && bits(&axis[i]) == bits(&axis[i - 1])
                && moment[i].to_bits() == moment[i - 1].to_bits()
                && js.iter().zip(&near[i - 1]).all(|(&j, &jp)| j == jp + 1 && same(i, i - 1, j, jp))
            {
                stencil_of.push(stencil_of[i - 1]);
                continue;
            }
            let stencil: Vec<(i32, u32, u32)> = js
                .iter()
                .map(|&j| {
                    let r = (lat[j].0 - lat[i].0, lat[j].1 - lat[i].1);
                    let fwd = pair_value((axis[i].x, axis[i].y), (axis[j].x, axis[j].y), r);
                    let rev = pair_value((axis[j].x, axis[j].y), (axis[i].x, axis[i].y), (-r.0, -r.1));
                    (j as i32 - i as i32, intern(scaled(fwd, moment[j])), intern(scaled(rev, moment[i])))
                })
                .collect();
            let next = stencils.len() as u32;
            let s = *stencil_index.entry(stencil.clone()).or_insert_with(|| {
                stencils.push(stencil);
                next
            });
            stencil_of.push(s);
        }
        let alpha = 1e-7 * mu0 / (a * a * a);
        let abs_sum = |st: &Vec<(i32, u32, u32)>| {
            (0..2).map(|c| st.iter().map(|e| values[e.1 as usize][c].abs()).sum::<f64>()).fold(0.0, f64::max)
        };
        let abs_sum_max = stencils.iter().map(abs_sum).fold(0.0, f64::max);
        let stencil_max = stencils.iter().map(Vec::len).max().unwrap_or(0);
        FrameDipolar {
            alpha,
            stencils,
            stencil_of,
            values,
            sums: vec![[0.0; 2]; pos.len()],
            exact: false,
            updates: 0,
            abs_sum_max,
            stencil_max,
        }
    }

    fn stencil(&self, i: usize) -> &[(i32, u32, u32)] {
        &self.stencils[self.stencil_of[i] as usize]
    }

    /// Calls `f(j)` for every neighbour of island i.
    pub fn neighbours(&self, i: usize, mut f: impl FnMut(usize)) {
        for &(d, _, _) in self.stencil(i) {
            f((i as isize + d as isize) as usize);
        }
    }

    /// S_i from scratch: Σ_j h_ij s_j in increasing j.
    pub fn resum(&mut self, i: usize, spin: &[i8]) {
        let mut acc = [0.0; 2];
        for &(d, k, _) in self.stencil(i) {
            let s = spin[(i as isize + d as isize) as usize] as f64;
            let v = self.values[k as usize];
            acc[0] += v[0] * s;
            acc[1] += v[1] * s;
        }
        self.sums[i] = acc;
    }

    /// Brings the neighbours' sums up to date after island i flipped to `spin[i]`: re-summed
    /// from scratch (`exact`), or S_j += h_ji · 2 s_i with a full re-sum every N updates.
    pub fn after_flip(&mut self, i: usize, spin: &[i8]) {
        let k = self.stencil_of[i] as usize;
        if self.exact {
            for n in 0..self.stencils[k].len() {
                let j = (i as isize + self.stencils[k][n].0 as isize) as usize;
                self.resum(j, spin);
            }
            return;
        }
        let ds = 2.0 * spin[i] as f64;
        for &(d, _, rev) in &self.stencils[k] {
            let j = (i as isize + d as isize) as usize;
            let v = self.values[rev as usize];
            self.sums[j][0] += v[0] * ds;
            self.sums[j][1] += v[1] * ds;
        }
        self.updates += 1;
        if self.updates > self.sums.len().max(1024) {
            self.resum_all(spin);
        }
    }

    /// A bound (T) on how far any island's dipolar field (either component) may lie from the
    /// one a fresh sum in flatspin's order gives: 0 with exact sums; otherwise each of the U
    /// incremental updates since the last full re-sum rounds once (≤ 2⁻⁵³ Σ_j|h_ij|), and
    /// the fresh m-term sum lies within m·2⁻⁵³ Σ_j|h_ij| of the exact one, so
    /// |S − S_fresh| ≤ (U + 2m)·2⁻⁵³·max_i Σ_j|h_ij|; doubled, times α, plus the rounding of
    /// the product.
    pub fn error_bound(&self) -> f64 {
        if self.exact {
            return 0.0;
        }
        let u = f64::EPSILON; // 2⁻⁵²
        self.alpha * self.abs_sum_max * u * ((self.updates + 2 * self.stencil_max) as f64 + 4.0)
    }

    /// α · max_i Σ_j |h_ij| (T): the largest dipolar field any island can see.
    pub fn field_scale(&self) -> f64 {
        self.alpha * self.abs_sum_max
    }

    /// Every S_i from scratch.
    pub fn resum_all(&mut self, spin: &[i8]) {
        self.updates = 0;
        for i in 0..self.sums.len() {
            self.resum(i, spin);
        }
    }

    /// The dipolar field of island i in the frame of its present moment (par, perp), T.
    pub fn field(&self, i: usize, s: f64) -> (f64, f64) {
        let v = self.sums[i];
        (self.alpha * (v[0] * s), self.alpha * (v[1] * s))
    }

    /// Distinct pair values and stencils (for `describe`).
    pub fn sizes(&self) -> (usize, usize) {
        (self.values.len(), self.stencils.len())
    }
}
