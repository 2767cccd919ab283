//! Binary read: the sign of each integrated, noisy value, $r = \mathrm{sgn}(\bar x + \sigma\xi)
//! \in \{-1, +1\}$ — what a magnetic tunnel junction under each island, or an MFM image,
//! tells of an island's state (`features.components = ["long"]`). A 1-bit conversion:
//! $E = P w + 2F$ per value.

use super::{Chain, Context, Sensor, Window};
use crate::config::raw::RawSensor;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Binary {
    /// The chain without a quantiser (the comparator is the 1-bit ADC).
    pub chain: Chain,
}

impl Sensor for Binary {
    fn name(&self) -> &'static str {
        "binary"
    }
    fn window(&self) -> Option<Window> {
        self.chain.window
    }
    fn read(&self, values: &[f64], rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        out.extend(values.iter().map(|&x| if self.chain.measure(x, rng) >= 0.0 { 1.0 } else { -1.0 }));
    }
    fn energy_per_read(&self, features: usize) -> f64 {
        (self.chain.energy_per_value() + 2.0 * self.chain.adc_fom) * features as f64
    }
    fn noise_sigma(&self) -> f64 {
        self.chain.sigma
    }
    fn describe(&self) -> String {
        format!("binary (sign read; {})", self.chain.describe())
    }
}

pub fn from_config(raw: &RawSensor, ctx: &Context, res: &mut RawSensor) -> Result<Arc<dyn Sensor>, ConfigError> {
    let chain = Chain::from_config(raw, ctx, res, None)?;
    (res.adc_bits, res.full_scale) = (None, None);
    Ok(Arc::new(Binary { chain }))
}
