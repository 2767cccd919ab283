//! Seeded geometric disorder: island widths w_i = w·(1 + σ_w η_i) and angles
//! θ_i = θ + σ_θ ζ_i, with η, ζ ~ N(0, 1) drawn in island order from ChaCha8(seed), so the same
//! seed gives the same array on every machine and thread count. Widths are redrawn while
//! w_i < 0.2 w (a truncated normal), so no island vanishes.

use super::DisorderSpec;
use crate::geometry::Island;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

pub fn apply(islands: &mut [Island], spec: &DisorderSpec) {
    if spec.width == 0.0 && spec.angle == 0.0 {
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    for isl in islands.iter_mut() {
        if spec.width > 0.0 {
            loop {
                let eta: f64 = StandardNormal.sample(&mut rng);
                let f = 1.0 + spec.width * eta;
                if f >= 0.2 {
                    isl.width *= f;
                    break;
                }
            }
        }
        if spec.angle > 0.0 {
            let zeta: f64 = StandardNormal.sample(&mut rng);
            isl.angle += spec.angle * zeta;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Shape;

    fn bars(n: usize) -> Vec<Island> {
        (0..n)
            .map(|k| Island {
                x: k as f64 * 1e-6,
                y: 0.0,
                angle: 0.0,
                shape: Shape::Prism,
                length: 220e-9,
                width: 80e-9,
                thickness: 20e-9,
                sublattice: 0,
            })
            .collect()
    }

    #[test]
    fn width_spread_matches_the_requested_relative_std() {
        let mut isl = bars(20000);
        apply(&mut isl, &DisorderSpec { width: 0.05, angle: 0.0, seed: 7 });
        let n = isl.len() as f64;
        let mean = isl.iter().map(|i| i.width).sum::<f64>() / n;
        let sd = (isl.iter().map(|i| (i.width - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        // Standard error of a sample std is σ/√(2n) ≈ 0.025 % here; allow 3 of them plus rounding.
        assert!((mean / 80e-9 - 1.0).abs() < 3.0 * 0.05 / n.sqrt());
        assert!((sd / 80e-9 - 0.05).abs() < 3.0 * 0.05 / (2.0 * n).sqrt());
    }

    #[test]
    fn same_seed_same_array_other_seed_other_array() {
        let spec = DisorderSpec { width: 0.1, angle: 0.05, seed: 3 };
        let (mut a, mut b, mut c) = (bars(50), bars(50), bars(50));
        apply(&mut a, &spec);
        apply(&mut b, &spec);
        apply(&mut c, &DisorderSpec { seed: 4, ..spec });
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
