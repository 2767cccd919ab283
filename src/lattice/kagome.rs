//! Kagome artificial spin ice: islands on the bonds of a honeycomb lattice of bond length a
//! (`spacing`), so island centres form a kagome lattice with nearest-neighbour distance
//! (√3/2)·a. Each of the nx × ny cells holds three islands around a 3-fold vertex at
//! O = (√3 a (i + (j mod 2)/2), 1.5 a j):
//! (O + (0, a/2), 90°), (O + (−√3a/4, −a/4), 30°), (O + (√3a/4, −a/4), 150°); 3·nx·ny islands.
//! Rows are offset alternately so the patch is rectangular, not sheared. Islands are
//! numbered by sub-lattice (the three orientations), then row by row.

use super::{Grid, Lattice};
use crate::config::raw::RawLattice;
use crate::error::ConfigError;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Kagome {
    pub grid: Grid,
    pub magnet: MagnetSpec,
}

pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, _: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    Ok(Box::new(Kagome { grid: Grid::from_raw(raw)?, magnet: *magnet }))
}

impl Lattice for Kagome {
    fn name(&self) -> &'static str {
        "kagome"
    }
    fn islands(&self) -> Vec<Island> {
        let a = self.grid.spacing;
        let s3 = 3f64.sqrt();
        let mut out = Vec::with_capacity(3 * self.grid.nx * self.grid.ny);
        let m = &self.magnet;
        for sub in 0..3u8 {
            for j in 0..self.grid.ny {
                for i in 0..self.grid.nx {
                    let ox = s3 * a * (i as f64 + 0.5 * (j % 2) as f64);
                    let oy = 1.5 * a * j as f64;
                    out.push(match sub {
                        0 => m.island(ox, oy + 0.5 * a, 90f64.to_radians(), 0),
                        1 => m.island(ox - s3 * a / 4.0, oy - a / 4.0, 30f64.to_radians(), 1),
                        _ => m.island(ox + s3 * a / 4.0, oy - a / 4.0, 150f64.to_radians(), 2),
                    });
                }
            }
        }
        out
    }
    fn spacing(&self) -> f64 {
        self.grid.spacing
    }
}
