//! Honest model selection: `nanomag tune`. A tune file has the form of a sweep file
//! ([`crate::sweep::spec`]): groups, each a base experiment with axes of hyper-parameters
//! (field amplitude, hold, bias, size, sensor window, …). Every candidate runs over the same
//! task and disorder seeds ([`Repeats`]); the candidate of each group with the lowest mean
//! **validation** NRMSE (readout fitted on the training split only) is chosen, and only then is
//! its test NRMSE reported — the test split never takes part in a choice, and the test scores
//! of the candidates not chosen are neither written nor returned. A choice at the edge of its
//! axis (or a readout λ at the edge of its grid) is reported, since the best value may lie
//! beyond it.
//!
//! [`baselines`] tunes the software baselines the same way, at a given feature count.

pub mod baselines;

use crate::error::Error;
use crate::reservoir::config::{self as rc, ExperimentConfig};
use crate::reservoir::experiment;
use crate::reservoir::metrics::mean_std;
use crate::reservoir::repeats::Repeats;
use crate::reservoir::tasks::TaskData;
use crate::sweep::spec::{point_raw, Axis, SweepSpec};
use rayon::prelude::*;
use serde::Serialize;

/// One candidate's validation scores over its runs.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    pub group: String,
    pub point: usize,
    /// The axis values, `key = value`.
    pub params: Vec<(String, String)>,
    pub validation_mean: f64,
    pub validation_std: f64,
    pub validation: Vec<f64>,
    pub energy_per_step_j: f64,
}

/// The choice of one group and its held-out score.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub chosen: Scored,
    pub candidates: usize,
    pub test_mean: f64,
    pub test_std: f64,
    pub test: Vec<f64>,
    pub task_seeds: Vec<u64>,
    pub disorder_seeds: Vec<Option<u64>>,
    /// Chosen values at an edge of their axis: the best may lie beyond the values tried.
    pub edges: Vec<String>,
    /// Remarks from the chosen candidate's runs (a readout λ at the edge of its grid).
    pub notes: Vec<String>,
}

/// What the runs of one candidate gave: validation scores (seen by the choice) and, held back,
/// its test scores, seeds and remarks.
#[derive(Debug, Clone)]
pub struct Runs {
    pub validation: Vec<f64>,
    pub test: Vec<f64>,
    pub energy: Vec<f64>,
    pub task_seeds: Vec<u64>,
    pub disorder_seeds: Vec<Option<u64>>,
    pub notes: Vec<String>,
}

/// Runs every config of one candidate in parallel on its task data.
pub fn evaluate(
    cfgs: &[ExperimentConfig],
    data: &(dyn Fn(&ExperimentConfig) -> TaskData + Sync),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Runs, Error> {
    let outcomes: Vec<experiment::Outcome> = cfgs
        .par_iter()
        .map(|c| experiment::run_data(c, &data(c), false, &mut |k| progress(k)))
        .collect::<Result<_, _>>()?;
    let mut notes: Vec<String> = outcomes.iter().flat_map(|o| o.notes.iter().cloned()).collect();
    notes.sort();
    notes.dedup();
    Ok(Runs {
        validation: outcomes.iter().map(|o| o.outputs[0].nrmse_validation).collect(),
        test: outcomes.iter().map(|o| o.outputs[0].nrmse_test).collect(),
        energy: outcomes.iter().map(|o| o.energy.per_step.total).collect(),
        task_seeds: cfgs.iter().map(|c| c.task_seed).collect(),
        disorder_seeds: cfgs.iter().map(disorder_seed).collect(),
        notes,
    })
}

/// The best candidate so far of one group, with what is held back until the choice is final.
#[derive(Debug, Clone)]
pub struct Best {
    pub scored: Scored,
    pub runs: Runs,
    pub params: Vec<(String, toml::Value)>,
}

impl Best {
    /// Keeps `scored` if it is the first or has a lower (finite) mean validation NRMSE.
    pub fn offer(best: &mut Option<Best>, scored: Scored, runs: Runs, params: &[(String, toml::Value)]) {
        let better = best
            .as_ref()
            .is_none_or(|b| scored.validation_mean.is_finite() && scored.validation_mean < b.scored.validation_mean);
        if better {
            *best = Some(Best { scored, runs, params: params.to_vec() });
        }
    }

    /// The final choice among `candidates`, with its held-out test scores.
    pub fn choice(self, candidates: usize, edges: Vec<String>) -> Choice {
        let (test_mean, test_std) = mean_std(&self.runs.test);
        Choice {
            chosen: self.scored,
            candidates,
            test_mean,
            test_std,
            test: self.runs.test,
            task_seeds: self.runs.task_seeds,
            disorder_seeds: self.runs.disorder_seeds,
            edges,
            notes: self.runs.notes,
        }
    }
}

/// The validation summary of a candidate's runs.
pub fn scored(group: &str, point: usize, params: &[(String, toml::Value)], runs: &Runs) -> Scored {
    let (vm, vs) = mean_std(&runs.validation);
    Scored {
        group: group.into(),
        point,
        params: params.iter().map(|(k, v)| (k.clone(), serde_json::to_string(v).unwrap_or_default())).collect(),
        validation_mean: vm,
        validation_std: vs,
        validation: runs.validation.clone(),
        energy_per_step_j: mean_std(&runs.energy).0,
    }
}

/// The configs of every run of point `i`.
pub fn point_configs(spec: &SweepSpec, i: usize, repeats: Repeats) -> Result<Vec<ExperimentConfig>, Error> {
    let p = &spec.points[i];
    let group = &spec.groups[p.group];
    let raw = point_raw(group, &p.params)?;
    let base_dir = group.base.parent().unwrap_or(std::path::Path::new("."));
    Ok(repeats.configs(&raw).iter().map(|r| rc::validate(r, base_dir)).collect::<Result<_, _>>()?)
}

/// Chosen values at the lowest or highest value of an axis of ≥ 3 numeric values.
pub fn axis_edges(axes: &[Axis], chosen: &[(String, toml::Value)]) -> Vec<String> {
    let num = |v: &toml::Value| v.as_float().or(v.as_integer().map(|i| i as f64));
    let mut edges = Vec::new();
    for a in axes.iter().filter(|a| a.values.len() >= 3 && a.keys[0] != "seed") {
        let vals: Option<Vec<f64>> = a.values.iter().map(num).collect();
        let Some(vals) = vals else { continue };
        let Some(v) = chosen.iter().find(|(k, _)| *k == a.keys[0]).and_then(|(_, v)| num(v)) else { continue };
        let (lo, hi) = vals.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| (l.min(*x), h.max(*x)));
        let side = if v <= lo {
            "lowest"
        } else if v >= hi {
            "highest"
        } else {
            continue;
        };
        edges.push(format!(
            "{} = {} (the {side} of the values tried, {lo} … {hi})",
            a.keys.join(", "),
            crate::config::checks::show(v)
        ));
    }
    edges
}

/// Runs every candidate (`done(scored)` is told as each finishes), chooses per group on the
/// validation split, then reports the chosen candidates' test scores. `data` gives each run
/// its task data (normally [`experiment::task_data`]).
pub fn tune(
    spec: &SweepSpec,
    repeats: Repeats,
    data: &(dyn Fn(&ExperimentConfig) -> TaskData + Sync),
    done: &mut dyn FnMut(&Scored),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Choice>, Error> {
    let mut best: Vec<Option<Best>> = vec![None; spec.groups.len()];
    let mut counts = vec![0usize; spec.groups.len()];
    for (i, p) in spec.points.iter().enumerate() {
        let runs = evaluate(&point_configs(spec, i, repeats)?, data, progress)?;
        let s = scored(&spec.groups[p.group].label, p.index, &p.params, &runs);
        done(&s);
        counts[p.group] += 1;
        // Held back until the choice is final; never written for a candidate not chosen.
        Best::offer(&mut best[p.group], s, runs, &p.params);
    }
    Ok(best
        .into_iter()
        .zip(counts)
        .enumerate()
        .filter_map(|(g, (b, n))| b.map(|b| (g, b, n)))
        .map(|(g, b, n)| {
            let edges = axis_edges(&spec.groups[g].axes, &b.params);
            b.choice(n, edges)
        })
        .collect())
}

/// The disorder seed of a run: the lattice's for magnets, the weights' for a software reservoir.
pub fn disorder_seed(cfg: &ExperimentConfig) -> Option<u64> {
    match &cfg.reservoir {
        rc::ReservoirSpec::Magnets { system, .. } => Some(system.disorder.seed),
        rc::ReservoirSpec::Software(b) => b.seed(),
        rc::ReservoirSpec::Network(_) => cfg.resolved.lattice.seed.map(|s| s as u64),
    }
}
