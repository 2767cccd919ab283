//! Angle encoding: fixed magnitude, in-plane direction $\theta = \theta_0 + s\cdot\mathrm{span}$,
//! $B = |B|(\cos\theta, \sin\theta, 0)$ (with a mask, node j turns by $s\,m_j\cdot$span).

use super::{in_plane, masked_levels, Encoder, Level};

#[derive(Debug, Clone, PartialEq)]
pub struct Angle {
    /// |B| (T).
    pub magnitude: f64,
    /// Direction at s = 0 (degrees).
    pub angle0: f64,
    /// Rotation per unit of scaled input (degrees).
    pub span: f64,
}

impl Encoder for Angle {
    fn name(&self) -> &'static str {
        "angle"
    }
    fn max_field(&self) -> f64 {
        self.magnitude.abs()
    }
    fn levels(&self, s: f64, mask: &[f64]) -> Vec<Level> {
        masked_levels(s, mask, |x| in_plane(self.angle0 + x * self.span) * self.magnitude)
    }
}

/// The `[input]` keys angle encoding owns.
pub const KEYS: &[&str] = &["magnitude", "angle0", "span"];

/// From `[input]`: `magnitude` (T, required), `angle0` (degrees, default 0), `span` (degrees,
/// default 90).
pub fn from_config(
    raw: &crate::config::raw::RawInput,
) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError> {
    use crate::config::checks::{in_range, missing};
    let magnitude = in_range(
        "input.magnitude",
        raw.magnitude.ok_or_else(|| missing("input.magnitude", "|B| in T"))?,
        0.0,
        100.0,
        "T",
    )?;
    let angle0 = in_range("input.angle0", raw.angle0.unwrap_or(0.0), -360.0, 360.0, "degrees")?;
    let span = in_range("input.span", raw.span.unwrap_or(90.0), -360.0, 360.0, "degrees")?;
    Ok(std::sync::Arc::new(Angle { magnitude, angle0, span }))
}
