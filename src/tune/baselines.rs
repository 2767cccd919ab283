//! `nanomag baselines`: the software baselines of an experiment at equal feature count, tuned
//! on the validation split as hard as the magnets. For each feature count N and each family —
//! an echo state network of N − 1 nodes (+ the input), a delay line of at most N − 1 taps
//! ("delay ≤ N") and NG-RC with at most N polynomial features — `budget` candidates are drawn
//! from a documented space (random search, seeded), each run over the experiment's task and
//! disorder seeds (`--repeats TxD`) with its task, split and readout; the candidate with the
//! lowest mean validation NRMSE is chosen, and only then is it run again and scored on the test
//! split. The ESN at its defaults is scored beside the tuned one.
//!
//! The spaces (docs/config.md#nanomag-baselines):
//! - `esn`: ρ log-uniform on [0.05, 2], input scaling log-uniform on [0.01, 10], leak
//!   log-uniform on [0.05, 1], bias scaling uniform on [0, 2]; the defaults are candidate 0;
//! - `delay_line`: taps 1 … N − 1 (all of them within the budget, else a log-spaced subset);
//! - `ngrc`: taps k, stride s (1 … 20) and order p ∈ {2, 3} with C(k + p, p) − 1 ≤ N and
//!   (k − 1)·s ≤ the washout (all within the budget, else a seeded subset that keeps the
//!   plain quadratic form at stride 1).

use super::{evaluate, scored, Scored};
use crate::config::raw::RawConfig;
use crate::error::{ConfigError, Error};
use crate::reservoir::baselines::ngrc;
use crate::reservoir::config::{self as rc, ExperimentConfig};
use crate::reservoir::experiment::{self, Outcome};
use crate::reservoir::metrics::mean_std;
use crate::reservoir::repeats::Repeats;
use crate::search::space::{Dim, Param, Space};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::path::Path;

/// The baseline families `baselines` tunes, in the order they run.
pub const FAMILIES: &[&str] = &["esn", "delay_line", "ngrc"];

/// Most candidates per family and feature count.
pub const MAX_BUDGET: usize = 10_000;

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Feature counts N (the readout's inputs besides the intercept, as `n_features`).
    pub features: Vec<usize>,
    pub repeats: Repeats,
    /// Candidates per family and feature count.
    pub budget: usize,
    /// Seed of the candidate draws.
    pub search_seed: u64,
    /// Families to tune (names of [`FAMILIES`]).
    pub families: Vec<String>,
}

/// The candidates of one family at one feature count: fixed keys, the varied values of each
/// candidate, and the searched parameters whose edges are search limits (key, low, high).
#[derive(Debug, Clone)]
pub struct Candidates {
    pub family: String,
    pub features: usize,
    pub fixed: Vec<(String, toml::Value)>,
    pub list: Vec<Vec<(String, toml::Value)>>,
    pub space: Space,
    pub open_edges: Vec<(&'static str, bool, bool)>,
}

fn int(v: usize) -> toml::Value {
    toml::Value::Integer(v as i64)
}

fn kv(k: &str, v: toml::Value) -> (String, toml::Value) {
    (k.to_string(), v)
}

/// The ESN's space: N − 1 nodes, the defaults first, then `budget − 1` random draws.
fn esn(n: usize, budget: usize, rng: &mut ChaCha8Rng) -> Option<Candidates> {
    let real = |key: &str, lo: f64, hi: f64, log: bool| Param::new(key, Dim::Real { lo, hi, log });
    let space = Space {
        params: vec![
            real("reservoir.spectral_radius", 0.05, 2.0, true),
            real("reservoir.input_scaling", 0.01, 10.0, true),
            real("reservoir.leak", 0.05, 1.0, true),
            real("reservoir.bias_scaling", 0.0, 2.0, false),
        ],
    };
    let mut list = vec![Vec::new()];
    list.extend((1..budget).map(|_| space.sample(rng)));
    (n >= 2).then(|| Candidates {
        family: "esn".into(),
        features: n,
        fixed: vec![kv("reservoir.kind", "esn".into()), kv("reservoir.n", int(n - 1))],
        list,
        space,
        open_edges: vec![
            ("reservoir.spectral_radius", true, true),
            ("reservoir.input_scaling", true, true),
            ("reservoir.leak", true, false),
            ("reservoir.bias_scaling", false, true),
        ],
    })
}

/// Delay ≤ N: taps 1 … N − 1, all or a log-spaced subset of `budget` values.
fn delay_line(n: usize, budget: usize) -> Option<Candidates> {
    let top = n.checked_sub(1).filter(|t| *t >= 1)?;
    let taps: Vec<usize> = if top <= budget {
        (1..=top).collect()
    } else {
        let mut t: Vec<usize> =
            (0..budget).map(|i| (top as f64).powf(i as f64 / (budget - 1).max(1) as f64).round() as usize).collect();
        t.dedup();
        t
    };
    Some(Candidates {
        family: "delay_line".into(),
        features: n,
        fixed: vec![kv("reservoir.kind", "delay_line".into())],
        list: taps.into_iter().map(|k| vec![kv("reservoir.taps", int(k))]).collect(),
        space: Space { params: vec![Param::new("reservoir.taps", Dim::Int { lo: 1, hi: top as i64, log: true })] },
        open_edges: Vec::new(),
    })
}

/// Largest NG-RC stride searched.
pub const NGRC_MAX_STRIDE: usize = 20;

/// NG-RC with at most N features: every (k, s, p) that fits, or a seeded subset.
fn ngrc(n: usize, washout: usize, budget: usize, rng: &mut ChaCha8Rng) -> Option<Candidates> {
    let mut all = Vec::new();
    for p in [2usize, 3] {
        for k in (1..).take_while(|k| ngrc::width(*k, p) <= n) {
            for s in 1..=if k == 1 { 1 } else { NGRC_MAX_STRIDE } {
                if (k - 1) * s <= washout {
                    all.push((k, s, p));
                }
            }
        }
    }
    if all.is_empty() {
        return None;
    }
    let plain = all.iter().copied().filter(|c| c.1 == 1 && c.2 == 2).max();
    if all.len() > budget {
        all.shuffle(rng);
        all.truncate(budget);
        if let Some(p) = plain.filter(|p| !all.contains(p)) {
            all[0] = p;
        }
    }
    let list = all
        .into_iter()
        .map(|(k, s, p)| {
            vec![kv("reservoir.taps", int(k)), kv("reservoir.stride", int(s)), kv("reservoir.order", int(p))]
        })
        .collect();
    let stride = Param::new("reservoir.stride", Dim::Int { lo: 1, hi: NGRC_MAX_STRIDE as i64, log: false });
    Some(Candidates {
        family: "ngrc".into(),
        features: n,
        fixed: vec![kv("reservoir.kind", "ngrc".into())],
        list,
        space: Space { params: vec![stride] },
        open_edges: vec![("reservoir.stride", false, true)],
    })
}

/// The candidates of `family` at `n` features (None where the family cannot have n).
pub fn candidates(family: &str, n: usize, washout: usize, budget: usize, seed: u64) -> Option<Candidates> {
    // One stream per family and feature count, so adding a family leaves the others' draws.
    let tag = FAMILIES.iter().position(|f| *f == family).unwrap_or(0) as u64;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (tag << 32) ^ (n as u64) << 40);
    match family {
        "esn" => esn(n, budget, &mut rng),
        "delay_line" => delay_line(n, budget),
        "ngrc" => ngrc(n, washout, budget, &mut rng),
        _ => None,
    }
}

impl Candidates {
    /// The figure and table label of the family.
    pub fn label(&self) -> String {
        match self.family.as_str() {
            "esn" => "ESN (tuned)".into(),
            "delay_line" => "delay ≤ N (tuned)".into(),
            _ => "NG-RC (tuned)".into(),
        }
    }

    /// Chosen values at an edge of the searched range that is a search limit.
    pub fn edges(&self, chosen: &[(String, toml::Value)]) -> Vec<String> {
        chosen
            .iter()
            .filter(|(k, v)| {
                let p = self.space.params.iter().find(|p| &p.key == k);
                let side = p.and_then(|p| p.dim.edge(v));
                self.open_edges
                    .iter()
                    .any(|(key, lo, hi)| key == k && ((side == Some("low") && *lo) || (side == Some("high") && *hi)))
            })
            .flat_map(|(k, v)| self.space.edges(&[(k.clone(), v.clone())]))
            .collect()
    }
}

/// The experiment's task, split, readout, digital energy costs and seeds, as the base of
/// every baseline run.
pub fn base_raw(experiment: &RawConfig) -> RawConfig {
    // A delay line stands in until a candidate sets the kind (every candidate does).
    let reservoir = crate::config::raw_run::RawReservoir { kind: Some("delay_line".into()), ..Default::default() };
    let mut raw = RawConfig {
        task: experiment.task.clone(),
        readout: experiment.readout.clone(),
        reservoir: Some(reservoir),
        ..Default::default()
    };
    raw.lattice.seed = experiment.lattice.seed;
    if let Some(e) = &experiment.energy {
        let mut e = e.clone();
        (e.field_source, e.stripline, e.read_per_feature) = (None, None, None);
        raw.energy = Some(e);
    }
    raw
}

/// The validated run configs of one candidate.
pub fn configs(
    base: &RawConfig,
    params: &[(String, toml::Value)],
    repeats: Repeats,
    base_dir: &Path,
) -> Result<Vec<ExperimentConfig>, ConfigError> {
    let mut table = toml::Table::try_from(base).map_err(|e| ConfigError::new("baselines", "base", e.to_string()))?;
    crate::config::apply_values(&mut table, params)?;
    let raw: RawConfig = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| ConfigError::new("baselines", "candidate", e.message().to_string()))?;
    repeats.configs(&raw).iter().map(|r| rc::validate(r, base_dir)).collect()
}

/// One family's result at one feature count.
#[derive(Debug, Serialize)]
pub struct Row {
    pub family: String,
    pub label: String,
    pub features: usize,
    /// Chosen values (`key = value`); for the default ESN, none.
    pub chosen: Vec<(String, String)>,
    pub candidates: usize,
    pub validation_mean: f64,
    pub validation_std: f64,
    pub test_mean: f64,
    pub test_std: f64,
    pub test: Vec<f64>,
    pub energy_per_step_j: f64,
    pub n_features: usize,
    pub edges: Vec<String>,
    pub notes: Vec<String>,
    #[serde(skip)]
    pub outcomes: Vec<(ExperimentConfig, Outcome)>,
}

/// A journaled candidate (one line of `candidates.jsonl`).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Journaled {
    pub family: String,
    pub features: usize,
    pub candidate: usize,
    pub hash: String,
    pub validation: Vec<f64>,
    pub energy_per_step_j: f64,
}

/// Task data of each run (normally [`experiment::task_data`]; tests poison its test split).
pub type Data<'a> = &'a (dyn Fn(&ExperimentConfig) -> crate::reservoir::tasks::TaskData + Sync);

/// Runs the chosen (or a fixed) candidate once more over every seed and scores it on the test
/// split: the only time a test score is kept.
pub fn final_runs(
    cfgs: Vec<ExperimentConfig>,
    data: Data,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<(ExperimentConfig, Outcome)>, Error> {
    use rayon::prelude::*;
    let outs: Vec<Outcome> = cfgs
        .par_iter()
        .map(|c| experiment::run_data(c, &data(c), false, &mut |k| progress(k)))
        .collect::<Result<_, _>>()?;
    Ok(cfgs.into_iter().zip(outs).collect())
}

/// A table row from the final runs.
pub fn row(
    c: &Candidates,
    label: String,
    chosen: &[(String, toml::Value)],
    candidates: usize,
    runs: Vec<(ExperimentConfig, Outcome)>,
) -> Row {
    let pick = |f: &dyn Fn(&Outcome) -> f64| runs.iter().map(|(_, o)| f(o)).collect::<Vec<f64>>();
    let (vm, vs) = mean_std(&pick(&|o| o.outputs[0].nrmse_validation));
    let test = pick(&|o| o.outputs[0].nrmse_test);
    let (tm, ts) = mean_std(&test);
    let mut notes: Vec<String> = runs.iter().flat_map(|(_, o)| o.notes.clone()).collect();
    notes.sort();
    notes.dedup();
    Row {
        family: c.family.clone(),
        label,
        features: c.features,
        chosen: chosen.iter().map(|(k, v)| (k.clone(), v.to_string())).collect(),
        candidates,
        validation_mean: vm,
        validation_std: vs,
        test_mean: tm,
        test_std: ts,
        test,
        energy_per_step_j: mean_std(&pick(&|o| o.energy.per_step.total)).0,
        n_features: runs.first().map_or(0, |(_, o)| o.n_features),
        edges: c.edges(chosen),
        notes,
        outcomes: runs,
    }
}

/// What every candidate of a search shares: the base experiment, its runs and data, and the
/// candidates journaled by an earlier call.
pub struct Context<'a> {
    pub base: &'a RawConfig,
    pub repeats: Repeats,
    pub base_dir: &'a Path,
    pub known: &'a [Journaled],
    pub data: Data<'a>,
}

/// Searches one family at one feature count on validation: every candidate not already in
/// `ctx.known` is run (and `done` told), and the index of the best is returned with its scores.
pub fn search(
    c: &Candidates,
    ctx: &Context,
    done: &mut dyn FnMut(&Journaled, &Scored) -> Result<(), Error>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(usize, Scored), Error> {
    let mut best: Option<(usize, Scored)> = None;
    for (i, varied) in c.list.iter().enumerate() {
        let params: Vec<(String, toml::Value)> = c.fixed.iter().chain(varied).cloned().collect();
        let cfgs = configs(ctx.base, &params, ctx.repeats, ctx.base_dir)?;
        let hash = crate::sweep::spec::config_hash(&cfgs[0]);
        let s = match ctx
            .known
            .iter()
            .find(|j| j.family == c.family && j.features == c.features && j.candidate == i && j.hash == hash)
        {
            Some(j) => {
                let runs = super::Runs {
                    validation: j.validation.clone(),
                    test: Vec::new(),
                    energy: vec![j.energy_per_step_j],
                    task_seeds: Vec::new(),
                    disorder_seeds: Vec::new(),
                    notes: Vec::new(),
                };
                scored(&c.label(), i, varied, &runs)
            }
            None => {
                let runs = evaluate(&cfgs, ctx.data, progress)?;
                let s = scored(&c.label(), i, varied, &runs);
                let j = Journaled {
                    family: c.family.clone(),
                    features: c.features,
                    candidate: i,
                    hash,
                    validation: runs.validation,
                    energy_per_step_j: s.energy_per_step_j,
                };
                done(&j, &s)?;
                s
            }
        };
        if best.as_ref().is_none_or(|b| s.validation_mean.is_finite() && s.validation_mean < b.1.validation_mean) {
            best = Some((i, s));
        }
    }
    best.ok_or_else(|| ConfigError::new("--budget", c.list.len(), "no candidate to run").into())
}

/// Tunes every family of `opts` at every feature count for the experiment `experiment`
/// (relative paths against `base_dir`): the search ([`search`], validation only), then the
/// chosen candidate's final runs scored on test, and the ESN at its defaults beside the tuned
/// one. `known` holds candidates journaled by an earlier, interrupted call (skipped);
/// `data` gives each run its task data (normally [`experiment::task_data`]); `done` is told of
/// every candidate as it finishes.
pub fn baselines(
    experiment: &RawConfig,
    base_dir: &Path,
    opts: &Options,
    known: &[Journaled],
    data: Data,
    done: &mut dyn FnMut(&Journaled, &Scored) -> Result<(), Error>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Row>, Error> {
    let base = base_raw(experiment);
    let washout = rc::validate(&base, base_dir)?.split.washout;
    let ctx = Context { base: &base, repeats: opts.repeats, base_dir, known, data };
    let mut rows = Vec::new();
    for &n in &opts.features {
        for family in &opts.families {
            let Some(c) = candidates(family, n, washout, opts.budget, opts.search_seed) else { continue };
            let (i, _) = search(&c, &ctx, done, progress)?;
            let params: Vec<(String, toml::Value)> = c.fixed.iter().chain(&c.list[i]).cloned().collect();
            let runs = final_runs(configs(&base, &params, opts.repeats, base_dir)?, data, progress)?;
            rows.push(row(&c, c.label(), &c.list[i], c.list.len(), runs));
            if family == "esn" {
                let runs = final_runs(configs(&base, &c.fixed, opts.repeats, base_dir)?, data, progress)?;
                rows.push(row(&c, "ESN (defaults)".into(), &[], 1, runs));
            }
        }
    }
    Ok(rows)
}

/// Candidate runs a call of [`baselines`] makes (for the progress bar and the cost estimate):
/// (runs, steps).
pub fn planned(experiment: &RawConfig, base_dir: &Path, opts: &Options) -> Result<(usize, u64), Error> {
    let base = base_raw(experiment);
    let cfg = rc::validate(&base, base_dir)?;
    let mut candidates_total = 0;
    for &n in &opts.features {
        for family in &opts.families {
            if let Some(c) = candidates(family, n, cfg.split.washout, opts.budget, opts.search_seed) {
                candidates_total += c.list.len() + 1 + usize::from(family == "esn");
            }
        }
    }
    let runs = candidates_total * opts.repeats.runs();
    Ok((runs, runs as u64 * cfg.split.steps() as u64))
}
