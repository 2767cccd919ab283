//! Tiled averages (flatspin's "windows"): the array's bounding box is cut into nx × ny equal
//! tiles and each tile reports the moment-weighted mean in-plane magnetisation of the islands
//! whose centres lie in it, $f_t = \sum_{i\in t} \mu_i (m_{i,x}, m_{i,y}) / \sum_{i\in t}\mu_i$
//! (0 for an empty tile) — a fixed number of features however large the array, as a camera or
//! a MOKE spot array would see it. Tiles in row-major order (x fastest), two values each.

use super::StateFeatures;
use crate::engine::Engine;
use crate::error::Error;
use crate::geometry::grid::grid_cells;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tiles {
    pub nx: usize,
    pub ny: usize,
}

impl StateFeatures for Tiles {
    fn name(&self) -> &'static str {
        "tiles"
    }
    fn width(&self, _n_magnets: usize) -> usize {
        2 * self.nx * self.ny
    }
    fn read(&self, engine: &dyn Engine, out: &mut Vec<f64>) -> Result<(), Error> {
        let (m, mu) = (engine.island_m(), engine.island_moments());
        let n = self.nx * self.ny;
        let mut sum = vec![[0.0f64; 3]; n];
        for ((t, mi), w) in grid_cells(engine.islands(), self.nx, self.ny).into_iter().zip(&m).zip(&mu) {
            sum[t][0] += w * mi.x;
            sum[t][1] += w * mi.y;
            sum[t][2] += w;
        }
        for s in sum {
            let w = if s[2] > 0.0 { s[2] } else { 1.0 };
            out.extend([s[0] / w, s[1] / w]);
        }
        Ok(())
    }
}

/// The `[features]` keys tiles own.
pub const KEYS: &[&str] = &["tiles"];

/// `[features] kind = "tiles"`: `tiles = [nx, ny]` (default [8, 8], each 1 to 1000).
pub fn from_config(
    raw: &crate::config::raw::RawConfig,
    res: &mut crate::config::raw::RawConfig,
    _binary: bool,
) -> Result<super::Built, crate::error::ConfigError> {
    use crate::config::checks::count;
    let [nx, ny] = raw.features.as_ref().and_then(|f| f.tiles).unwrap_or([8, 8]);
    let (nx, ny) = (count("features.tiles[0]", nx, 1, 1000)?, count("features.tiles[1]", ny, 1, 1000)?);
    let f = res.features.get_or_insert_with(Default::default);
    (f.kind, f.tiles) = (Some("tiles".into()), Some([nx as i64, ny as i64]));
    Ok((std::sync::Arc::new(Tiles { nx, ny }), None))
}
