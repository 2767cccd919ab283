//! Energy per input step of a reservoir run, in joules, split into parts:
//!
//! - `dissipated`: Gilbert dissipation Q inside the array over the step (the engine's exact
//!   bookkeeping, docs/physics.md), plus that of spectral probes (ringdowns) if any; `w_ext`, the work done by the field on the magnets,
//!   is reported beside it but not added (over a closed cycle W_ext = Q).
//! - `field_source`: the energy to generate the input field ([`field_source`]).
//! - `readout`: sensing the physical reservoir's state: the sensor's energy per read × reads
//!   (`crate::reservoir::sensors`; the idealised sensor charges `read_per_feature` per value).
//! - `cmos`: digital multiply-accumulates ([`cmos`]): the linear readout for every reservoir,
//!   plus the update of software reservoirs (ESN).
//! - `total = dissipated + field_source + readout + cmos`.
//! - `landauer`: the floor $k_B T \ln 2$ × bits of state per step ([`landauer`]), not added.
//!
//! Per run: summed over every input step of the run (washout included); per step: per run /
//! steps. The model is validated once from `[energy]` ([`EnergyModel::from_config`]).

pub mod cmos;
pub mod field_source;
pub mod landauer;

use crate::config::checks::{in_range, one_of, positive};
use crate::config::raw::{RawEnergy, RawStripline};
use crate::error::ConfigError;
use cmos::Cmos;
use field_source::{FieldSource, Stripline};
use serde::Serialize;

/// Default sensing energy per feature read (J); see `docs/energy.md` for its source.
pub const READ_PER_FEATURE: f64 = 1e-12;

/// The validated `[energy]` section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnergyModel {
    pub field_source: FieldSource,
    /// J per feature sensed.
    pub read_per_feature: f64,
    pub cmos: Cmos,
    /// K.
    pub landauer_temperature: f64,
}

impl EnergyModel {
    /// Validates `[energy]` and fills `res` with every default. `temperature` is the run's
    /// temperature (K), the Landauer default when > 0.
    pub fn from_config(raw: Option<&RawEnergy>, temperature: f64, res: &mut RawEnergy) -> Result<Self, ConfigError> {
        let raw = raw.cloned().unwrap_or_default();
        let kind =
            one_of("energy.field_source", raw.field_source.as_deref().unwrap_or("stripline"), &["stripline", "none"])?;
        if kind == "none" && raw.stripline.is_some() {
            return Err(ConfigError::new(
                "energy.stripline",
                "[energy.stripline]",
                "applies to energy.field_source = \"stripline\", not \"none\": remove it",
            ));
        }
        let field_source = if kind == "stripline" {
            let s = raw.stripline.clone().unwrap_or_default();
            let strip = Stripline {
                width: in_range("energy.stripline.width", s.width.unwrap_or(5e-6), 1e-8, 1e-2, "m")?,
                thickness: in_range("energy.stripline.thickness", s.thickness.unwrap_or(200e-9), 1e-9, 1e-3, "m")?,
                length: in_range("energy.stripline.length", s.length.unwrap_or(20e-6), 1e-8, 1.0, "m")?,
                resistivity: in_range(
                    "energy.stripline.resistivity",
                    s.resistivity.unwrap_or(2.44e-8),
                    1e-9,
                    1.0,
                    "Ω·m",
                )?,
            };
            if strip.length <= strip.width + strip.thickness {
                return Err(ConfigError::new(
                    "energy.stripline.length",
                    crate::config::checks::show(strip.length),
                    "must exceed width + thickness (the inductance formula is for a long bar)",
                ));
            }
            res.stripline = Some(RawStripline {
                width: Some(strip.width),
                thickness: Some(strip.thickness),
                length: Some(strip.length),
                resistivity: Some(strip.resistivity),
            });
            FieldSource::Stripline(strip)
        } else {
            FieldSource::None
        };
        let d = Cmos::default();
        let model = EnergyModel {
            field_source,
            read_per_feature: in_range(
                "energy.read_per_feature",
                raw.read_per_feature.unwrap_or(READ_PER_FEATURE),
                0.0,
                1e-3,
                "J",
            )?,
            cmos: Cmos {
                mult: in_range("energy.mult", raw.mult.unwrap_or(d.mult), 0.0, 1e-3, "J")?,
                add: in_range("energy.add", raw.add.unwrap_or(d.add), 0.0, 1e-3, "J")?,
            },
            landauer_temperature: positive(
                "energy.landauer_temperature",
                raw.landauer_temperature.unwrap_or(if temperature > 0.0 { temperature } else { 300.0 }),
                "K",
            )?,
        };
        res.field_source = Some(kind.into());
        res.read_per_feature = Some(model.read_per_feature);
        res.mult = Some(model.cmos.mult);
        res.add = Some(model.cmos.add);
        res.landauer_temperature = Some(model.landauer_temperature);
        Ok(model)
    }
}

/// What a run did, counted per input step, for [`account`].
#[derive(Debug, Clone, Default)]
pub struct Usage {
    /// Cumulative (W_ext, Q) in J after each step (physical reservoirs; empty otherwise).
    pub work_and_heat: Vec<(f64, f64)>,
    /// Field-source energy of each step (J).
    pub field_source: Vec<f64>,
    /// Gilbert dissipation of measurement probes (FMR ringdowns) over the run (J).
    pub probe_dissipated: f64,
    /// Input steps of the run.
    pub steps: usize,
    /// Values sensed from the physical reservoir per step.
    pub features_read: usize,
    /// What sensing them cost per step (J).
    pub sensing: f64,
    /// Digital multiply-accumulates per step.
    pub macs: f64,
    /// Bits of reservoir state overwritten per step.
    pub bits: f64,
}

/// Energy parts (J); `total = dissipated + field_source + readout + cmos`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, serde::Deserialize)]
pub struct EnergyParts {
    pub dissipated: f64,
    pub w_ext: f64,
    pub field_source: f64,
    pub readout: f64,
    pub cmos: f64,
    pub total: f64,
    pub landauer: f64,
}

impl EnergyParts {
    fn scaled(&self, f: f64) -> Self {
        let mut p = EnergyParts {
            dissipated: self.dissipated * f,
            w_ext: self.w_ext * f,
            field_source: self.field_source * f,
            readout: self.readout * f,
            cmos: self.cmos * f,
            total: 0.0,
            landauer: self.landauer * f,
        };
        p.total = p.dissipated + p.field_source + p.readout + p.cmos;
        p
    }
}

/// The energy of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accounting {
    pub per_step: EnergyParts,
    pub per_run: EnergyParts,
    pub steps: usize,
    pub features_read_per_step: usize,
    pub macs_per_step: f64,
    pub bits_per_step: f64,
    pub field_source_model: &'static str,
    pub landauer_temperature_k: f64,
}

/// Sums the parts over the run and divides by the steps.
pub fn account(model: &EnergyModel, usage: &Usage) -> Accounting {
    let n = usage.steps as f64;
    let (w, q) = usage.work_and_heat.last().copied().unwrap_or((0.0, 0.0));
    let mut run = EnergyParts {
        dissipated: q + usage.probe_dissipated,
        w_ext: w,
        field_source: usage.field_source.iter().fold(0.0, |a, b| a + b),
        readout: usage.sensing * n,
        cmos: model.cmos.energy(usage.macs) * n,
        total: 0.0,
        landauer: landauer::floor(model.landauer_temperature, usage.bits) * n,
    };
    run.total = run.dissipated + run.field_source + run.readout + run.cmos;
    Accounting {
        per_step: run.scaled(1.0 / n.max(1.0)),
        per_run: run,
        steps: usage.steps,
        features_read_per_step: usage.features_read,
        macs_per_step: usage.macs,
        bits_per_step: usage.bits,
        field_source_model: model.field_source.name(),
        landauer_temperature_k: model.landauer_temperature,
    }
}
