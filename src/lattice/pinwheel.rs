//! Pinwheel artificial spin ice: the square-ice sites with every island rotated by 45° about
//! its own centre (Macêdo et al., PRB 98, 014437 (2018)); 2·nx·ny islands.

use super::square::square_sites;
use super::{Grid, Lattice};
use crate::config::raw::RawLattice;
use crate::error::ConfigError;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use std::f64::consts::FRAC_PI_4;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Pinwheel {
    pub grid: Grid,
    pub magnet: MagnetSpec,
}

pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, _: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    Ok(Box::new(Pinwheel { grid: Grid::from_raw(raw)?, magnet: *magnet }))
}

impl Lattice for Pinwheel {
    fn name(&self) -> &'static str {
        "pinwheel"
    }
    fn islands(&self) -> Vec<Island> {
        square_sites(&self.grid)
            .into_iter()
            .map(|(x, y, angle, sub, _, _)| self.magnet.island(x, y, angle + FRAC_PI_4, sub))
            .collect()
    }
    fn spacing(&self) -> f64 {
        self.grid.spacing
    }
}
