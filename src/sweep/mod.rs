//! Parameter sweeps: `nanomag sweep`. A sweep file ([`spec`]) lists base experiments and axes;
//! its points run in parallel (rayon), each finished point is appended to `results.jsonl` at
//! once ([`results`]), `--resume` skips points whose config hash is already there, and
//! `--shard K/N` runs only the points with index ≡ K (mod N) so N machines can split a sweep
//! (`nanomag merge` unions their outputs).

pub mod figures;
pub mod results;
pub mod spec;

use crate::error::{ConfigError, Error};
use crate::reservoir::config::ReservoirSpec;
use crate::reservoir::experiment::{self, Outcome};
use rayon::prelude::*;
use results::{Appender, PointEnergy, Record};
use serde_json::{json, Value};
use spec::SweepSpec;
use std::collections::BTreeSet;
use std::path::Path;

/// Part of a sweep run by one machine: points with index ≡ k (mod n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    pub const ALL: Shard = Shard { k: 0, n: 1 };

    /// Parses `K/N` with 0 ≤ K < N.
    pub fn parse(s: &str) -> Result<Shard, ConfigError> {
        let bad = || ConfigError::new("--shard", s, "must be K/N with integers 0 ≤ K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (usize, usize) = (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if n == 0 || k >= n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    pub fn owns(&self, index: usize) -> bool {
        index % self.n == self.k
    }
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    pub ran: usize,
    pub skipped: usize,
    pub failed: usize,
}

fn toml_to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// The record of a finished point.
pub fn record(spec: &SweepSpec, i: usize, result: Result<Outcome, Error>, wall: f64) -> Record {
    let (p, cfg) = (&spec.points[i], &spec.configs[i]);
    let group = &spec.groups[p.group];
    let params = p.params.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect();
    let at = Where {
        hash: spec.hashes[i].clone(),
        index: p.index,
        group: group.label.clone(),
        base: group.base.display().to_string(),
    };
    record_of(cfg, at, params, result, wall)
}

/// Where a record comes from: config hash, index, group label and base file.
#[derive(Debug, Clone)]
pub struct Where {
    pub hash: String,
    pub index: usize,
    pub group: String,
    pub base: String,
}

/// The record of one finished run of `cfg` (a sweep point, or a run of a tuned baseline).
pub fn record_of(
    cfg: &crate::reservoir::config::ExperimentConfig,
    at: Where,
    params: std::collections::BTreeMap<String, Value>,
    result: Result<Outcome, Error>,
    wall: f64,
) -> Record {
    let (seeds, n_magnets) = seeds_and_magnets(cfg);
    let engine = match &cfg.reservoir {
        ReservoirSpec::Magnets { system, .. } => Some(system.engine.to_string()),
        _ => None,
    };
    let mut r = Record {
        hash: at.hash,
        index: at.index,
        group: at.group,
        base: at.base,
        params,
        task: cfg.task.name().into(),
        reservoir: String::new(),
        reservoir_kind: cfg.reservoir_kind().into(),
        engine,
        n_magnets,
        n_features: None,
        nrmse_train: None,
        nrmse_validation: None,
        nrmse_test: None,
        memory_capacity: None,
        lambda: None,
        energy: None,
        seeds,
        wall_seconds: wall,
        idealised: matches!(cfg.reservoir_kind(), "magnets" | "hybrid")
            .then(|| crate::reservoir::output::idealised(cfg)),
        selection: None,
        error: None,
        nanomag_version: env!("CARGO_PKG_VERSION").into(),
    };
    match result {
        Ok(o) => fill_outcome(&mut r, &o),
        Err(e) => r.error = Some(e.to_string()),
    }
    r
}

/// The seeds of a run (`task`, and per reservoir kind: `lattice`, `temperature` and
/// `input_mask` of a magnet array, the software reservoir's own, or the network's lattice
/// seed) and its magnet count (None for software, or a network without magnet layers).
fn seeds_and_magnets(cfg: &crate::reservoir::config::ExperimentConfig) -> (Value, Option<usize>) {
    let mut seeds = json!({ "task": cfg.task_seed });
    let n_magnets = match &cfg.reservoir {
        ReservoirSpec::Magnets { system, .. } => {
            seeds["lattice"] = json!(system.disorder.seed);
            seeds["temperature"] = json!(system.temperature.seed);
            seeds["input_mask"] = json!(cfg.resolved.input.as_ref().and_then(|i| i.mask_seed));
            system.islands().ok().map(|i| i.len())
        }
        ReservoirSpec::Software(b) => {
            if let Some(seed) = b.seed() {
                seeds[b.kind()] = json!(seed);
            }
            None
        }
        ReservoirSpec::Network(layers) => {
            seeds["lattice"] = json!(cfg.resolved.lattice.seed.unwrap_or(1));
            let n: usize = layers
                .iter()
                .filter_map(|l| match l.cfg.as_ref().map(|c| &c.reservoir) {
                    Some(ReservoirSpec::Magnets { system, .. }) => system.islands().ok().map(|i| i.len()),
                    _ => None,
                })
                .sum();
            (n > 0).then_some(n)
        }
    };
    (seeds, n_magnets)
}

/// Fills `r` with the scores of a finished run: the first output's NRMSE (train, validation,
/// test; non-finite ones left empty) and ridge λ, the feature count, memory capacity and energy.
fn fill_outcome(r: &mut Record, o: &Outcome) {
    let main = &o.outputs[0];
    r.reservoir = o.reservoir.clone();
    r.n_features = Some(o.n_features);
    r.nrmse_train = finite(main.nrmse_train);
    r.nrmse_validation = finite(main.nrmse_validation);
    r.nrmse_test = finite(main.nrmse_test);
    r.memory_capacity = o.memory_capacity;
    r.lambda = Some(main.model.lambda);
    let e = &o.energy;
    r.energy = Some(PointEnergy {
        per_step: e.per_step,
        per_run: e.per_run,
        macs_per_step: e.macs_per_step,
        bits_per_step: e.bits_per_step,
        features_read_per_step: e.features_read_per_step,
        field_source_model: e.field_source_model.into(),
    });
}

/// Runs the points of `shard` not yet in `out/results.jsonl` (with `resume`), appending each
/// as it finishes. Without `resume`, an existing non-empty results file is an error.
/// `on_start(n)` is told how many points will run, `on_done()` after each.
pub fn run(
    spec: &SweepSpec,
    out: &Path,
    resume: bool,
    shard: Shard,
    on_start: &dyn Fn(usize),
    on_done: &(dyn Fn() + Sync),
) -> Result<Done, Error> {
    crate::io::out_dir(out)?;
    // Locks the results file first: no other process can append to it until this one ends.
    let appender = Appender::open(out)?;
    let existing = results::read(out)?;
    if !existing.is_empty() && !resume {
        return Err(ConfigError::new(
            "--out",
            out.display(),
            format!(
                "already holds {} results: pass --resume to continue that sweep, or choose another --out",
                existing.len()
            ),
        )
        .into());
    }
    let have: BTreeSet<&str> = existing.iter().map(|r| r.hash.as_str()).collect();
    let todo: Vec<usize> = (0..spec.points.len())
        .filter(|&i| shard.owns(spec.points[i].index) && !have.contains(spec.hashes[i].as_str()))
        .collect();
    let mine = (0..spec.points.len()).filter(|&i| shard.owns(spec.points[i].index)).count();
    on_start(todo.len());
    let failed = std::sync::atomic::AtomicUsize::new(0);
    todo.par_iter().try_for_each(|&i| -> Result<(), Error> {
        let start = std::time::Instant::now();
        let result = experiment::run(&spec.configs[i], false, &mut |_| {});
        if let Err(Error::Io(e)) = &result {
            return Err(Error::Io(e.clone()));
        }
        let rec = record(spec, i, result, start.elapsed().as_secs_f64());
        if rec.error.is_some() {
            failed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        appender.append(&rec)?;
        on_done();
        Ok(())
    })?;
    Ok(Done { ran: todo.len(), skipped: mine - todo.len(), failed: failed.into_inner() })
}
