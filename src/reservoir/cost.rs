//! The cost of one experiment before it runs ([`crate::cost`]): the reservoir's dynamics
//! (the engine for steps × hold seconds plus, for spectral features, a probe's pulse and
//! ringdown per read; or a baseline's multiply-accumulates and state values per step), its states
//! (steps × width values, kept three times: states, features, predictions) and the readout
//! (3·n·p numbers for the standardised copies plus two min(n, p)² matrices).

use super::config::{ExperimentConfig, ReservoirSpec};
use crate::cost::Estimate;
use crate::error::ConfigError;

impl ExperimentConfig {
    /// The estimated cost of one run of this experiment.
    pub fn estimate(&self) -> Result<Estimate, ConfigError> {
        let steps = self.split.steps() as f64;
        let (mut e, width) = match &self.reservoir {
            ReservoirSpec::Magnets { system, timing, features, .. } => {
                let islands = system.islands()?;
                let reads = steps * timing.samples as f64;
                let duration = steps * timing.hold + reads * features.probe_seconds();
                let e = crate::cost::simulate(system, &islands, duration, reads);
                let width = timing.samples as f64 * features.width(islands.len()) as f64;
                (Estimate { disk_bytes: 0.0, ..e }, width)
            }
            ReservoirSpec::Software(b) => {
                let width = b.width() as f64;
                let work = steps * (b.macs_per_step() + width);
                (Estimate { memory_bytes: b.memory_bytes(), steps, work, ..Default::default() }, width)
            }
            ReservoirSpec::Network(layers) => {
                let mut e = Estimate::default();
                for c in layers.iter().filter_map(|l| l.cfg.as_ref()) {
                    e.add(&c.estimate()?);
                }
                (e, self.state_width()? as f64)
            }
        };
        let p = width + 1.0;
        let n = (self.split.train + self.split.validation) as f64;
        e.memory_bytes += 3.0 * steps * width * 8.0 + 3.0 * n * p * 8.0 + 2.0 * n.min(p).powi(2) * 8.0;
        e.work += n * p * n.min(p);
        Ok(e)
    }
}
