//! Width-modified square ice, as in artificial spin-vortex ice (Gartside et al., Nature
//! Nanotechnology 17, 460 (2022)): the square-ice sites with bars of two widths,
//! `wide_width` and `narrow_width` (m; defaults: `magnet.width` and half of it). With
//! `pattern = "checkerboard"` (default) bars alternate wide/narrow along every row and column
//! of cells ((i + j) even → wide); with `pattern = "sublattice"` all horizontal bars are wide
//! and all vertical ones narrow. Sub-lattice label: 0 = wide, 1 = narrow.

use super::square::square_sites;
use super::{Grid, Lattice};
use crate::config::checks;
use crate::config::raw::RawLattice;
use crate::error::ConfigError;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Asvi {
    pub grid: Grid,
    pub magnet: MagnetSpec,
    pub wide: f64,
    pub narrow: f64,
    pub checkerboard: bool,
}

/// The `[lattice]` keys this kind owns.
pub const KEYS: &[&str] = &["nx", "ny", "spacing", "wide_width", "narrow_width", "pattern"];

pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, _: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    let wide = checks::in_range(
        "lattice.wide_width",
        raw.wide_width.unwrap_or(magnet.width),
        1e-9,
        magnet.length,
        "m (≤ magnet.length)",
    )?;
    let narrow = checks::in_range(
        "lattice.narrow_width",
        raw.narrow_width.unwrap_or(0.5 * wide),
        1e-9,
        wide,
        "m (≤ lattice.wide_width)",
    )?;
    let pattern = checks::one_of(
        "lattice.pattern",
        raw.pattern.as_deref().unwrap_or("checkerboard"),
        &["checkerboard", "sublattice"],
    )?;
    Ok(Box::new(Asvi {
        grid: Grid::from_raw(raw)?,
        magnet: *magnet,
        wide,
        narrow,
        checkerboard: pattern == "checkerboard",
    }))
}

impl Lattice for Asvi {
    fn name(&self) -> &'static str {
        "asvi"
    }
    fn islands(&self) -> Vec<Island> {
        square_sites(&self.grid)
            .into_iter()
            .map(|(x, y, angle, sub, i, j)| {
                let wide = if self.checkerboard { (i + j) % 2 == 0 } else { sub == 0 };
                let mut isl = self.magnet.island(x, y, angle, u8::from(!wide));
                isl.width = if wide { self.wide } else { self.narrow };
                isl
            })
            .collect()
    }
    fn spacing(&self) -> f64 {
        self.grid.spacing
    }
}
