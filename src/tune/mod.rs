//! Honest model selection: `nanomag tune`. A tune file has the form of a sweep file
//! ([`crate::sweep::spec`]): groups, each a base experiment with axes of hyper-parameters
//! (field amplitude, hold, bias, size, sensor window, …). Every candidate runs over the same
//! task and disorder seeds ([`Repeats`]); the candidate of each group with the lowest mean
//! **validation** NRMSE (readout fitted on the training split only) is chosen, and only then is
//! its test NRMSE reported — the test split never takes part in a choice, and the test scores
//! of the candidates not chosen are neither written nor returned.

use crate::error::Error;
use crate::reservoir::config::{self as rc, ExperimentConfig};
use crate::reservoir::experiment;
use crate::reservoir::metrics::mean_std;
use crate::reservoir::repeats::Repeats;
use crate::reservoir::tasks::TaskData;
use crate::sweep::spec::{point_raw, SweepSpec};
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
}

/// The configs of every run of point `i`.
pub fn point_configs(spec: &SweepSpec, i: usize, repeats: Repeats) -> Result<Vec<ExperimentConfig>, Error> {
    let p = &spec.points[i];
    let group = &spec.groups[p.group];
    let raw = point_raw(group, &p.params)?;
    let base_dir = group.base.parent().unwrap_or(std::path::Path::new("."));
    Ok(repeats.configs(&raw).iter().map(|r| rc::validate(r, base_dir)).collect::<Result<_, _>>()?)
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
    // Per group: the best candidate so far, its test scores and seeds.
    type Held = (Scored, Vec<f64>, Vec<u64>, Vec<Option<u64>>);
    let mut best: Vec<Option<Held>> = vec![None; spec.groups.len()];
    let mut counts = vec![0usize; spec.groups.len()];
    for (i, p) in spec.points.iter().enumerate() {
        let cfgs = point_configs(spec, i, repeats)?;
        let outcomes: Vec<experiment::Outcome> = cfgs
            .par_iter()
            .map(|c| experiment::run_data(c, &data(c), false, &mut |k| progress(k)))
            .collect::<Result<_, _>>()?;
        let validation: Vec<f64> = outcomes.iter().map(|o| o.outputs[0].nrmse_validation).collect();
        let (vm, vs) = mean_std(&validation);
        let energy: Vec<f64> = outcomes.iter().map(|o| o.energy.per_step.total).collect();
        let scored = Scored {
            group: spec.groups[p.group].label.clone(),
            point: p.index,
            params: p.params.iter().map(|(k, v)| (k.clone(), serde_json::to_string(v).unwrap_or_default())).collect(),
            validation_mean: vm,
            validation_std: vs,
            validation,
            energy_per_step_j: mean_std(&energy).0,
        };
        done(&scored);
        counts[p.group] += 1;
        let better = best[p.group].as_ref().is_none_or(|b| vm.is_finite() && vm < b.0.validation_mean);
        if better {
            // Held back until the choice is final; never written for a candidate not chosen.
            let test = outcomes.iter().map(|o| o.outputs[0].nrmse_test).collect();
            let task_seeds = cfgs.iter().map(|c| c.task_seed).collect();
            let disorder = cfgs.iter().map(disorder_seed).collect();
            best[p.group] = Some((scored, test, task_seeds, disorder));
        }
    }
    Ok(best
        .into_iter()
        .zip(counts)
        .filter_map(|(b, n)| b.map(|b| (b, n)))
        .map(|((chosen, test, task_seeds, disorder_seeds), candidates)| {
            let (test_mean, test_std) = mean_std(&test);
            Choice { chosen, candidates, test_mean, test_std, test, task_seeds, disorder_seeds }
        })
        .collect())
}

fn disorder_seed(cfg: &ExperimentConfig) -> Option<u64> {
    match &cfg.reservoir {
        rc::ReservoirSpec::Magnets { system, .. } => Some(system.disorder.seed),
        rc::ReservoirSpec::Esn(e) => Some(e.seed),
        rc::ReservoirSpec::DelayLine { .. } => None,
    }
}
