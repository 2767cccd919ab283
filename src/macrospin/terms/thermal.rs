//! Thermal field (Brown): per island and component, constant during one step Δt,
//!
//! $$ B_{th} = \eta \sqrt{\frac{2 \alpha k_B T}{\gamma M_s V \Delta t}}, \quad \eta \sim N(0,1), $$
//!
//! drawn in island order from a ChaCha8 stream seeded by `temperature.seed`, so runs repeat
//! exactly whatever the thread count. Used with the Heun (Stratonovich) scheme.

use crate::constants::{GAMMA, KB};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

pub struct Thermal {
    /// 2 α k_B T / (γ Ms V_i) per island (T²·s); divided by Δt and square-rooted per step.
    variance_coef: Vec<f64>,
    rng: ChaCha8Rng,
}

impl Thermal {
    pub fn new(t: f64, alpha: f64, ms: f64, volume: &[f64], seed: u64) -> Self {
        let variance_coef = volume.iter().map(|v| 2.0 * alpha * KB * t / (GAMMA * ms * v)).collect();
        Thermal { variance_coef, rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// Draws a fresh thermal field (T) for a step of length `dt` (s) into `out` (3 per island).
    pub fn draw(&mut self, dt: f64, out: &mut [f64]) {
        for (i, c) in self.variance_coef.iter().enumerate() {
            let sigma = (c / dt).sqrt();
            for k in 0..3 {
                let eta: f64 = StandardNormal.sample(&mut self.rng);
                out[3 * i + k] = sigma * eta;
            }
        }
    }
}
