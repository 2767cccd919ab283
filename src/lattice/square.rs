//! Square artificial spin ice: nx × ny unit cells of side a, each holding one horizontal
//! island at ((i+½)a, ja) (angle 0°, sub-lattice 0) and one vertical island at (ia, (j+½)a)
//! (angle 90°, sub-lattice 1): 2·nx·ny islands. Islands are numbered row by row, all
//! horizontal ones first, so interior islands of one sub-lattice share a dipolar stencil.

use super::{Grid, Lattice};
use crate::config::raw::RawLattice;
use crate::error::ConfigError;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use std::f64::consts::FRAC_PI_2;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Square {
    pub grid: Grid,
    pub magnet: MagnetSpec,
}

pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, _: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    Ok(Box::new(Square { grid: Grid::from_raw(raw)?, magnet: *magnet }))
}

/// The square-ice sites shared by `square`, `pinwheel` and `asvi`: (x, y, angle, sublattice,
/// cell i, cell j): all horizontal islands in row-major cell order, then all vertical ones.
pub fn square_sites(g: &Grid) -> Vec<(f64, f64, f64, u8, usize, usize)> {
    let a = g.spacing;
    let mut s = Vec::with_capacity(2 * g.nx * g.ny);
    for sub in 0..2u8 {
        for j in 0..g.ny {
            for i in 0..g.nx {
                s.push(match sub {
                    0 => ((i as f64 + 0.5) * a, j as f64 * a, 0.0, 0, i, j),
                    _ => (i as f64 * a, (j as f64 + 0.5) * a, FRAC_PI_2, 1, i, j),
                });
            }
        }
    }
    s
}

impl Lattice for Square {
    fn name(&self) -> &'static str {
        "square"
    }
    fn islands(&self) -> Vec<Island> {
        square_sites(&self.grid)
            .into_iter()
            .map(|(x, y, angle, sub, _, _)| self.magnet.island(x, y, angle, sub))
            .collect()
    }
    fn spacing(&self) -> f64 {
        self.grid.spacing
    }
}
