//! Validation of a `nanomag run` experiment, once: the raw sections become the checked types
//! below; nothing downstream re-checks. Keys, defaults, units and ranges: `docs/config.md`.

use super::baselines;
use super::encoder;
use super::magnets::InputTiming;
use super::readout::ridge::{default_lambdas, Ridge};
use super::sensors::{self, Sensor};
use super::tasks::{self, Task};
use crate::config::checks::{count, in_range, one_of, seed};
use crate::config::raw::{RawConfig, RawEnergy, RawSensor};
use crate::energy::field_source::FieldSource;
use crate::energy::EnergyModel;
use crate::error::ConfigError;
use crate::registry::validate_system;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::Arc;

pub use super::spec::{ExperimentConfig, ReservoirSpec, Split};

pub use super::repeats::shifted_seeds;

/// The range of ridge parameters λ (on standardised features): below 1e-15 a λ is lost in
/// rounding against the Gram matrix's unit diagonal, above 1e10 every weight is zero to
/// machine precision.
pub const LAMBDA_RANGE: (f64, f64) = (1e-15, 1e10);

/// Validates a raw experiment; relative paths resolve against `base_dir`.
pub fn validate(raw: &RawConfig, base_dir: &Path) -> Result<ExperimentConfig, ConfigError> {
    let mut res = raw.clone();
    if !raw.field.is_empty() {
        return Err(ConfigError::new(
            "field",
            "[[field]]",
            "is for `nanomag simulate`: in `run` the [input] encoder makes the field from the task's inputs",
        ));
    }
    let (task, task_seed, split) = task_and_split(raw, &mut res)?;
    let (reservoir, spectral) = if raw.layer.is_empty() {
        reservoir(raw, base_dir, &mut res)?
    } else {
        (network(raw, base_dir, &mut res)?, None)
    };
    let include_input = include_input(raw, &reservoir, &mut res)?;
    let lambdas = lambdas(raw, split, &mut res)?;
    let energy = energy(raw, &reservoir, &mut res)?;
    let (sensor, sensor_seed) = sensor(raw, &reservoir, spectral, energy.read_per_feature, task_seed, &mut res)?;
    Ok(ExperimentConfig {
        task,
        task_seed,
        split,
        reservoir,
        include_input,
        readout: Box::new(Ridge { lambdas }),
        sensor,
        sensor_seed,
        energy,
        resolved: res,
    })
}

/// `[task]`: the task, its seed and the split, written resolved into `res`.
fn task_and_split(raw: &RawConfig, res: &mut RawConfig) -> Result<(Box<dyn Task>, u64, Split), ConfigError> {
    let rt = raw.task.clone().unwrap_or_default();
    let task = tasks::from_config(&rt)?;
    let task_seed = seed("task.seed", rt.seed.unwrap_or(1))?;
    let split = Split {
        washout: count("task.washout", rt.washout.unwrap_or(100), task.warmup() as i64, 1_000_000)?,
        train: count("task.train", rt.train.unwrap_or(3000), 10, 10_000_000)?,
        validation: count("task.validation", rt.validation.unwrap_or(500), 0, 10_000_000)?,
        test: count("task.test", rt.test.unwrap_or(1000), 10, 10_000_000)?,
    };
    let t = res.task.get_or_insert_with(Default::default);
    t.kind = Some(task.name().into());
    task.resolve(t);
    t.seed = Some(task_seed as i64);
    (t.washout, t.train, t.validation, t.test) =
        (Some(split.washout as i64), Some(split.train as i64), Some(split.validation as i64), Some(split.test as i64));
    Ok((task, task_seed, split))
}

/// `[reservoir]`: the magnet array (with `[input]`, `[features]` and the system sections) or a
/// software baseline; each kind owns its keys.
fn reservoir(
    raw: &RawConfig,
    base_dir: &Path,
    res: &mut RawConfig,
) -> Result<(ReservoirSpec, Option<sensors::Spectral>), ConfigError> {
    let rr = raw.reservoir.clone().unwrap_or_default();
    let kind = rr.kind.clone().unwrap_or_else(|| "magnets".into());
    let names: Vec<&str> = std::iter::once("magnets").chain(baselines::REGISTRY.iter().map(|e| e.name)).collect();
    one_of("reservoir.kind", &kind, &names)?;
    let owners: Vec<(&str, &[&str])> =
        std::iter::once(("magnets", &[][..])).chain(baselines::REGISTRY.iter().map(|e| (e.name, e.keys))).collect();
    crate::config::checks::owned_keys("reservoir", &rr, &kind, &owners, &["kind"])?;
    res.reservoir.get_or_insert_with(Default::default).kind = Some(kind.clone());
    let Some(e) = baselines::entry(&kind) else { return magnets(raw, base_dir, res) };
    if raw.input.is_some() {
        return Err(ConfigError::new(
            "input",
            "[input]",
            format!("applies to reservoir.kind = \"magnets\", not \"{kind}\": remove it"),
        ));
    }
    let r = res.reservoir.get_or_insert_with(Default::default);
    let weight_seed = seed("lattice.seed", raw.lattice.seed.unwrap_or(1))?;
    Ok((ReservoirSpec::Software((e.build)(&rr, weight_seed, r)?), None))
}

/// `[[layer]]`: a network of reservoirs ([`super::network`]); the network's own file holds
/// only its task, readout, digital energy costs and `features.include_input`.
fn network(raw: &RawConfig, base_dir: &Path, res: &mut RawConfig) -> Result<ReservoirSpec, ConfigError> {
    let sections =
        [("reservoir", raw.reservoir.is_some()), ("input", raw.input.is_some()), ("sensor", raw.sensor.is_some())];
    if let Some((name, _)) = sections.iter().find(|(_, p)| *p) {
        return Err(ConfigError::new(
            *name,
            format!("[{name}]"),
            "belongs in each layer's file, not in a network of [[layer]]s",
        ));
    }
    if let Some(f) = &raw.features {
        let set = crate::config::checks::keys_set(f);
        if let Some(k) = set.iter().find(|k| *k != "include_input") {
            return Err(ConfigError::new(
                format!("features.{k}"),
                "(set)",
                "a network's features are its layers': only include_input belongs here",
            ));
        }
    }
    Ok(ReservoirSpec::Network(super::network::validate(raw, base_dir, &mut res.layer, validate)?))
}

/// `features.include_input`: defaults to true, false for a reservoir whose state already
/// holds u(t).
fn include_input(raw: &RawConfig, reservoir: &ReservoirSpec, res: &mut RawConfig) -> Result<bool, ConfigError> {
    let rf = raw.features.clone().unwrap_or_default();
    let holds_input = matches!(reservoir, ReservoirSpec::Software(b) if b.holds_input());
    let include_input = rf.include_input.unwrap_or(!holds_input);
    res.features.get_or_insert_with(Default::default).include_input = Some(include_input);
    Ok(include_input)
}

/// `readout.lambdas`: each in [`LAMBDA_RANGE`]; more than one needs a validation split.
fn lambdas(raw: &RawConfig, split: Split, res: &mut RawConfig) -> Result<Vec<f64>, ConfigError> {
    let ro = raw.readout.clone().unwrap_or_default();
    one_of("readout.kind", ro.kind.as_deref().unwrap_or("ridge"), &["ridge"])?;
    let lambdas = ro.lambdas.clone().unwrap_or_else(default_lambdas);
    let (lo, hi) = LAMBDA_RANGE;
    if let Some(bad) = lambdas.iter().find(|l| !(lo..=hi).contains(*l)) {
        return Err(ConfigError::new(
            "readout.lambdas",
            crate::config::checks::show(*bad),
            format!(
                "every λ must be in [{lo:e}, {hi:e}] (1e-15 is as good as no regularisation on standardised features)"
            ),
        ));
    }
    if lambdas.is_empty() {
        return Err(ConfigError::new("readout.lambdas", "[]", "must list at least one λ"));
    }
    if lambdas.len() > 1 && split.validation < 2 {
        return Err(ConfigError::new(
            "task.validation",
            split.validation,
            format!(
                "must be ≥ 2 steps to choose among the {} values of readout.lambdas (or give readout.lambdas one value)",
                lambdas.len()
            ),
        ));
    }
    let r = res.readout.get_or_insert_with(Default::default);
    (r.kind, r.lambdas) = (Some("ridge".into()), Some(lambdas.clone()));
    Ok(lambdas)
}

/// `[energy]`: the field source belongs to a magnet array (a network's layers carry their own).
fn energy(raw: &RawConfig, reservoir: &ReservoirSpec, res: &mut RawConfig) -> Result<EnergyModel, ConfigError> {
    let temperature = match reservoir {
        ReservoirSpec::Magnets { system, .. } => system.temperature.t,
        ReservoirSpec::Network(layers) => layers
            .iter()
            .filter_map(|l| match l.cfg.as_ref().map(|c| &c.reservoir) {
                Some(ReservoirSpec::Magnets { system, .. }) => Some(system.temperature.t),
                _ => None,
            })
            .fold(0.0, f64::max),
        ReservoirSpec::Software(_) => 0.0,
    };
    let magnets = matches!(reservoir, ReservoirSpec::Magnets { .. });
    if !magnets && raw.energy.as_ref().is_some_and(|e| e.field_source.is_some() || e.stripline.is_some()) {
        return Err(ConfigError::new(
            "energy.field_source",
            "[energy]",
            "applies to a magnet array: software reservoirs have no field, and a network's layers carry their own",
        ));
    }
    let mut re = RawEnergy::default();
    let mut energy = EnergyModel::from_config(raw.energy.as_ref(), temperature, &mut re)?;
    if !magnets {
        energy.field_source = FieldSource::None;
        (re.field_source, re.stripline) = (None, None);
    }
    res.energy = Some(re);
    Ok(energy)
}

/// `[sensor]` for the reads of `reservoir`; its noise seed defaults to the lattice seed
/// (software reservoirs: the task seed).
fn sensor(
    raw: &RawConfig,
    reservoir: &ReservoirSpec,
    spectral: Option<sensors::Spectral>,
    read_per_feature: f64,
    task_seed: u64,
    res: &mut RawConfig,
) -> Result<(Arc<dyn Sensor>, u64), ConfigError> {
    let islands = match reservoir {
        ReservoirSpec::Magnets { system, .. } => system.islands()?,
        _ => Vec::new(),
    };
    let (ctx, fallback) = match reservoir {
        ReservoirSpec::Magnets { system, timing, features, .. } => (
            sensors::Context {
                node_interval: Some(timing.hold / timing.samples as f64),
                feature_kind: features.name(),
                values_per_island: if features.name() == "magnet_state" { features.width(1) } else { 0 },
                islands: &islands,
                read_per_feature,
                spectrum: spectral,
            },
            system.disorder.seed,
        ),
        _ => (
            sensors::Context {
                node_interval: None,
                feature_kind: "state",
                values_per_island: 0,
                islands: &[],
                read_per_feature,
                spectrum: None,
            },
            task_seed,
        ),
    };
    let mut rs = RawSensor::default();
    let sensor = sensors::from_config(raw.sensor.as_ref(), &ctx, &mut rs)?;
    let seed = sensors::noise_seed(raw.sensor.as_ref(), fallback)?;
    rs.seed = Some(seed as i64);
    // The ideal sensor draws nothing: left out of the resolved config unless written, so
    // the config hashes of existing sweep points stay valid.
    res.sensor = (raw.sensor.is_some() || !sensor.is_ideal()).then_some(rs);
    Ok((sensor, seed))
}

/// The magnet reservoir (and, for spectral features, what the spectrum sensor needs): encoder,
/// timing, features, then the system sections.
fn magnets(
    raw: &RawConfig,
    base_dir: &Path,
    res: &mut RawConfig,
) -> Result<(ReservoirSpec, Option<sensors::Spectral>), ConfigError> {
    let ri = raw.input.clone().unwrap_or_default();
    let kind = ri.kind.as_deref().unwrap_or("amplitude");
    let enc = encoder::from_config(&ri)?;

    // The LLG engines resolve picoseconds (a hold beyond 1 µs is a mistake there); the
    // binary engines step a field or thermal events and reach seconds.
    let binary = raw.solver.kind.as_deref().and_then(crate::registry::entry).is_some_and(|e| !e.precesses);
    let hold_max = if binary { 1e3 } else { 1e-6 };
    let hold = in_range("input.hold", ri.hold.unwrap_or(1e-9), 1e-12, hold_max, "s")?;
    let samples = count("input.samples", ri.samples.unwrap_or(4), 1, 64)?;
    let mask_kind = one_of("input.mask", ri.mask.as_deref().unwrap_or("none"), &["none", "binary", "uniform"])?;
    if mask_kind != "none" && !enc.takes_mask() {
        return Err(ConfigError::new(
            "input.mask",
            format!("\"{mask_kind}\""),
            format!("input.kind = \"{kind}\" takes no mask: use \"none\""),
        ));
    }
    let mask_seed = seed("input.mask_seed", ri.mask_seed.unwrap_or(raw.lattice.seed.unwrap_or(1)))?;
    let mut rng = ChaCha8Rng::seed_from_u64(mask_seed);
    let mask: Vec<f64> = match mask_kind {
        "binary" => (0..samples).map(|_| if rng.random_bool(0.5) { 1.0 } else { -1.0 }).collect(),
        "uniform" => (0..samples).map(|_| rng.random_range(-1.0..1.0)).collect(),
        _ => Vec::new(),
    };
    // The shortest level: a virtual node, half a minor-loop cycle, a clock pulse, a step of
    // a rotation.
    let shortest = hold * enc.shortest_level(samples);
    let rise =
        in_range("input.rise", ri.rise.unwrap_or(20e-12), 0.0, 0.5 * shortest, "s (≤ half the shortest field level)")?;
    let timing = InputTiming { hold, samples, rise, mask };
    let i = res.input.get_or_insert_with(|| ri.clone());
    (i.kind, i.hold, i.samples, i.rise, i.mask, i.mask_seed) = (
        Some(kind.into()),
        Some(hold),
        Some(samples as i64),
        Some(rise),
        Some(mask_kind.into()),
        Some(mask_seed as i64),
    );

    let (features, spectral) = super::features::from_config(raw, res, binary)?;

    let mut sys = validate_system(raw, base_dir, enc.max_field())?;
    if let Some(key) = crate::registry::entry(sys.engine).and_then(|e| (e.no_islands)(raw)) {
        return Err(ConfigError::new(
            key,
            "(set)",
            "a reservoir reads islands: describe the magnets with [lattice] and [magnet] instead",
        ));
    }
    // The system sections' resolved values, with the run sections already resolved here.
    let run_sections =
        (res.reservoir.take(), res.input.take(), res.features.take(), res.task.take(), res.readout.take());
    let (raw_energy, raw_spectrum) = (res.energy.take(), res.spectrum.take());
    *res = sys.resolved.clone();
    (res.reservoir, res.input, res.features, res.task, res.readout) = run_sections;
    (res.energy, res.spectrum) = (raw_energy, raw_spectrum);
    sys.output_interval = hold / samples as f64;
    // The islands must build (overlaps are input errors).
    sys.islands()?;
    Ok((ReservoirSpec::Magnets { system: Arc::new(sys), encoder: enc, timing, features }, spectral))
}
