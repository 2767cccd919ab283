//! A chain of `nx` identical islands along x at spacing a, all at angle `lattice.angle`
//! (degrees; 0° = head-to-tail along the chain, 90° = side by side).

use super::Lattice;
use crate::config::checks;
use crate::config::raw::RawLattice;
use crate::error::ConfigError;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Chain {
    pub n: usize,
    pub spacing: f64,
    pub angle: f64,
    pub magnet: MagnetSpec,
}

/// The `[lattice]` keys this kind owns.
pub const KEYS: &[&str] = &["nx", "spacing", "angle"];

pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, _: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    Ok(Box::new(Chain {
        n: checks::count("lattice.nx", raw.nx.unwrap_or(10), 1, 1_000_000)?,
        spacing: checks::in_range("lattice.spacing", raw.spacing.unwrap_or(500e-9), 1e-9, 1e-3, "m")?,
        angle: checks::in_range("lattice.angle", raw.angle.unwrap_or(0.0), -360.0, 360.0, "degrees")?.to_radians(),
        magnet: *magnet,
    }))
}

impl Lattice for Chain {
    fn name(&self) -> &'static str {
        "chain"
    }
    fn islands(&self) -> Vec<Island> {
        (0..self.n).map(|k| self.magnet.island(k as f64 * self.spacing, 0.0, self.angle, 0)).collect()
    }
    fn spacing(&self) -> f64 {
        self.spacing
    }
}
