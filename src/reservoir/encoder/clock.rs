//! Astroid clocking (Jensen et al., Nat. Commun. 15, 964 (2024)): each input is `pulses` clock
//! pulses of equal length, cycling through the clock directions A, B, … (`angles`), each at an
//! amplitude just inside the islands' switching astroid, so that the dipolar fields decide
//! which islands switch and domains grow or shrink by a row per pulse.
//!
//! The input enters through the amplitude or through the sequence (`mode`):
//! - `amplitude`: pulse j has $B_j = H\,\hat e(\theta_{j \bmod n})$ with
//!   $H = H_0\,(1 + k\,(s - \tfrac12))$;
//! - `bit`: the amplitude is $H_0$, and an input s ≥ ½ plays the sequence A, B, … while
//!   s < ½ plays the reversed clock a, b, … (each direction turned by 180°), which grows the
//!   other domain.

use super::{in_plane, Encoder, Level};

/// The `[input]` keys the clock owns.
pub const KEYS: &[&str] = &["h0", "depth", "angles", "pulses", "mode"];

#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    /// Clock amplitude H0 (T).
    pub h0: f64,
    /// Modulation depth k of the amplitude (mode `amplitude`).
    pub depth: f64,
    /// Clock directions (degrees from +x), played in turn.
    pub angles: Vec<f64>,
    /// Pulses per input.
    pub pulses: usize,
    /// `bit` mode: the input chooses the sequence, not the amplitude.
    pub bit: bool,
}

impl Clock {
    /// Amplitude (T) and direction (degrees) of pulse j for input s.
    pub fn pulse(&self, s: f64, j: usize) -> (f64, f64) {
        let theta = self.angles[j % self.angles.len()];
        if self.bit {
            (self.h0, if s >= 0.5 { theta } else { theta + 180.0 })
        } else {
            (self.h0 * (1.0 + self.depth * (s - 0.5)), theta)
        }
    }
}

impl Encoder for Clock {
    fn name(&self) -> &'static str {
        "clock"
    }
    fn max_field(&self) -> f64 {
        self.h0.abs() * (1.0 + 0.5 * self.depth.abs())
    }
    fn takes_mask(&self) -> bool {
        false
    }
    fn shortest_level(&self, _samples: usize) -> f64 {
        1.0 / self.pulses as f64
    }
    fn levels(&self, s: f64, _mask: &[f64]) -> Vec<Level> {
        let n = self.pulses as f64;
        (0..self.pulses)
            .map(|j| {
                let (h, theta) = self.pulse(s, j);
                (j as f64 / n, in_plane(theta) * h)
            })
            .collect()
    }
}

/// From `[input]`: `h0` (T, required), `depth` (default 0), `angles` (degrees, default
/// [22, −22]: Jensen et al.'s A and B), `pulses` (default: one per direction), `mode`
/// (`amplitude`, default, or `bit`).
pub fn from_config(
    raw: &crate::config::raw::RawInput,
) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError> {
    use crate::config::checks::{count, in_range, missing, one_of};
    let h0 = in_range("input.h0", raw.h0.ok_or_else(|| missing("input.h0", "clock amplitude in T"))?, 0.0, 100.0, "T")?;
    let depth = in_range("input.depth", raw.depth.unwrap_or(0.0), -2.0, 2.0, "")?;
    let angles = raw.angles.clone().unwrap_or_else(|| vec![22.0, -22.0]);
    if angles.is_empty() || angles.len() > 64 || angles.iter().any(|a| !a.is_finite() || a.abs() > 360.0) {
        return Err(crate::error::ConfigError::new(
            "input.angles",
            format!("{angles:?}"),
            "must list 1 to 64 clock directions in [−360, 360] degrees",
        ));
    }
    let pulses = count("input.pulses", raw.pulses.unwrap_or(angles.len() as i64), 1, 1024)?;
    let mode = one_of("input.mode", raw.mode.as_deref().unwrap_or("amplitude"), &["amplitude", "bit"])?;
    Ok(std::sync::Arc::new(Clock { h0, depth, angles, pulses, bit: mode == "bit" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form: pulse j at angle θ_{j mod n}, amplitude H0(1 + k(s − ½)); in bit mode
    /// H0, and θ + 180° for s < ½; pulse j starts at j/P of the hold.
    #[test]
    fn field_sequence_is_the_closed_form() {
        let c = Clock { h0: 0.08, depth: 0.5, angles: vec![22.0, -22.0], pulses: 4, bit: false };
        let lv = c.levels(0.9, &[]);
        assert_eq!(lv.len(), 4);
        for (j, (start, b)) in lv.iter().enumerate() {
            let theta = if j % 2 == 0 { 22f64 } else { -22.0 }.to_radians();
            let h = 0.08 * (1.0 + 0.5 * (0.9 - 0.5));
            assert!((start - j as f64 / 4.0).abs() < 1e-15);
            assert!((b.x - h * theta.cos()).abs() < 1e-15 && (b.y - h * theta.sin()).abs() < 1e-15 && b.z == 0.0);
        }
        let bit = Clock { bit: true, ..c };
        for (s, turn) in [(0.2, 180f64), (0.7, 0.0)] {
            for (j, (_, b)) in bit.levels(s, &[]).iter().enumerate() {
                let theta = (if j % 2 == 0 { 22f64 } else { -22.0 } + turn).to_radians();
                assert!((b.x - 0.08 * theta.cos()).abs() < 1e-15 && (b.y - 0.08 * theta.sin()).abs() < 1e-15);
            }
        }
    }
}
