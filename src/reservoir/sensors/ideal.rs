//! The idealised bound: every feature value exactly, at the instant of the read, with no
//! noise. Its energy per value is `[energy] read_per_feature` (a placeholder, docs/energy.md).
//! Results with this sensor are labelled the idealised bound.

use super::{Context, Sensor};
use crate::config::raw::RawSensor;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ideal {
    /// J per value read.
    pub per_value: f64,
}

impl Sensor for Ideal {
    fn name(&self) -> &'static str {
        "ideal"
    }
    fn is_ideal(&self) -> bool {
        true
    }
    fn read(&self, values: &[f64], _rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        out.extend_from_slice(values);
    }
    fn energy_per_read(&self, features: usize) -> f64 {
        self.per_value * features as f64
    }
    fn describe(&self) -> String {
        "ideal (idealised bound: instantaneous, noiseless)".into()
    }
}

/// `[sensor] kind = "ideal"` takes no other keys.
pub fn from_config(_raw: &RawSensor, ctx: &Context, _res: &mut RawSensor) -> Result<Arc<dyn Sensor>, ConfigError> {
    Ok(Arc::new(Ideal { per_value: ctx.read_per_feature }))
}
