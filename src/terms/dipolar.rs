//! Dipolar coupling between islands treated as point dipoles μ_j = Ms V_j m_j at their
//! centres. The field of j at i, r = r_i − r_j:
//!
//! $$ B_{ij} = \frac{\mu_0}{4\pi} \frac{3\hat r(\hat r\cdot\mu_j) - \mu_j}{r^3}, \qquad
//!    E_{dd} = -\tfrac12 \sum_i \mu_i\cdot \sum_{j\ne i} B_{ij}. $$
//!
//! Only pairs with r ≤ cutoff·a are kept (a = lattice spacing; cutoff = ∞ keeps all pairs).
//! All islands lie in the plane z = 0, so the pair tensor (3r̂r̂ − I)/r³ has four distinct
//! entries; it depends only on the displacement, and the displacements of a periodic lattice
//! repeat, so each distinct one is stored once (a kernel table small enough for L1 cache).
//! Each island's neighbours are a *stencil* of (j − i, kernel) entries; in a periodic lattice
//! whose islands are numbered row by row within each sub-lattice, consecutive interior
//! islands share one stencil, so the sum runs over blocks of 8 islands at once on a
//! structure-of-arrays copy of μ_j m_j (vectorised by the compiler). Irregular arrays fall
//! back to blocks of one island; the result is the same sum in the same order either way.
//!
//! Near-field error: a point dipole ignores the islands' extent. For islands of length L at
//! centre distance r the neglected multipole terms are of relative order (L/r)²; for the
//! default square ice (L = 220 nm, nearest centres a/√2 = 354 nm) that is tens of per cent
//! for nearest neighbours and below 5 % beyond r ≈ 1000 nm. The far field (r ≫ L) is exact.

use super::FieldTerm;
use crate::constants::MU0_OVER_4PI;
use crate::geometry::neighbours::pairs_within;
use crate::par::{get3, CHUNK, PARALLEL_MIN};
use std::collections::HashMap;
use std::sync::RwLock;

/// Islands summed together in one vector block (then blocks of 4 and 1 for the rest).
const BLOCK: usize = 16;
/// Displacements are matched on a 0.1 pm grid when deduplicating kernels.
const DISPLACEMENT_QUANTUM: f64 = 1e-13;

pub struct Dipolar {
    /// μ_j = Ms V_j (A·m²).
    moment: Vec<f64>,
    /// Distinct neighbour stencils: (j − i, kernel index), in increasing j.
    stencils: Vec<Vec<(i32, u32)>>,
    /// Runs of consecutive islands sharing a stencil: (first island, length, stencil index).
    runs: Vec<(usize, usize, usize)>,
    /// (μ0/4π)/r³ · [3ĉx² − 1, 3ĉxĉy, 3ĉy² − 1, −1] per distinct displacement (T/(A·m²)).
    kernels: Vec<[f64; 4]>,
    n_pairs: usize,
    /// Scratch: μ_j m_j as three arrays (x, y, z), refilled on every call.
    mu_m: RwLock<Vec<f64>>,
    /// Whether this CPU has AVX2 and FMA (checked once, at construction).
    avx2_fma: bool,
}

fn has_avx2_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl Clone for Dipolar {
    /// A copy with its own scratch buffer (engines run in parallel must not share it).
    fn clone(&self) -> Self {
        Dipolar {
            moment: self.moment.clone(),
            stencils: self.stencils.clone(),
            runs: self.runs.clone(),
            kernels: self.kernels.clone(),
            n_pairs: self.n_pairs,
            mu_m: RwLock::new(vec![0.0; 3 * self.moment.len()]),
            avx2_fma: self.avx2_fma,
        }
    }
}

/// A borrowed view of [`Dipolar`]'s stencils: runs (first island, length, stencil index),
/// the distinct stencils ((j − i, kernel index), increasing j) and the kernels.
pub type Stencils<'a> = (&'a [(usize, usize, usize)], &'a [Vec<(i32, u32)>], &'a [[f64; 4]]);

impl Dipolar {
    /// Coupling of islands at `pos` (m) with moments `moment` within distance `rc` (m).
    pub fn new(pos: &[(f64, f64)], moment: Vec<f64>, rc: f64) -> Self {
        let near = pairs_within(pos, rc);
        let mut kernel_index: HashMap<(i64, i64), u32> = HashMap::new();
        let mut kernels = Vec::new();
        let mut stencil_index: HashMap<Vec<(i32, u32)>, usize> = HashMap::new();
        let mut stencils = Vec::new();
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        let mut n_pairs = 0;
        for (i, js) in near.iter().enumerate() {
            let stencil: Vec<(i32, u32)> = js
                .iter()
                .map(|&j| {
                    let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                    let key = ((dx / DISPLACEMENT_QUANTUM).round() as i64, (dy / DISPLACEMENT_QUANTUM).round() as i64);
                    let k = *kernel_index.entry(key).or_insert_with(|| {
                        kernels.push(kernel(dx, dy));
                        (kernels.len() - 1) as u32
                    });
                    (j as i32 - i as i32, k)
                })
                .collect();
            n_pairs += stencil.len();
            let next = stencils.len();
            let s = *stencil_index.entry(stencil.clone()).or_insert_with(|| {
                stencils.push(stencil);
                next
            });
            match runs.last_mut() {
                Some(run) if run.2 == s && run.0 + run.1 == i => run.1 += 1,
                _ => runs.push((i, 1, s)),
            }
        }
        let n = moment.len();
        Dipolar {
            moment,
            stencils,
            runs,
            kernels,
            n_pairs,
            mu_m: RwLock::new(vec![0.0; 3 * n]),
            avx2_fma: has_avx2_fma(),
        }
    }

    /// Calls `f(j, kernel)` for every neighbour j of island i, in increasing j. The kernel
    /// K = (μ0/4π)/r³ · [3ĉx² − 1, 3ĉxĉy, 3ĉy² − 1, −1] (T/(A·m²)) is even in r, so it gives both
    /// the field at i of a moment at j and the field at j of a moment at i:
    /// B = (K0 μx + K1 μy, K1 μx + K2 μy, K3 μz).
    pub fn for_each_neighbour(&self, i: usize, mut f: impl FnMut(usize, &[f64; 4])) {
        let r = self.runs.partition_point(|run| run.0 + run.1 <= i);
        let Some(&(start, len, s)) = self.runs.get(r) else { return };
        if i < start || i >= start + len {
            return;
        }
        for &(d, k) in &self.stencils[s] {
            f((i as isize + d as isize) as usize, &self.kernels[k as usize]);
        }
    }

    /// Number of coupled (directed) pairs.
    pub fn n_pairs(&self) -> usize {
        self.n_pairs
    }

    /// Number of distinct pair kernels stored.
    pub fn n_kernels(&self) -> usize {
        self.kernels.len()
    }

    /// Number of runs of consecutive islands sharing a stencil (N for an irregular array).
    pub fn n_runs(&self) -> usize {
        self.runs.len()
    }

    /// The stencils: runs of consecutive islands sharing one (first island, length, stencil
    /// index), the distinct stencils ((j − i, kernel index), increasing j) and the kernels
    /// ([`Self::for_each_neighbour`]).
    pub fn stencils(&self) -> Stencils<'_> {
        (&self.runs, &self.stencils, &self.kernels)
    }

    /// Adds the dipolar field of islands i0..i0+L into `out` (3 per island):
    /// B_i = Σ_(d,k) K_k · μm_(i+d), summed in stencil order. With `FMA`, products are fused
    /// (only instantiated where the CPU has FMA).
    #[inline(always)]
    fn block<const L: usize, const FMA: bool>(
        &self,
        i0: usize,
        stencil: &[(i32, u32)],
        mu: (&[f64], &[f64], &[f64]),
        out: &mut [f64],
    ) {
        #[inline(always)]
        fn madd<const FMA: bool>(a: f64, b: f64, c: f64) -> f64 {
            if FMA {
                a.mul_add(b, c)
            } else {
                a * b + c
            }
        }
        let (mut ax, mut ay, mut az) = ([0.0f64; L], [0.0f64; L], [0.0f64; L]);
        for &(d, k) in stencil {
            let j0 = (i0 as isize + d as isize) as usize;
            // SAFETY: every island i0..i0+L of a run has the neighbour i + d (that is how the
            // run was formed in `new`), so j0..j0+L lies in 0..n, the length of each μm array;
            // k indexes `kernels` by construction.
            let (kn, sx, sy, sz) = unsafe {
                (
                    *self.kernels.get_unchecked(k as usize),
                    mu.0.get_unchecked(j0..j0 + L),
                    mu.1.get_unchecked(j0..j0 + L),
                    mu.2.get_unchecked(j0..j0 + L),
                )
            };
            for l in 0..L {
                ax[l] = madd::<FMA>(kn[0], sx[l], madd::<FMA>(kn[1], sy[l], ax[l]));
                ay[l] = madd::<FMA>(kn[1], sx[l], madd::<FMA>(kn[2], sy[l], ay[l]));
                az[l] = madd::<FMA>(kn[3], sz[l], az[l]);
            }
        }
        for l in 0..L {
            out[3 * l] += ax[l];
            out[3 * l + 1] += ay[l];
            out[3 * l + 2] += az[l];
        }
    }

    /// The field of islands lo..hi, all sharing `stencil`, into `out` (3 per island).
    #[inline(always)]
    fn run<const FMA: bool>(
        &self,
        lo: usize,
        hi: usize,
        stencil: &[(i32, u32)],
        mu: (&[f64], &[f64], &[f64]),
        out: &mut [f64],
    ) {
        let mut i = lo;
        while i + BLOCK <= hi {
            self.block::<BLOCK, FMA>(i, stencil, mu, &mut out[3 * (i - lo)..]);
            i += BLOCK;
        }
        while i + 4 <= hi {
            self.block::<4, FMA>(i, stencil, mu, &mut out[3 * (i - lo)..]);
            i += 4;
        }
        while i < hi {
            self.block::<1, FMA>(i, stencil, mu, &mut out[3 * (i - lo)..]);
            i += 1;
        }
    }

    /// [`Self::run`] compiled for AVX2 + FMA.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    fn run_avx2(&self, lo: usize, hi: usize, stencil: &[(i32, u32)], mu: (&[f64], &[f64], &[f64]), out: &mut [f64]) {
        self.run::<true>(lo, hi, stencil, mu, out)
    }

    /// The run, on the fastest path this CPU has (AVX2 + FMA where available).
    fn run_dispatch(
        &self,
        lo: usize,
        hi: usize,
        stencil: &[(i32, u32)],
        mu: (&[f64], &[f64], &[f64]),
        out: &mut [f64],
    ) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2_fma {
            // SAFETY: avx2_fma is set only when the running CPU reports both features.
            return unsafe { self.run_avx2(lo, hi, stencil, mu, out) };
        }
        self.run::<false>(lo, hi, stencil, mu, out)
    }
}

/// (μ0/4π)(3r̂r̂ − I)/r³ for an in-plane displacement, as [xx, xy, yy, zz].
fn kernel(dx: f64, dy: f64) -> [f64; 4] {
    let r2 = dx * dx + dy * dy;
    let r = r2.sqrt();
    let s = MU0_OVER_4PI / (r2 * r);
    let (cx, cy) = (dx / r, dy / r);
    [s * (3.0 * cx * cx - 1.0), s * 3.0 * cx * cy, s * (3.0 * cy * cy - 1.0), -s]
}

impl FieldTerm for Dipolar {
    fn clone_box(&self) -> Box<dyn FieldTerm> {
        Box::new(self.clone())
    }
    fn name(&self) -> &'static str {
        "e_dipolar"
    }
    /// Gathers μ_j m_j of every island into the structure-of-arrays buffer.
    fn prepare(&self, _t: f64, m: &[f64]) {
        let n = self.moment.len();
        let mut guard = self.mu_m.write().unwrap_or_else(|e| e.into_inner());
        let (mx, rest) = guard.split_at_mut(n);
        let (my, mz) = rest.split_at_mut(n);
        let gather = |k: usize, ((cx, cy), cz): ((&mut [f64], &mut [f64]), &mut [f64])| {
            for l in 0..cx.len() {
                let j = k * CHUNK + l;
                let mu = self.moment[j];
                (cx[l], cy[l], cz[l]) = (mu * m[3 * j], mu * m[3 * j + 1], mu * m[3 * j + 2]);
            }
        };
        if n > PARALLEL_MIN {
            use rayon::prelude::*;
            let chunks = mx.par_chunks_mut(CHUNK).zip(my.par_chunks_mut(CHUNK)).zip(mz.par_chunks_mut(CHUNK));
            chunks.enumerate().for_each(|(k, c)| gather(k, c));
        } else {
            let chunks = mx.chunks_mut(CHUNK).zip(my.chunks_mut(CHUNK)).zip(mz.chunks_mut(CHUNK));
            chunks.enumerate().for_each(|(k, c)| gather(k, c));
        }
    }
    fn add_field(&self, _t: f64, _m: &[f64], first: usize, b: &mut [f64]) {
        let n = self.moment.len();
        let guard = self.mu_m.read().unwrap_or_else(|e| e.into_inner());
        let (mx, rest) = guard.split_at(n);
        let (my, mz) = rest.split_at(n);
        let mu = (mx, my, mz);
        let last = first + b.len() / 3;
        let mut r = self.runs.partition_point(|run| run.0 + run.1 <= first);
        while r < self.runs.len() && self.runs[r].0 < last {
            let (start, len, s) = self.runs[r];
            let (lo, hi) = (start.max(first), (start + len).min(last));
            self.run_dispatch(lo, hi, &self.stencils[s], mu, &mut b[3 * (lo - first)..3 * (hi - first)]);
            r += 1;
        }
    }
    fn describe(&self) -> Option<String> {
        Some(format!(
            "dipolar: {} pairs, {} distinct kernels, {} stencils, {} runs",
            self.n_pairs,
            self.kernels.len(),
            self.stencils.len(),
            self.runs.len()
        ))
    }
    fn energy(&self, t: f64, m: &[f64]) -> f64 {
        let mut b = vec![0.0; m.len()];
        super::term_field(self, t, m, &mut b);
        -0.5 * crate::par::sum_islands(self.moment.len(), |i| self.moment[i] * get3(m, i).dot(&get3(&b, i)))
    }
}
