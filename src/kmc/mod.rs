//! Kinetic Monte Carlo of thermally activated switching (Néel–Arrhenius; Hotspice's "Néel"
//! scheme). Each island is a binary moment s_i μ_i ê_i; its two saddle barriers ΔE_lo ≤ ΔE_hi
//! out of the current state are the exact Stoner–Wohlfarth ones in its local in-plane field
//! (applied + point-dipole, [`barrier`]), with the effective uniaxial constant
//! $$ K_i = K_u + \tfrac12 \mu_0 M_s^2 (N_w - N_l) $$
//! from the island's demagnetising factors, and it flips at the rate ([`ring`])
//! $$ \nu_i = f_{0,i}\, F_i(p)\, e^{-A}\, G(\sigma_z, B)/G(\sigma_z, 0),\quad
//!    A = \tfrac{\Delta E_{lo} + \Delta E_{hi}}{2 k_BT},\; B = \tfrac{\Delta E_{hi} - \Delta E_{lo}}{2 k_BT}, $$
//! the Boltzmann flux over the ring of barrier tops: f0 e^{−ΔE/k_BT} in zero field and along
//! the axis, the lower saddle with its I0 ring weight for an axially symmetric island, the
//! two in-plane saddles with f0/2 each for a thin film. The default attempt frequency is the
//! one Brown's Fokker–Planck equation gives the island itself ([`prefactor::f0`]: from α,
//! Ms, V and K), with its dependence F_i(p) on the reduced field p along the moment
//! ([`axial`]; F = 1 for a given `kmc.f0`), so the rates agree with the LLG engine's thermal
//! switching.
//!
//! Schemes:
//! - **gillespie** (real time): the direct method with thinning — every island keeps an upper
//!   bound ν̂_i ≥ ν_i; the waiting time is exponential with the total bound R̂ = Σν̂_i, the
//!   candidate is drawn with probability ν̂_i/R̂ ([`sums`]), and it flips with probability
//!   ν_i/ν̂_i, ν_i evaluated exactly — the same process as the direct method with the exact
//!   rates. The bounds ([`bound`]): each saddle barrier is a convex function of the field
//!   (inside the astroid), so its tangent plane at the field where the island's rate was last
//!   evaluated exactly is a lower bound, and the rate with both barriers replaced by their
//!   planes is an upper bound ν̄(B) (two dot products and a table look-up); ν̂ = ν̄(B_c) e^{L r}
//!   holds on a ball of radius r around B_c. After a flip every neighbour's field is updated
//!   and only those whose field left their ball get a new bound from their planes
//!   ([`stream`]); only drawn candidates are evaluated exactly (and the flipped island's new
//!   state from the same stationary points). Beyond the disc |h| < 0.4 of the reduced field
//!   h = Ms B/(2K) the bound is the exact rate, re-evaluated at every change of field. The
//!   applied field is held over each update interval; bounds are re-evaluated when it
//!   changes (exact for piecewise-constant fields, memoryless otherwise);
//! - **metropolis** / **glauber** (no time): `sweeps` × N single-flip attempts per update, an
//!   island drawn uniformly, accepted with min(1, e^{−ΔE_flip/k_BT}) or
//!   1/(1 + e^{ΔE_flip/k_BT}), ΔE_flip = 2 μ_i m_i·B_i the energy change of the flip.
//!
//! Both sample the Boltzmann distribution of the binary states at fixed field.

pub mod axial;
pub mod barrier;
pub mod bound;
pub mod engine;
pub mod prefactor;
pub mod ring;
pub mod stream;
pub mod sums;

use crate::binary::BinaryArray;
use axial::AxialMix;
use bound::Plane;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ring::RingTable;
use std::sync::Arc;
use stream::{Kicks, Near, Site};
use sums::Sums;

/// How the KMC engine moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Gillespie,
    Metropolis,
    Glauber,
}

impl Scheme {
    pub const NAMES: [&'static str; 3] = ["gillespie", "metropolis", "glauber"];
    pub fn parse(s: &str) -> Option<Scheme> {
        match s {
            "gillespie" => Some(Scheme::Gillespie),
            "metropolis" => Some(Scheme::Metropolis),
            "glauber" => Some(Scheme::Glauber),
            _ => None,
        }
    }
}

/// Temperature and event stream of a [`Kmc`] model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// k_B T (J).
    pub kt: f64,
    pub scheme: Scheme,
    /// Single-flip attempts per island per update (metropolis, glauber).
    pub sweeps: usize,
    pub seed: u64,
    /// Whether f0 varies with the field along the axis ([`axial`]: Brown's exact axially
    /// symmetric rate; the default f0) or is constant (a given `kmc.f0`, Hotspice's rule).
    pub axial: bool,
}

/// The kinetic Monte Carlo model: a binary array, each island's K, V, f0, and the event
/// stream. While Gillespie events run, the in-plane local fields (the array's terms) live in
/// the stream's per-island records; [`Kmc::gillespie_to`] and [`Kmc::sync_fields`] store them
/// back into the array (whose kept fields are stale after [`Kmc::next_event`] until then).
#[derive(Clone)]
pub struct Kmc {
    pub array: BinaryArray,
    /// Effective uniaxial constant K_i (J/m³).
    pub k: Vec<f64>,
    /// Volume V_i (m³).
    pub volume: Vec<f64>,
    pub ms: f64,
    /// Attempt frequency f0_i (Hz).
    pub f0: Vec<f64>,
    /// k_B T (J).
    pub kt: f64,
    pub scheme: Scheme,
    /// Single-flip attempts per island per update (metropolis, glauber).
    pub sweeps: usize,
    /// Per island: frame and rate constants; dipolar field and ball; tangent planes.
    sites: Vec<Site>,
    near: Vec<Near>,
    planes: Vec<Plane>,
    /// Distinct saddle-ring tables.
    rings: Vec<Arc<RingTable>>,
    /// Axial prefactors, one per distinct σ (tables shared on a grid in σ).
    axials: Vec<AxialMix>,
    /// Upper bounds ν̂_i of the rates (Hz).
    bounds: Sums,
    /// ln(share · Σν̂/N) (ln Hz), refreshed every 256 candidates.
    ln_eps: f64,
    /// Whether `near` holds fields newer than the array's.
    dirty: bool,
    rng: ChaCha8Rng,
    /// Time (s) of the event clock.
    pub t: f64,
    /// Exact rate evaluations so far (stationary points found by Newton's method or a search).
    pub evaluations: u64,
    /// Bounds set from the tangent planes (no stationary points) so far.
    pub linear_bounds: u64,
    /// Candidates drawn from the bounds and rejected (thinning).
    pub rejections: u64,
    /// Candidates whose exact rate exceeded its bound (never, if the bounds hold).
    pub bound_misses: u64,
    /// Scratch: the neighbours whose field left their ball in the last flip.
    stale: Vec<u32>,
    /// Each island's neighbours and pair kernels.
    kicks: Kicks,
}

impl Kmc {
    /// The model of `array` with each island's K and out-of-plane hard-axis constant K_z
    /// (J/m³; K_z = ½ μ0 Ms² (N_z − N_w)) and f0 (Hz).
    pub fn new(array: BinaryArray, k: Vec<f64>, kz: &[f64], ms: f64, f0: Vec<f64>, how: Settings) -> Self {
        let Settings { kt, scheme, sweeps, seed, axial } = how;
        let volume: Vec<f64> = array.islands.iter().map(|i| i.volume()).collect();
        let n = array.len();
        let mut rings = Vec::<Arc<RingTable>>::new();
        let mut axials = Vec::<AxialMix>::new();
        let mut axial_of = std::collections::HashMap::<u64, u32>::new();
        let sites = (0..n)
            .map(|i| {
                let s = kz[i] * volume[i] / kt;
                let ring = rings.iter().position(|r| r.s.to_bits() == s.to_bits()).unwrap_or_else(|| {
                    rings.push(RingTable::shared(s));
                    rings.len() - 1
                }) as u32;
                let sigma = k[i] * volume[i] / kt;
                let axial = if axial && scheme == Scheme::Gillespie {
                    *axial_of.entry(sigma.to_bits()).or_insert_with(|| {
                        axials.push(AxialMix::for_sigma(sigma));
                        axials.len() as u32 - 1
                    })
                } else {
                    u32::MAX
                };
                Site {
                    ax: array.axis[i].x,
                    ay: array.axis[i].y,
                    scale: ms / (2.0 * k[i]),
                    sigma,
                    f0: f0[i],
                    ln_f0: f0[i].ln(),
                    ring,
                    axial,
                }
            })
            .collect();
        let kicks = Kicks::new(&array);
        let mut m = Kmc {
            array,
            k,
            volume,
            ms,
            f0,
            kt,
            scheme,
            sweeps,
            sites,
            near: vec![Near::default(); n],
            planes: vec![Plane::default(); n],
            rings,
            axials,
            bounds: Sums::new(vec![0.0; n]),
            ln_eps: f64::NEG_INFINITY,
            dirty: false,
            rng: ChaCha8Rng::seed_from_u64(seed),
            t: 0.0,
            evaluations: 0,
            linear_bounds: 0,
            rejections: 0,
            bound_misses: 0,
            stale: vec![0; kicks.most + 1],
            kicks,
        };
        m.refresh_rates();
        m
    }

    /// Island i's field in units of its anisotropy field, along and across its easy axis ê_i.
    #[inline]
    fn reduced_field(&self, i: usize) -> (f64, f64) {
        let l = &self.sites[i];
        let (bx, by) = self.field_xy(i);
        ((bx * l.ax + by * l.ay) * l.scale, (by * l.ax - bx * l.ay) * l.scale)
    }

    /// ΔE_i (J): the lower saddle barrier out of island i's current state in its current field.
    pub fn barrier(&self, i: usize) -> f64 {
        let (pa, qa) = self.reduced_field(i);
        let s = self.array.spin[i] as f64;
        self.k[i] * self.volume[i] * barrier::reduced_saddles(s * pa, s * qa).0
    }

    /// ν_i (Hz) in the current field: f0 e^{−A} G(σ_z, B)/G(σ_z, 0) (module docs).
    pub fn rate(&self, i: usize) -> f64 {
        self.exact(i).0
    }

    /// The current rate of island i (Hz), exact at its current field.
    pub fn kept_rate(&self, i: usize) -> f64 {
        self.rate(i)
    }

    /// Σ ν̂_i (Hz): the total of the bounds the event stream draws from (≥ Σ ν_i).
    pub fn total_bound(&self) -> f64 {
        self.bounds.total()
    }

    /// Gillespie's direct method up to `t_end` (s) in the field now held; the array's dipolar
    /// fields are brought up to date at the end.
    pub fn gillespie_to(&mut self, t_end: f64) {
        while self.next_event(t_end).is_some() {}
        self.sync_fields();
    }

    /// `sweeps` × N single-flip attempts (Metropolis or Glauber acceptance).
    pub fn sweep(&mut self) {
        let n = self.array.len();
        for _ in 0..self.sweeps * n {
            let i = self.rng.random_range(0..n);
            let de = 2.0 * self.array.moment[i] * self.array.m(i).dot(&self.array.field(i));
            let x = de / self.kt;
            let p = match self.scheme {
                Scheme::Glauber => 1.0 / (1.0 + x.exp()),
                _ => (-x).exp().min(1.0),
            };
            self.evaluations += 1;
            if self.rng.random::<f64>() < p {
                self.array.flip(i);
            }
        }
    }
}
