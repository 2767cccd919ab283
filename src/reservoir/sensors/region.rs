//! Region read: one detector sees a whole set of islands — a MOKE spot, a Hall cross, the
//! AMR of a connected network. The array's bounding box is cut into `regions = [nx, ny]`
//! equal rectangles (default [1, 1]: the whole array) and each reads, per component of
//! `magnet_state`, the moment-weighted mean
//! $\bar m_{R} = \sum_{i\in R} V_i\, x_i / \sum_{i\in R} V_i$ (equal Ms), integrated over the
//! window, noisy and digitised (default 12 bits) by the chain of [`super::Chain`]. Regions
//! without islands are dropped. Energy $E = P w + F 2^n$ per value read.

use super::{Chain, Context, Sensor, Window};
use crate::config::checks::count;
use crate::config::raw::RawSensor;
use crate::error::ConfigError;
use crate::geometry::grid::grid_cells;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub chain: Chain,
    /// Per region: (island, weight V_i/ΣV) pairs.
    pub groups: Vec<Vec<(usize, f64)>>,
    /// Values per island in a read.
    pub per_island: usize,
}

impl Sensor for Region {
    fn name(&self) -> &'static str {
        "region"
    }
    fn width(&self, _features: usize) -> usize {
        self.groups.len() * self.per_island
    }
    fn window(&self) -> Option<Window> {
        self.chain.window
    }
    fn read(&self, values: &[f64], rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        let c = self.per_island;
        for g in &self.groups {
            for k in 0..c {
                let mean: f64 = g.iter().map(|&(i, w)| w * values[i * c + k]).sum();
                out.push(self.chain.measure(mean, rng));
            }
        }
    }
    fn energy_per_read(&self, _features: usize) -> f64 {
        self.chain.energy_per_value() * (self.groups.len() * self.per_island) as f64
    }
    fn noise_sigma(&self) -> f64 {
        self.chain.sigma
    }
    fn describe(&self) -> String {
        format!("region ({} regions; {})", self.groups.len(), self.chain.describe())
    }
}

pub fn from_config(raw: &RawSensor, ctx: &Context, res: &mut RawSensor) -> Result<Arc<dyn Sensor>, ConfigError> {
    if ctx.feature_kind != "magnet_state" || ctx.islands.is_empty() {
        return Err(ConfigError::new(
            "sensor.kind",
            "\"region\"",
            format!(
                "sums islands, so it reads features.kind = \"magnet_state\" of a magnet reservoir, not \"{}\" \
                 (tiles are already regions: read them with \"projection\")",
                ctx.feature_kind
            ),
        ));
    }
    let [nx, ny] = raw.regions.unwrap_or([1, 1]);
    let (nx, ny) = (count("sensor.regions[0]", nx, 1, 1000)?, count("sensor.regions[1]", ny, 1, 1000)?);
    let cells = grid_cells(ctx.islands, nx, ny);
    let mut groups: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nx * ny];
    for (i, (&c, isl)) in cells.iter().zip(ctx.islands).enumerate() {
        groups[c].push((i, isl.volume()));
    }
    groups.retain(|g| !g.is_empty());
    for g in &mut groups {
        let total: f64 = g.iter().map(|p| p.1).sum();
        g.iter_mut().for_each(|p| p.1 /= total);
    }
    res.regions = Some([nx as i64, ny as i64]);
    let chain = Chain::from_config(raw, ctx, res, Some(12))?;
    Ok(Arc::new(Region { chain, groups, per_island: ctx.values_per_island }))
}
