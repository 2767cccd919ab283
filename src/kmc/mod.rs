//! Kinetic Monte Carlo of thermally activated switching (Néel–Arrhenius; Hotspice's "Néel"
//! scheme). Each island is a binary moment s_i μ_i ê_i; its barrier ΔE_i out of the current
//! state is the exact Stoner–Wohlfarth barrier in its local in-plane field (applied +
//! point-dipole, [`barrier`]), with the effective uniaxial constant
//! $$ K_i = K_u + \tfrac12 \mu_0 M_s^2 (N_w - N_l) $$
//! from the island's demagnetising factors, and it flips at the rate
//! $$ \nu_i = f_{0,i}\, e^{-\Delta E_i / k_B T}. $$
//! The default attempt frequency is the one Brown's Fokker–Planck equation gives the island
//! itself ([`prefactor::f0`]: from α, Ms, V and K), so the rates agree with the LLG engine's
//! thermal switching.
//!
//! Schemes:
//! - **gillespie** (real time): the direct method — the waiting time is exponential with the
//!   total rate R = Σν_i, the island is drawn with probability ν_i/R (a [`fenwick`] tree), and
//!   after a flip only the rates of the island and its neighbours change. The applied field is
//!   held over each update interval; rates are re-evaluated when it changes (exact for
//!   piecewise-constant fields, memoryless otherwise);
//! - **metropolis** / **glauber** (no time): `sweeps` × N single-flip attempts per update, an
//!   island drawn uniformly, accepted with min(1, e^{−ΔE_flip/k_BT}) or
//!   1/(1 + e^{ΔE_flip/k_BT}), ΔE_flip = 2 μ_i m_i·B_i the energy change of the flip.
//!
//! Both sample the Boltzmann distribution of the binary states at fixed field.

pub mod barrier;
pub mod engine;
pub mod fenwick;
pub mod prefactor;

use crate::binary::BinaryArray;
use fenwick::Fenwick;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

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
    rates: Fenwick,
    rng: ChaCha8Rng,
    /// Time (s) of the event clock.
    pub t: f64,
    /// Rate evaluations so far.
    pub evaluations: u64,
    /// Scratch: the islands whose rates an event changes.
    touched: Vec<usize>,
}

impl Kmc {
    /// The model of `array` with each island's K (J/m³) and f0 (Hz).
    pub fn new(array: BinaryArray, k: Vec<f64>, ms: f64, f0: Vec<f64>, how: Settings) -> Self {
        let Settings { kt, scheme, sweeps, seed } = how;
        let volume = array.islands.iter().map(|i| i.volume()).collect();
        let n = array.len();
        let mut m = Kmc {
            array,
            k,
            volume,
            ms,
            f0,
            kt,
            scheme,
            sweeps,
            rates: Fenwick::new(vec![0.0; n]),
            rng: ChaCha8Rng::seed_from_u64(seed),
            t: 0.0,
            evaluations: 0,
            touched: Vec::new(),
        };
        m.refresh_rates();
        m
    }

    /// ΔE_i (J): the barrier out of island i's current state in its current field.
    pub fn barrier(&self, i: usize) -> f64 {
        let b = self.array.field(i);
        let m = self.array.m(i);
        let b_par = b.dot(&m);
        let b_perp = b.x * -m.y + b.y * m.x;
        barrier::barrier(self.k[i], self.volume[i], self.ms, b_par, b_perp)
    }

    /// ν_i = f0_i e^{−ΔE_i/k_BT} (Hz).
    pub fn rate(&self, i: usize) -> f64 {
        self.f0[i] * (-self.barrier(i) / self.kt).exp()
    }

    /// Re-evaluates every rate (after the applied field changes).
    pub fn refresh_rates(&mut self) {
        let r: Vec<f64> = (0..self.array.len()).map(|i| self.rate(i)).collect();
        self.evaluations += r.len() as u64;
        self.rates = Fenwick::new(r);
    }

    /// The current rate of island i (Hz), as kept.
    pub fn kept_rate(&self, i: usize) -> f64 {
        self.rates.rate(i)
    }

    /// Total rate Σν_i (Hz).
    pub fn total_rate(&self) -> f64 {
        self.rates.total()
    }

    fn flip_and_update(&mut self, i: usize) {
        self.array.flip(i);
        // The island and its neighbours, in a buffer kept between events (a hot path).
        let mut touched = std::mem::take(&mut self.touched);
        touched.clear();
        touched.push(i);
        self.array.neighbours(i, |j| touched.push(j));
        for &j in &touched {
            let r = self.rate(j);
            self.rates.set(j, r);
        }
        self.touched = touched;
        self.evaluations += 1;
    }

    /// One event of Gillespie's direct method in the field now held, if it falls before
    /// `t_end` (s): the clock moves to it and the flipped island is returned; otherwise the
    /// clock moves to `t_end` (memoryless, so nothing is lost by stopping there).
    pub fn next_event(&mut self, t_end: f64) -> Option<usize> {
        let total = self.rates.total();
        if total > 0.0 && total.is_finite() {
            let u: f64 = self.rng.random();
            let dt = -(1.0 - u).ln() / total;
            if self.t + dt <= t_end {
                self.t += dt;
                let i = self.rates.find(self.rng.random::<f64>() * total);
                self.flip_and_update(i);
                return Some(i);
            }
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
