//! Amplitude encoding: $B = b_0 + s\,\delta b$, a fixed direction whose strength follows the
//! input (with a mask, node j sees $b_0 + s\,m_j\,\delta b$).

use super::{masked_levels, Encoder, Level};
use nalgebra::Vector3;

#[derive(Debug, Clone, PartialEq)]
pub struct Amplitude {
    /// Offset field b0 (T).
    pub b0: Vector3<f64>,
    /// Field per unit of scaled input δb (T).
    pub db: Vector3<f64>,
}

impl Encoder for Amplitude {
    fn name(&self) -> &'static str {
        "amplitude"
    }
    fn max_field(&self) -> f64 {
        self.b0.norm() + self.db.norm()
    }
    fn levels(&self, s: f64, mask: &[f64]) -> Vec<Level> {
        masked_levels(s, mask, |x| self.b0 + self.db * x)
    }
}

/// The `[input]` keys amplitude encoding owns.
pub const KEYS: &[&str] = &["b0", "db"];

/// From `[input]`: `b0` (default 0) and `db` (required), both `[bx, by, bz]` in T.
pub fn from_config(
    raw: &crate::config::raw::RawInput,
) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError> {
    use crate::config::checks::{missing, vec3};
    let b0 = raw.b0.as_deref().map_or(Ok(Vector3::zeros()), |v| vec3("input.b0", v))?;
    let db = vec3(
        "input.db",
        raw.db.as_deref().ok_or_else(|| missing("input.db", "field per unit input [bx, by, bz] in T"))?,
    )?;
    Ok(std::sync::Arc::new(Amplitude { b0, db }))
}
