//! Minor-loop encoding (the spin-vortex-ice protocol): each input sets the amplitude
//! $H = h_{min} + s\,(h_{max} - h_{min})$ of one field cycle, +H along the direction for the
//! first half of the hold and −r·H for the second; the state is read at the end of the cycle.
//! r = 1 (`reverse`, the default) is the symmetric loop, whose −H half resets every island the
//! +H half switched; r < 1 is an asymmetric minor loop that leaves part of that history.

use super::{in_plane, Encoder, Level};
use nalgebra::Vector3;

#[derive(Debug, Clone, PartialEq)]
pub struct MinorLoop {
    /// In-plane direction of the cycle (unit vector).
    pub direction: Vector3<f64>,
    /// Cycle amplitude range (T).
    pub h_min: f64,
    pub h_max: f64,
    /// The reverse half's amplitude as a fraction r of H.
    pub reverse: f64,
}

/// The `[input]` keys the minor loop owns.
pub const KEYS: &[&str] = &["direction", "h_min", "h_max", "reverse"];

impl MinorLoop {
    pub fn new(direction_deg: f64, h_min: f64, h_max: f64) -> Self {
        MinorLoop { direction: in_plane(direction_deg), h_min, h_max, reverse: 1.0 }
    }
}

impl Encoder for MinorLoop {
    fn name(&self) -> &'static str {
        "minor_loop"
    }
    fn max_field(&self) -> f64 {
        self.h_min.abs().max(self.h_max.abs())
    }
    fn takes_mask(&self) -> bool {
        false
    }
    fn shortest_level(&self, _samples: usize) -> f64 {
        0.5
    }
    fn levels(&self, s: f64, _mask: &[f64]) -> Vec<Level> {
        let h = self.h_min + s * (self.h_max - self.h_min);
        vec![(0.0, self.direction * h), (0.5, -self.direction * (self.reverse * h))]
    }
}

/// From `[input]`: `direction` (degrees, default 45), `h_min` (T, default 0), `h_max` (T,
/// required, ≥ h_min) and `reverse` (r in [0, 1], default 1).
pub fn from_config(
    raw: &crate::config::raw::RawInput,
) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError> {
    use crate::config::checks::{in_range, missing};
    let direction = in_range("input.direction", raw.direction.unwrap_or(45.0), -360.0, 360.0, "degrees")?;
    let h_min = in_range("input.h_min", raw.h_min.unwrap_or(0.0), 0.0, 100.0, "T")?;
    let h_max = in_range(
        "input.h_max",
        raw.h_max.ok_or_else(|| missing("input.h_max", "largest cycle amplitude in T"))?,
        h_min,
        100.0,
        "T (≥ input.h_min)",
    )?;
    let reverse = in_range("input.reverse", raw.reverse.unwrap_or(1.0), 0.0, 1.0, "(a fraction of H)")?;
    Ok(std::sync::Arc::new(MinorLoop { reverse, ..MinorLoop::new(direction, h_min, h_max) }))
}
