//! The switching model (flatspin's, Jensen et al., Phys. Rev. B 106, 064408 (2022)): each
//! island a binary moment along its long axis ([`crate::binary`]); it may flip when the
//! local field h (applied + dipolar), taken in the frame of its present moment — h_∥ along
//! m_i = s_i ê_i, h_⊥ across it in-plane — lies outside its generalised Stoner–Wohlfarth
//! astroid and opposes m ([`astroid`]):
//!
//! $$ E_i = \left(\tfrac{h_\parallel}{b\, h_{c,i}}\right)^{2/\gamma} + \left(\tfrac{h_\perp}{c\, h_{c,i}}\right)^{2/\beta} - 1 > 0
//!    \quad\text{and}\quad h_\parallel < 0 $$
//!
//! (b = c = 1, β = γ = 3 is the Stoner–Wohlfarth astroid, switching at h_c along the axis).
//! After a field step the array relaxes by a flip policy until no island may flip:
//! - `max`: flip the island of largest E, ties to the lowest index (flatspin's "max"); fields
//!   are updated after every flip (only the flipped island's neighbours change);
//! - `max-rand`: the same, ties broken at random (seeded);
//! - `all`: flip every island that may flip at once, then recompute;
//! - `single`: flip one island chosen uniformly at random among those that may (Budrikis'
//!   Monte Carlo), seeded.
//!
//! The dipolar coupling in flatspin's dimensionless form is α = μ0 Ms V/(4π a³) (T), a the
//! lattice spacing; `summary.json` reports it.
//!
//! At T > 0 each island's field also carries flatspin's thermal field ([`thermal`]), drawn
//! afresh before every relaxation.

pub mod astroid;
pub mod dipolar;
pub mod engine;
pub mod flatspin;
pub mod thermal;

use crate::binary::BinaryArray;
use astroid::Astroid;
use dipolar::FrameDipolar;
use rand::{Rng, RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// How a relaxation chooses the next flip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlipPolicy {
    Max,
    MaxRand,
    All,
    Single,
}

impl FlipPolicy {
    pub const NAMES: [&'static str; 4] = ["max", "max-rand", "all", "single"];

    pub fn parse(s: &str) -> Option<FlipPolicy> {
        match s {
            "max" => Some(FlipPolicy::Max),
            "max-rand" => Some(FlipPolicy::MaxRand),
            "all" => Some(FlipPolicy::All),
            "single" => Some(FlipPolicy::Single),
            _ => None,
        }
    }
}

/// A heap entry: margin, then the lower index first.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry(f64, Reverse<usize>, u32);

impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// The switching state: the binary array (applied field, spins, bookkeeping), the dipolar
/// field in flatspin's form, each island's astroid and the policy.
#[derive(Clone)]
pub struct Switching {
    pub array: BinaryArray,
    pub dipolar: Option<FrameDipolar>,
    pub astroid: Astroid,
    /// Switching field h_c of each island (T).
    pub hc: Vec<f64>,
    pub policy: FlipPolicy,
    rng: ChaCha8Rng,
    /// Margin evaluations so far.
    pub evaluations: u64,
    /// Largest number of flips one relaxation may make before it is declared a cycle.
    pub max_flips: u64,
    /// When Some, every flip's island index is appended, in order.
    pub flip_log: Option<Vec<usize>>,
    /// flatspin's thermal model at T > 0 ([`thermal`]).
    pub thermal: Option<thermal::Thermal>,
}

impl Switching {
    /// A model of `array` (whose own dipolar field is unused), coupled by `dipolar`.
    pub fn new(
        array: BinaryArray,
        mut dipolar: Option<FrameDipolar>,
        astroid: Astroid,
        hc: Vec<f64>,
        policy: FlipPolicy,
        seed: u64,
    ) -> Self {
        if let Some(d) = dipolar.as_mut() {
            d.resum_all(&array.spin);
        }
        let max_flips = 100 * array.len() as u64 + 1000;
        Switching {
            array,
            dipolar,
            astroid,
            hc,
            policy,
            rng: ChaCha8Rng::seed_from_u64(seed),
            evaluations: 0,
            max_flips,
            flip_log: None,
            thermal: None,
        }
    }

    /// The field at island i (applied + registered terms + dipolar + thermal, T) in the frame
    /// of its present moment u = s_i ê_i: (h·u, h·u⊥), u⊥ = (−u_y, u_x), in flatspin's
    /// operation order.
    pub fn field(&self, i: usize) -> (f64, f64) {
        let h = self.field_without_thermal(i);
        match &self.thermal {
            Some(th) => {
                let a = &self.array;
                let s = a.spin[i] as f64;
                let (ux, uy) = (s * a.axis[i].x, s * a.axis[i].y);
                let [tx, ty] = th.field[i];
                (h.0 + (tx * ux + ty * uy), h.1 + (tx * (-uy) + ty * ux))
            }
            None => h,
        }
    }

    /// [`Self::field`] without the thermal field.
    pub fn field_without_thermal(&self, i: usize) -> (f64, f64) {
        let a = &self.array;
        let s = a.spin[i] as f64;
        let (ux, uy) = (s * a.axis[i].x, s * a.axis[i].y);
        // The applied field plus the array's registered (fixed) terms, if any.
        let b = a.field(i);
        let (hx, hy) = (b.x, b.y);
        let ext = (hx * ux + hy * uy, hx * (-uy) + hy * ux);
        match &self.dipolar {
            Some(d) => {
                let dip = d.field(i, s);
                (dip.0 + ext.0, dip.1 + ext.1)
            }
            None => ext,
        }
    }

    /// E_i of the astroid criterion (module doc): positive when island i may flip.
    pub fn margin(&self, i: usize) -> f64 {
        let (h_par, h_perp) = self.field(i);
        self.astroid.margin(h_par, h_perp, self.hc[i])
    }

    /// Flips island i: the energy released is −2 μ_i h_∥ (h_∥ < 0 before the flip, without
    /// the thermal field, which registers no energy); its neighbours' dipolar sums are redone.
    pub fn flip(&mut self, i: usize) {
        let de = 2.0 * self.array.moment[i] * self.field_without_thermal(i).0;
        self.array.flip_booked(i, de);
        if let Some(log) = self.flip_log.as_mut() {
            log.push(i);
        }
        if let Some(d) = self.dipolar.as_mut() {
            d.after_flip(i, &self.array.spin);
        }
    }

    /// Energy parts (J): Zeeman −Σ μ_i m_i·B_ext, the array's registered terms, and the
    /// dipolar coupling in flatspin's frame, −½ Σ μ_i h_dip,∥,i.
    pub fn energy_parts(&self) -> Vec<(&'static str, f64)> {
        let mut parts = self.array.energy_parts();
        if let Some(d) = &self.dipolar {
            let e: f64 = (0..self.array.len())
                .map(|i| -0.5 * self.array.moment[i] * d.field(i, self.array.spin[i] as f64).0)
                .sum();
            parts.push(("e_dipolar", e));
        }
        parts
    }

    /// The island's neighbours (whose fields change when it flips).
    fn neighbours(&self, i: usize, f: impl FnMut(usize)) {
        if let Some(d) = &self.dipolar {
            d.neighbours(i, f);
        }
    }

    /// Relaxes until no island may flip; returns the number of flips.
    pub fn relax(&mut self) -> Result<u64, String> {
        match self.policy {
            FlipPolicy::Max | FlipPolicy::MaxRand => self.relax_max(),
            FlipPolicy::All => self.relax_all(),
            FlipPolicy::Single => self.relax_single(),
        }
    }

    fn too_many(&self) -> String {
        format!(
            "the flips did not settle after {} flips (a flip cycle): try switching.flip = \"max\" or another field step",
            self.max_flips
        )
    }

    /// One at a time, largest margin first; only the flipped island's neighbours are re-evaluated.
    fn relax_max(&mut self) -> Result<u64, String> {
        let n = self.array.len();
        let mut version = vec![0u32; n];
        let mut heap = BinaryHeap::new();
        let hc_min = self.hc.iter().copied().fold(f64::INFINITY, f64::min);
        for i in 0..n {
            let e = self.margin(i);
            if e > 0.0 {
                heap.push(Entry(e, Reverse(i), 0));
            }
        }
        self.evaluations += n as u64;
        let mut flips = 0;
        let mut touched = Vec::new();
        while let Some(Entry(e, Reverse(i), v)) = heap.pop() {
            if v != version[i] {
                continue;
            }
            let i = match self.policy {
                FlipPolicy::MaxRand => self.tie_break(&mut heap, &version, e, i),
                _ => match self.near_tie(&mut heap, &mut version, (e, i, hc_min)) {
                    Some(i) => i,
                    None => continue,
                },
            };
            self.flip(i);
            flips += 1;
            if flips > self.max_flips {
                return Err(self.too_many());
            }
            touched.clear();
            touched.push(i);
            self.neighbours(i, |j| touched.push(j));
            for &j in &touched {
                version[j] += 1;
                let e = self.margin(j);
                if e > 0.0 {
                    heap.push(Entry(e, Reverse(j), version[j]));
                }
            }
            self.evaluations += touched.len() as u64;
        }
        Ok(flips)
    }

    /// A bound on how far any island's margin may lie from the one exact (fresh) dipolar sums
    /// give: the field error δ of [`FrameDipolar::error_bound`] (plus the rounding of adding
    /// the applied field) through each term of the astroid, |x|^a changing by at most δ_x^a
    /// for a = 2/γ ≤ 1 (Hölder) and by a·(|x| + δ_x)^{a−1}·δ_x for a > 1, at the smallest
    /// h_c; plus a few ulps of the margin itself. 0 with exact sums.
    fn margin_error_bound(&self, hc_min: f64, e: f64) -> f64 {
        let Some(d) = self.dipolar.as_ref().filter(|d| !d.exact) else { return 0.0 };
        let b_ext = self.array.b_ext.norm();
        let delta = d.error_bound() + 4.0 * f64::EPSILON * (b_ext + d.error_bound().max(1e-300));
        let h_max = b_ext + d.field_scale();
        let term = |width: f64, exponent: f64| {
            let x = delta / (width * hc_min);
            let a = 2.0 / exponent;
            if a <= 1.0 {
                x.powf(a)
            } else {
                a * (h_max / (width * hc_min) + x).powf(a - 1.0) * x
            }
        };
        let a = &self.astroid;
        term(a.b, a.gamma) + term(a.c, a.beta) + 8.0 * f64::EPSILON * (e.abs() + 1.0)
    }

    /// flatspin's choice among margins equal within the incremental sums' error bound: every
    /// current entry within twice the bound of the top `e` (island i, already popped) has its
    /// dipolar sum redone from scratch in flatspin's order, so its margin is flatspin's; the
    /// largest then wins, ties to the lowest index (numpy's argmax). The others go back on
    /// the heap. None if none of them may flip after all. With exact sums: i.
    fn near_tie(&mut self, heap: &mut BinaryHeap<Entry>, version: &mut [u32], top: (f64, usize, f64)) -> Option<usize> {
        let (e, i, hc_min) = top;
        let tol = self.margin_error_bound(hc_min, e);
        if tol == 0.0 {
            return Some(i);
        }
        let mut ties = vec![i];
        while let Some(top) = heap.peek() {
            if top.0 < e - 2.0 * tol {
                break;
            }
            let t = heap.pop().expect("peeked");
            if t.2 == version[t.1 .0] && !ties.contains(&t.1 .0) {
                ties.push(t.1 .0);
            }
        }
        if ties.len() == 1 {
            return Some(i);
        }
        let d = self.dipolar.as_mut().expect("a bound > 0 needs dipolar sums");
        for &j in &ties {
            d.resum(j, &self.array.spin);
        }
        self.evaluations += ties.len() as u64;
        let exact: Vec<(f64, usize)> = ties.iter().map(|&j| (self.margin(j), j)).collect();
        let best =
            exact.iter().filter(|m| m.0 > 0.0).max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1))).map(|m| m.1);
        for &(m, j) in &exact {
            version[j] += 1;
            if m > 0.0 && Some(j) != best {
                heap.push(Entry(m, Reverse(j), version[j]));
            }
        }
        best
    }

    /// Among the current entries of margin exactly `e` (including i), one at random; the
    /// others go back on the heap.
    fn tie_break(&mut self, heap: &mut BinaryHeap<Entry>, version: &[u32], e: f64, i: usize) -> usize {
        let mut ties = vec![i];
        let mut stale = Vec::new();
        while let Some(top) = heap.peek() {
            if top.0 != e {
                break;
            }
            let t = heap.pop().expect("peeked");
            if t.2 == version[t.1 .0] {
                ties.push(t.1 .0);
            } else {
                stale.push(t);
            }
        }
        let pick = ties[self.rng.random_range(0..ties.len())];
        for &j in ties.iter().filter(|&&j| j != pick) {
            heap.push(Entry(e, Reverse(j), version[j]));
        }
        pick
    }

    /// The islands that may flip now, in increasing index (every margin evaluated).
    fn flippable(&mut self) -> Vec<usize> {
        let n = self.array.len();
        self.evaluations += n as u64;
        (0..n).filter(|&i| self.margin(i) > 0.0).collect()
    }

    /// Every island that may flip flips at once; repeat.
    fn relax_all(&mut self) -> Result<u64, String> {
        let mut flips = 0;
        loop {
            let now = self.flippable();
            if now.is_empty() {
                return Ok(flips);
            }
            for &i in &now {
                self.flip(i);
            }
            flips += now.len() as u64;
            if flips > self.max_flips {
                return Err(self.too_many());
            }
        }
    }

    /// One island at a time, chosen uniformly among those that may flip.
    fn relax_single(&mut self) -> Result<u64, String> {
        let mut flips = 0;
        loop {
            let now = self.flippable();
            if now.is_empty() {
                return Ok(flips);
            }
            let i = now[self.rng.random_range(0..now.len())];
            self.flip(i);
            flips += 1;
            if flips > self.max_flips {
                return Err(self.too_many());
            }
        }
    }

    /// Switching fields drawn around `hc` with relative standard deviation `disorder`
    /// (|N(hc, hc·disorder)|, as flatspin), seeded.
    pub fn disordered(hc: f64, disorder: f64, n: usize, rng: &mut impl Rng) -> Vec<f64> {
        use rand_distr::{Distribution, Normal};
        match Normal::new(hc, hc * disorder) {
            Ok(d) if disorder > 0.0 => (0..n).map(|_| d.sample(rng).abs()).collect(),
            _ => vec![hc; n],
        }
    }
}
