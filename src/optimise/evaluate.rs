//! Evaluating a design: its runs over the search's seeds (validation scores and metrics, for
//! the journal), or — once the search is over — over unseen seeds, scored on test.

use super::file::Problem;
use super::journal::Entry;
use super::metric;
use super::propose::Design;
use crate::error::Error;
use crate::reservoir::config::ExperimentConfig;
use crate::reservoir::experiment::{self, Outcome};
use crate::reservoir::tasks::TaskData;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

/// Task data of each run (normally [`experiment::task_data`]; tests poison its test split).
pub type Data<'a> = &'a (dyn Fn(&ExperimentConfig) -> TaskData + Sync);

/// Progress, told as input steps complete.
pub type Tick<'a> = &'a (dyn Fn(u64) + Sync);

/// The design's values by parameter name, as JSON.
pub fn params(problem: &Problem, d: &Design) -> BTreeMap<String, serde_json::Value> {
    problem
        .optimiser
        .space
        .params
        .iter()
        .zip(&d.values)
        .map(|(p, v)| (p.key.clone(), serde_json::to_value(v).unwrap_or_default()))
        .collect()
}

/// The configs of the search's runs of `d` and the config hash of the first, or why the
/// design is not a valid experiment.
pub fn configs(
    problem: &Problem,
    d: &Design,
    extra: &[(String, toml::Value)],
) -> Result<(Vec<ExperimentConfig>, String), String> {
    match problem.configs(&d.values, extra, false) {
        Ok(c) => {
            let h = crate::sweep::spec::config_hash(&c[0]);
            Ok((c, h))
        }
        Err(e) => Err(format!("not a valid experiment: {e}")),
    }
}

/// Runs every config in parallel on its task data.
pub fn run_all(cfgs: &[ExperimentConfig], data: Data, tick: Tick) -> Result<Vec<Outcome>, Error> {
    cfgs.par_iter().map(|c| experiment::run_data(c, &data(c), false, &mut |k| tick(k))).collect()
}

/// The journal entry of design `d` (with the overrides `extra`; evaluation `index`, batch
/// `batch`, slot `slot`): runs
/// it over the search's seeds — unless it is invalid, or a constraint on a metric known
/// before the run already fails — and keeps validation scores and metrics only. Numerical
/// trouble is a failed evaluation; an I/O error ends the search.
pub fn evaluate(
    problem: &Problem,
    d: &Design,
    extra: &[(String, toml::Value)],
    at: (usize, usize, usize),
    data: Data,
    tick: Tick,
) -> Result<Entry, Error> {
    let start = Instant::now();
    let mut e = Entry {
        index: at.0,
        batch: at.1,
        slot: at.2,
        method: problem.optimiser.method.name().into(),
        params: params(problem, d),
        x: d.x.clone(),
        hash: String::new(),
        validation: Vec::new(),
        metrics: BTreeMap::new(),
        y: Vec::new(),
        feasible: false,
        error: None,
        wall_seconds: 0.0,
        nanomag_version: env!("CARGO_PKG_VERSION").into(),
    };
    match configs(problem, d, extra) {
        Err(why) => e.error = Some(why),
        Ok((cfgs, hash)) => {
            e.hash = hash;
            for (k, v) in metric::before_run(&cfgs[0]) {
                e.metrics.insert(k.into(), v);
            }
            let refused = problem.constraints.iter().find(|c| e.metrics.get(&c.metric).is_some_and(|m| c.g(*m) > 0.0));
            if let Some(c) = refused {
                e.error = Some(format!(
                    "not run: {} = {} breaks the constraint {}",
                    c.metric,
                    e.metric(&c.metric),
                    c.describe()
                ));
            } else {
                match run_all(&cfgs, data, tick) {
                    Ok(outs) => measure(&mut e, &outs),
                    Err(Error::Io(m)) => return Err(Error::Io(m)),
                    Err(err) => e.error = Some(err.to_string()),
                }
            }
        }
    }
    tell(problem, &mut e);
    e.wall_seconds = start.elapsed().as_secs_f64();
    Ok(e)
}

/// Validation scores and mean metrics of a design's runs.
fn measure(e: &mut Entry, outs: &[Outcome]) {
    e.validation = outs.iter().map(|o| Some(o.outputs[0].nrmse_validation).filter(|v| v.is_finite())).collect();
    let per_run: Vec<Vec<(&str, f64)>> = outs.iter().map(metric::of_run).collect();
    for (j, (name, _)) in per_run[0].iter().enumerate() {
        let mean = per_run.iter().map(|r| r[j].1).sum::<f64>() / per_run.len() as f64;
        if mean.is_finite() {
            e.metrics.insert((*name).into(), mean);
        } else {
            e.metrics.remove(*name);
        }
    }
}

/// What the optimiser is told of `e`: log10 of each objective, then each constraint's g.
pub fn tell(problem: &Problem, e: &mut Entry) {
    let ran = e.error.is_none();
    let obj = problem.objectives.iter().map(|m| Some(metric::surrogate(e.metric(m))).filter(|v| ran && v.is_finite()));
    let cstr = problem.constraints.iter().map(|c| Some(c.g(e.metric(&c.metric))).filter(|v| v.is_finite()));
    e.y = obj.chain(cstr).collect();
    e.feasible = ran
        && e.y.iter().all(|v| v.is_some())
        && e.y[problem.objectives.len()..].iter().all(|g| g.is_some_and(|g| g <= 0.0));
}
