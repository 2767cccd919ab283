//! Per-value analogue read: each feature value (for `magnet_state`, the projection of one
//! island's m on an axis; for `tiles`, a tile's mean) integrated over the window, with
//! additive Gaussian noise and an n-bit ADC (default 8 bits) — the read chain of
//! [`super::Chain`]: $r = Q(\bar x + \sigma\xi)$, $E = P w + F 2^n$ per value.

use super::{Chain, Context, Sensor, Window};
use crate::config::raw::RawSensor;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    pub chain: Chain,
}

impl Sensor for Projection {
    fn name(&self) -> &'static str {
        "projection"
    }
    fn window(&self) -> Option<Window> {
        self.chain.window
    }
    fn read(&self, values: &[f64], rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        out.extend(values.iter().map(|&x| self.chain.measure(x, rng)));
    }
    fn energy_per_read(&self, features: usize) -> f64 {
        self.chain.energy_per_value() * features as f64
    }
    fn noise_sigma(&self) -> f64 {
        self.chain.sigma
    }
    fn describe(&self) -> String {
        format!("projection ({})", self.chain.describe())
    }
}

pub fn from_config(raw: &RawSensor, ctx: &Context, res: &mut RawSensor) -> Result<Arc<dyn Sensor>, ConfigError> {
    Ok(Arc::new(Projection { chain: Chain::from_config(raw, ctx, res, Some(8))? }))
}
