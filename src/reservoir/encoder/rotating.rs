//! Rotating-field encoding (Vidamour et al., Commun. Phys. 6, 230 (2023)): each input is
//! `rotations` full turns of the in-plane field, in `steps` equal angle steps per turn, at the
//! amplitude $H = H_c + s\,H_r$ (near the depinning or switching field, so the input decides
//! how far the array follows the field): step j points at θ_j = θ_0 + 360°·j/steps.
//! (Field-angle encoding, θ = θ0 + s·Δθ over up to 360°, is the `angle` encoder.)

use super::{in_plane, Encoder, Level};

/// The `[input]` keys the rotating field owns.
pub const KEYS: &[&str] = &["h_c", "h_r", "rotations", "steps", "angle0"];

#[derive(Debug, Clone, PartialEq)]
pub struct Rotating {
    /// Amplitude at s = 0 (T).
    pub h_c: f64,
    /// Amplitude per unit of scaled input (T).
    pub h_r: f64,
    pub rotations: usize,
    /// Angle steps per rotation.
    pub steps: usize,
    /// Direction of the first step (degrees).
    pub angle0: f64,
}

impl Encoder for Rotating {
    fn name(&self) -> &'static str {
        "rotating"
    }
    fn max_field(&self) -> f64 {
        self.h_c.abs() + self.h_r.abs()
    }
    fn takes_mask(&self) -> bool {
        false
    }
    fn shortest_level(&self, _samples: usize) -> f64 {
        1.0 / (self.rotations * self.steps) as f64
    }
    fn levels(&self, s: f64, _mask: &[f64]) -> Vec<Level> {
        let h = self.h_c + s * self.h_r;
        let n = self.rotations * self.steps;
        (0..n)
            .map(|j| {
                let theta = self.angle0 + 360.0 * (j % self.steps) as f64 / self.steps as f64;
                (j as f64 / n as f64, in_plane(theta) * h)
            })
            .collect()
    }
}

/// From `[input]`: `h_c` and `h_r` (T, required), `rotations` (default 1), `steps` (default
/// 16), `angle0` (degrees, default 0).
pub fn from_config(
    raw: &crate::config::raw::RawInput,
) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError> {
    use crate::config::checks::{count, in_range, missing};
    let h_c = in_range(
        "input.h_c",
        raw.h_c.ok_or_else(|| missing("input.h_c", "amplitude at s = 0 in T"))?,
        0.0,
        100.0,
        "T",
    )?;
    let h_r = in_range(
        "input.h_r",
        raw.h_r.ok_or_else(|| missing("input.h_r", "amplitude per unit input in T"))?,
        -100.0,
        100.0,
        "T",
    )?;
    let rotations = count("input.rotations", raw.rotations.unwrap_or(1), 1, 64)?;
    let steps = count("input.steps", raw.steps.unwrap_or(16), 3, 1024)?;
    let angle0 = in_range("input.angle0", raw.angle0.unwrap_or(0.0), -360.0, 360.0, "degrees")?;
    Ok(std::sync::Arc::new(Rotating { h_c, h_r, rotations, steps, angle0 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_turn_in_equal_steps_at_the_input_amplitude() {
        let r = Rotating { h_c: 0.02, h_r: 0.01, rotations: 2, steps: 4, angle0: 10.0 };
        let lv = r.levels(0.5, &[]);
        assert_eq!(lv.len(), 8);
        for (j, (start, b)) in lv.iter().enumerate() {
            let theta = (10.0 + 90.0 * (j % 4) as f64).to_radians();
            assert!((start - j as f64 / 8.0).abs() < 1e-15);
            assert!((b.x - 0.025 * theta.cos()).abs() < 1e-15 && (b.y - 0.025 * theta.sin()).abs() < 1e-15);
        }
    }
}
