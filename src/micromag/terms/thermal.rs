//! Thermal field (Brown), the macrospin engine's definition with the cell volume V_c: per
//! magnetic cell and component, constant during one step Δt,
//!
//! $$ B_{th} = \eta \sqrt{\frac{2 \alpha k_B T}{\gamma M_s V_c \Delta t}}, \quad \eta \sim N(0,1), $$
//!
//! drawn in cell order from one ChaCha8 stream seeded by `temperature.seed`, so runs repeat
//! exactly whatever the thread count. Used with the Heun (Stratonovich) scheme.

use crate::constants::{GAMMA, KB};
use crate::micromag::mesh::Mesh;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

pub struct Thermal {
    /// 2 α k_B T / (γ Ms V_c) per cell (T²·s), 0 for empty cells.
    variance_coef: Vec<f64>,
    rng: ChaCha8Rng,
}

impl Thermal {
    pub fn new(mesh: &Mesh, t: f64, alpha: f64, seed: u64) -> Self {
        let v = mesh.cell_volume();
        let variance_coef =
            mesh.ms.iter().map(|&ms| if ms > 0.0 { 2.0 * alpha * KB * t / (GAMMA * ms * v) } else { 0.0 }).collect();
        Thermal { variance_coef, rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// Draws a fresh thermal field (T) for a step of `dt` (s) into `out` (3 per cell).
    pub fn draw(&mut self, dt: f64, out: &mut [f64]) {
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
}
