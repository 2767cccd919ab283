//! Brown's thermal field, per element (island or cell) and component, constant during one
//! step Δt:
//!
//! $$ B_{th} = \eta \sqrt{\frac{2 \alpha k_B T}{\gamma \mu_i \Delta t}}, \quad \eta \sim N(0,1), $$
//!
//! with μ_i = Ms V_i the element's moment, drawn in element order from one ChaCha8 stream
//! seeded by `temperature.seed` (empty cells draw nothing), so runs repeat exactly whatever
//! the thread count. Used with the stochastic Heun scheme ([`crate::integrate::heun`]).

use crate::constants::{GAMMA, KB};
use crate::integrate::Noise;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

#[derive(Clone)]
pub struct Thermal {
    /// 2 α k_B T / (γ μ_i) per element (T²·s), 0 for empty cells.
    variance_coef: Vec<f64>,
    rng: ChaCha8Rng,
}

impl Thermal {
    /// The thermal field at temperature `t` (K) for elements of moments `moments` (A·m²).
    pub fn new(t: f64, alpha: f64, moments: &[f64], seed: u64) -> Self {
        let variance_coef =
            moments.iter().map(|&mu| if mu > 0.0 { 2.0 * alpha * KB * t / (GAMMA * mu) } else { 0.0 }).collect();
        Thermal { variance_coef, rng: ChaCha8Rng::seed_from_u64(seed) }
    }
}

impl Noise for Thermal {
    /// Draws a fresh thermal field (T) for a step of length `dt` (s) into `out` (3 per element).
    fn draw(&mut self, dt: f64, out: &mut [f64]) {
        for (i, c) in self.variance_coef.iter().enumerate() {
            if *c == 0.0 {
                out[3 * i..3 * i + 3].iter_mut().for_each(|x| *x = 0.0);
                continue;
            }
            let sigma = (c / dt).sqrt();
            for k in 0..3 {
                let eta: f64 = StandardNormal.sample(&mut self.rng);
                out[3 * i + k] = sigma * eta;
            }
        }
    }
    fn clone_box(&self) -> Box<dyn Noise> {
        Box::new(self.clone())
    }
}
