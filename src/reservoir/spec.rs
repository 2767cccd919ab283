//! The validated types of a `nanomag run` experiment ([`ExperimentConfig`]) and of a network's
//! layers ([`Layer`]): what [`super::config`] and [`super::network`] produce, and what the
//! experiment drives. Types only, with what follows from them; validation lives above.

use super::baselines::Software;
use super::encoder::Encoder;
use super::features::StateFeatures;
use super::magnets::{InputTiming, MagnetReservoir};
use super::readout::Readout;
use super::sensors::Sensor;
use super::tasks::Task;
use super::Reservoir;
use crate::config::raw::RawConfig;
use crate::config::SimConfig;
use crate::energy::EnergyModel;
use crate::error::{ConfigError, Error};
use std::sync::Arc;

/// Lengths of the parts of the series, in time order: washout (dropped), train, validation
/// (chooses λ), test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub washout: usize,
    pub train: usize,
    pub validation: usize,
    pub test: usize,
}

impl Split {
    pub fn steps(&self) -> usize {
        self.washout + self.train + self.validation + self.test
    }
}

/// What computes.
#[derive(Debug)]
pub enum ReservoirSpec {
    Magnets {
        system: Arc<SimConfig>,
        encoder: Arc<dyn Encoder>,
        timing: InputTiming,
        features: Arc<dyn StateFeatures>,
    },
    /// A software baseline ([`super::baselines::REGISTRY`]).
    Software(Arc<dyn Software>),
    /// A network of reservoirs, each with its own sensor ([`super::network`]).
    Network(Vec<Layer>),
}

/// A validated experiment.
#[derive(Debug)]
pub struct ExperimentConfig {
    pub task: Box<dyn Task>,
    pub task_seed: u64,
    pub split: Split,
    pub reservoir: ReservoirSpec,
    /// Feed the current input to the readout beside the state ([1; u; x]).
    pub include_input: bool,
    pub readout: Box<dyn Readout>,
    /// What a device measures of each read (`[sensor]`), and the seed of its noise.
    pub sensor: Arc<dyn Sensor>,
    pub sensor_seed: u64,
    /// How the run's energy is counted (`[energy]`).
    pub energy: EnergyModel,
    /// The configuration with every default filled in, for `summary.json`.
    pub resolved: RawConfig,
}

impl ExperimentConfig {
    /// A fresh reservoir as configured.
    pub fn build_reservoir(&self) -> Result<Box<dyn Reservoir>, Error> {
        Ok(match &self.reservoir {
            ReservoirSpec::Magnets { system, encoder, timing, features } => {
                let r = MagnetReservoir::new(system.clone(), encoder.clone(), timing.clone(), features.clone())?;
                Box::new(r.with_window(self.sensor.window()))
            }
            ReservoirSpec::Software(b) => b.build(),
            ReservoirSpec::Network(_) => {
                return Err(Error::Io("a network is driven layer by layer (experiment::drive), not built whole".into()))
            }
        })
    }

    /// Reads per input step (virtual nodes of a magnet reservoir; 1 for software ones).
    pub fn reads_per_step(&self) -> usize {
        match &self.reservoir {
            ReservoirSpec::Magnets { timing, .. } => timing.samples,
            _ => 1,
        }
    }

    /// The readout's inputs besides the intercept, as `run` reports them (`n_features`): the
    /// sensor's values per read × reads per step (for a network, those of the layers read),
    /// plus the input column.
    pub fn n_features(&self) -> Result<usize, ConfigError> {
        Ok(self.state_width()? + usize::from(self.include_input))
    }

    /// State values per step after the sensor.
    pub fn state_width(&self) -> Result<usize, ConfigError> {
        Ok(match &self.reservoir {
            ReservoirSpec::Magnets { system, timing, features, .. } => {
                let per_read = features.width(system.islands()?.len());
                let per_read = if self.sensor.is_ideal() { per_read } else { self.sensor.width(per_read) };
                timing.samples * per_read
            }
            ReservoirSpec::Software(b) => b.width(),
            ReservoirSpec::Network(layers) => {
                let w = widths(layers)?;
                layers.iter().zip(w).filter(|(l, _)| l.read).map(|(_, w)| w).sum()
            }
        })
    }

    /// Short name of the reservoir family: `magnets`, the baseline's registry name, or for a
    /// network `magnets`, `hybrid` (arrays and software) or `software`.
    pub fn reservoir_kind(&self) -> &'static str {
        match &self.reservoir {
            ReservoirSpec::Magnets { .. } => "magnets",
            ReservoirSpec::Software(b) => b.kind(),
            ReservoirSpec::Network(layers) => composition(layers),
        }
    }
}

/// Where a layer's input comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LayerInput {
    /// The task's scaled input.
    Task,
    /// Layer `layer`'s sensed output: one feature column, their mean, or all of them.
    Layer { layer: usize, pick: Pick },
}

/// Which of a layer's features a link takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pick {
    Column(usize),
    Mean,
    All,
}

/// A validated layer: its own experiment (none for an identity layer), its input and whether
/// the readout sees its features.
#[derive(Debug)]
pub struct Layer {
    pub label: String,
    pub cfg: Option<ExperimentConfig>,
    pub input: LayerInput,
    pub read: bool,
}

impl Layer {
    /// Whether this layer is a magnet array.
    pub fn is_magnets(&self) -> bool {
        matches!(self.cfg.as_ref().map(|c| &c.reservoir), Some(ReservoirSpec::Magnets { .. }))
    }
    /// Whether this layer computes in software (a baseline).
    pub fn is_software(&self) -> bool {
        matches!(self.cfg.as_ref().map(|c| &c.reservoir), Some(ReservoirSpec::Software(_)))
    }
}

/// `magnets` (every computing layer an array), `hybrid` (arrays and software) or `software`.
pub fn composition(layers: &[Layer]) -> &'static str {
    let (m, s) = (layers.iter().any(Layer::is_magnets), layers.iter().any(Layer::is_software));
    match (m, s) {
        (true, true) => "hybrid",
        (true, false) => "magnets",
        _ => "software",
    }
}

/// The sensed state width of every layer: its experiment's, or for an identity layer that of
/// the layer it passes through.
pub fn widths(layers: &[Layer]) -> Result<Vec<usize>, ConfigError> {
    let mut w = Vec::with_capacity(layers.len());
    for l in layers {
        w.push(match (&l.cfg, &l.input) {
            (Some(c), _) => c.state_width()?,
            (None, LayerInput::Layer { layer, .. }) => w[*layer],
            (None, LayerInput::Task) => 1,
        });
    }
    Ok(w)
}
