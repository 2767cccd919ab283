//! Kinetic Monte Carlo of thermally activated switching (Néel–Arrhenius; Hotspice's "Néel"
//! scheme). Each island is a binary moment s_i μ_i ê_i; its two saddle barriers ΔE_lo ≤ ΔE_hi
//! out of the current state are the exact Stoner–Wohlfarth ones in its local in-plane field
//! (applied + point-dipole, [`barrier`]), with the effective uniaxial constant
//! $$ K_i = K_u + \tfrac12 \mu_0 M_s^2 (N_w - N_l) $$
//! from the island's demagnetising factors, and it flips at the rate ([`ring`])
//! $$ \nu_i = f_{0,i}\, e^{-A}\, G(\sigma_z, B)/G(\sigma_z, 0),\quad
//!    A = \tfrac{\Delta E_{lo} + \Delta E_{hi}}{2 k_BT},\; B = \tfrac{\Delta E_{hi} - \Delta E_{lo}}{2 k_BT}, $$
//! the Boltzmann flux over the ring of barrier tops: f0 e^{−ΔE/k_BT} in zero field and along
//! the axis, the lower saddle with its I0 ring weight for an axially symmetric island, the
//! two in-plane saddles with f0/2 each for a thin film. The default attempt frequency is the
//! one Brown's Fokker–Planck equation gives the island itself ([`prefactor::f0`]: from α,
//! Ms, V and K), so the rates agree with the LLG engine's thermal switching.
//!
//! Schemes:
//! - **gillespie** (real time): the direct method with thinning — every island keeps an upper
//!   bound ν̂_i ≥ ν_i valid while its reduced field h = Ms B/(2K) stays within a radius R_i
//!   of the field where it was set (each saddle barrier is 4 K V-Lipschitz in h, and
//!   ln ν = −A + ln G(σ_z, B)/G(σ_z, 0) with ∂/∂B ∈ [0, 1], so ln ν is 4σ-Lipschitz:
//!   ν̂ = ν(h0) e^{4.2 σ R}, 5 % margin); the waiting time is exponential with the
//!   total bound R̂ = Σν̂_i, the candidate is drawn with probability ν̂_i/R̂ ([`sums`]), and it
//!   flips with probability ν_i/ν̂_i, ν_i evaluated exactly — the same process as the direct
//!   method with the exact rates. After a flip only the island and the neighbours whose
//!   field left their radius get new bounds. The applied field is held over each update
//!   interval; bounds are re-evaluated when it changes (exact for piecewise-constant fields,
//!   memoryless otherwise);
//! - **metropolis** / **glauber** (no time): `sweeps` × N single-flip attempts per update, an
//!   island drawn uniformly, accepted with min(1, e^{−ΔE_flip/k_BT}) or
//!   1/(1 + e^{ΔE_flip/k_BT}), ΔE_flip = 2 μ_i m_i·B_i the energy change of the flip.
//!
//! Both sample the Boltzmann distribution of the binary states at fixed field.

pub mod barrier;
pub mod engine;
pub mod prefactor;
pub mod ring;
pub mod sums;

use crate::binary::BinaryArray;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use ring::RingTable;
use std::sync::Arc;
use sums::Sums;

/// ln of the largest ratio of a bound to the rate it bounds (sets each island's radius).
const EPS: f64 = 0.15;
/// Reduced fields beyond which bounds are not used (the landscape may lose a stationary
/// point): every change of field re-evaluates the rate there.
const WEAK: f64 = 0.4;

/// An island's frame and the centre and radius of the reduced-field ball where its bound holds.
#[derive(Clone, Copy, Debug, Default)]
struct Local {
    /// Easy axis (x, y).
    ax: f64,
    ay: f64,
    /// Ms/(2K) (1/T): B in units of the anisotropy field.
    scale: f64,
    /// Reduced field (along ê, across ê) where the bound was set, and the radius² of its ball.
    p0: f64,
    q0: f64,
    r2: f64,
}

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
}

/// The kinetic Monte Carlo model: a binary array, each island's K, V, f0, and the event
/// stream.
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
    /// σ_i = K_i V_i/k_BT.
    sigma: Vec<f64>,
    local: Vec<Local>,
    /// Distinct saddle-ring tables and each island's.
    rings: Vec<Arc<RingTable>>,
    ring_of: Vec<u32>,
    /// Upper bounds ν̂_i of the rates (Hz).
    bounds: Sums,
    rng: ChaCha8Rng,
    /// Time (s) of the event clock.
    pub t: f64,
    /// Exact rate evaluations so far.
    pub evaluations: u64,
    /// Candidates drawn from the bounds and rejected (thinning).
    pub rejections: u64,
    /// Candidates whose exact rate exceeded its bound (never, if the bounds hold).
    pub bound_misses: u64,
    /// Scratch: the islands whose rates an event may change.
    touched: Vec<usize>,
}

impl Kmc {
    /// The model of `array` with each island's K and out-of-plane hard-axis constant K_z
    /// (J/m³; K_z = ½ μ0 Ms² (N_z − N_w)) and f0 (Hz).
    pub fn new(array: BinaryArray, k: Vec<f64>, kz: &[f64], ms: f64, f0: Vec<f64>, how: Settings) -> Self {
        let Settings { kt, scheme, sweeps, seed } = how;
        let volume: Vec<f64> = array.islands.iter().map(|i| i.volume()).collect();
        let n = array.len();
        let sigma: Vec<f64> = k.iter().zip(&volume).map(|(k, v)| k * v / kt).collect();
        let local = (0..n)
            .map(|i| Local { ax: array.axis[i].x, ay: array.axis[i].y, scale: ms / (2.0 * k[i]), ..Local::default() })
            .collect();
        let (mut rings, mut ring_of) = (Vec::<Arc<RingTable>>::new(), Vec::with_capacity(n));
        for (kz, v) in kz.iter().zip(&volume) {
            let s = kz * v / kt;
            let at = rings.iter().position(|r| r.s.to_bits() == s.to_bits()).unwrap_or_else(|| {
                rings.push(RingTable::shared(s));
                rings.len() - 1
            });
            ring_of.push(at as u32);
        }
        let mut m = Kmc {
            array,
            k,
            volume,
            ms,
            f0,
            kt,
            scheme,
            sweeps,
            sigma,
            local,
            rings,
            ring_of,
            bounds: Sums::new(vec![0.0; n]),
            rng: ChaCha8Rng::seed_from_u64(seed),
            t: 0.0,
            evaluations: 0,
            rejections: 0,
            bound_misses: 0,
            touched: Vec::new(),
        };
        m.refresh_rates();
        m
    }

    /// Island i's field in units of its anisotropy field, along and across its easy axis ê_i.
    #[inline]
    fn reduced_field(&self, i: usize) -> (f64, f64) {
        let l = &self.local[i];
        let (bx, by) = (self.array.b_ext.x + self.array.b_dip[3 * i], self.array.b_ext.y + self.array.b_dip[3 * i + 1]);
        ((bx * l.ax + by * l.ay) * l.scale, (by * l.ax - bx * l.ay) * l.scale)
    }

    /// ν_i (Hz) at the reduced field (pa, qa) (axis frame) in its current state.
    #[inline]
    fn rate_at(&self, i: usize, pa: f64, qa: f64) -> f64 {
        let s = self.array.spin[i] as f64;
        let (lo, hi) = barrier::reduced_saddles(s * pa, s * qa);
        let sg = self.sigma[i];
        self.f0[i] * ring::ln_rate_factor(sg * lo, sg * hi, &self.rings[self.ring_of[i] as usize]).exp()
    }

    /// ΔE_i (J): the lower saddle barrier out of island i's current state in its current field.
    pub fn barrier(&self, i: usize) -> f64 {
        let (pa, qa) = self.reduced_field(i);
        let s = self.array.spin[i] as f64;
        self.k[i] * self.volume[i] * barrier::reduced_saddles(s * pa, s * qa).0
    }

    /// ν_i (Hz) in the current field: f0 e^{−A} G(σ_z, B)/G(σ_z, 0) (module docs).
    pub fn rate(&self, i: usize) -> f64 {
        let (pa, qa) = self.reduced_field(i);
        self.rate_at(i, pa, qa)
    }

    /// The bound of island i at reduced field (pa, qa) where its rate is `nu`: the ball of
    /// radius R = ε/(4σ) (at most 0.05) inside the weak-field region, ν̂ = ν e^{4.2σR};
    /// elsewhere R = 0 and ν̂ = ν.
    #[inline]
    fn anchor(&mut self, i: usize, pa: f64, qa: f64, nu: f64) {
        let sg = self.sigma[i];
        let r = (EPS / (4.0 * sg)).min(0.05);
        let inside = (pa * pa + qa * qa).sqrt() + r < WEAK;
        let (r, bound) = if inside && nu > 0.0 { (r, nu * (4.2 * sg * r).exp()) } else { (0.0, nu) };
        let l = &mut self.local[i];
        (l.p0, l.q0, l.r2) = (pa, qa, r * r);
        self.bounds.set(i, bound);
    }

    /// Re-evaluates island i's rate and bound at its current field.
    fn reanchor(&mut self, i: usize) {
        let (pa, qa) = self.reduced_field(i);
        let nu = self.rate_at(i, pa, qa);
        self.evaluations += 1;
        self.anchor(i, pa, qa, nu);
    }

    /// Re-evaluates every rate and bound (after the applied field changes); in parallel, the
    /// same numbers whatever the thread count.
    pub fn refresh_rates(&mut self) {
        let n = self.array.len();
        let fresh: Vec<(f64, f64, f64)> = (0..n)
            .into_par_iter()
            .map(|i| {
                let (pa, qa) = self.reduced_field(i);
                (pa, qa, self.rate_at(i, pa, qa))
            })
            .collect();
        self.evaluations += n as u64;
        for (i, (pa, qa, nu)) in fresh.into_iter().enumerate() {
            self.anchor(i, pa, qa, nu);
        }
        self.bounds.rebuild();
    }

    /// The current rate of island i (Hz), exact at its current field.
    pub fn kept_rate(&self, i: usize) -> f64 {
        self.rate(i)
    }

    /// Σ ν̂_i (Hz): the total of the bounds the event stream draws from (≥ Σ ν_i).
    pub fn total_bound(&self) -> f64 {
        self.bounds.total()
    }

    /// Flips island i; new bounds for it and for the neighbours whose field left their ball.
    fn flip_and_update(&mut self, i: usize) {
        self.array.flip(i);
        // The neighbours, in a buffer kept between events (a hot path).
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        self.array.neighbours(i, |j| touched.push(j));
        self.reanchor(i);
        for &j in &touched {
            let (pa, qa) = self.reduced_field(j);
            let l = &self.local[j];
            let (dp, dq) = (pa - l.p0, qa - l.q0);
            if dp * dp + dq * dq > l.r2 {
                let nu = self.rate_at(j, pa, qa);
                self.evaluations += 1;
                self.anchor(j, pa, qa, nu);
            }
        }
        self.touched = touched;
    }

    /// One event of Gillespie's direct method (with thinning, module docs) in the field now
    /// held, if it falls before `t_end` (s): the clock moves to it and the flipped island is
    /// returned; otherwise the clock moves to `t_end` (memoryless, so nothing is lost by
    /// stopping there).
    pub fn next_event(&mut self, t_end: f64) -> Option<usize> {
        loop {
            let total = self.bounds.total();
            if !(total > 0.0 && total.is_finite()) {
                break;
            }
            let u: f64 = self.rng.random();
            let dt = -(1.0 - u).ln() / total;
            if self.t + dt > t_end {
                break;
            }
            self.t += dt;
            let i = self.bounds.find(self.rng.random::<f64>() * total);
            let bound = self.bounds.rate(i);
            let (pa, qa) = self.reduced_field(i);
            let nu = self.rate_at(i, pa, qa);
            self.evaluations += 1;
            if nu > bound * (1.0 + 1e-12) {
                self.bound_misses += 1;
            }
            if self.rng.random::<f64>() * bound < nu {
                self.flip_and_update(i);
                return Some(i);
            }
            self.rejections += 1;
            self.anchor(i, pa, qa, nu);
        }
        self.t = t_end;
        None
    }

    /// Gillespie's direct method up to `t_end` (s) in the field now held.
    pub fn gillespie_to(&mut self, t_end: f64) {
        while self.next_event(t_end).is_some() {}
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
