//! The end of a search: the choice — the feasible design of lowest mean objective, or with
//! two objectives the Pareto designs (none of the other feasible designs is at least as good
//! in both and better in one) — made on the journal alone, then the only test scores: each
//! chosen design (and each reference) re-run on task and disorder seeds the search never used
//! (every seed shifted by `final.seed_offset`), test NRMSE mean ± std over those runs. The
//! final runs are sweep records (`results.jsonl`, `selection` says how the design was chosen),
//! appended as they finish and skipped when already there, so a killed finish resumes too.

use super::evaluate::{Data, Tick};
use super::file::Problem;
use super::journal::Entry;
use crate::error::Error;
use crate::reservoir::metrics::mean_std;
use crate::sweep::results::{Appender, Record};
use crate::sweep::Where;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A design re-run on unseen seeds, scored on test.
#[derive(Debug, Clone, Serialize)]
pub struct Final {
    /// "chosen", "Pareto k of n", or a reference's label.
    pub label: String,
    /// The search's evaluation of the design (None for a reference).
    pub index: Option<usize>,
    pub params: BTreeMap<String, serde_json::Value>,
    /// Mean objectives in the search (validation).
    pub search: BTreeMap<String, f64>,
    pub runs: usize,
    pub test_mean: f64,
    pub test_std: f64,
    pub test: Vec<f64>,
    /// Validation NRMSE on the unseen seeds.
    pub validation_mean: f64,
    pub validation_std: f64,
    pub energy_per_input_j: f64,
    pub n_features: Option<usize>,
    pub task_seeds: Vec<u64>,
    pub disorder_seeds: Vec<serde_json::Value>,
    pub failed: usize,
}

/// The chosen evaluations: the best feasible one, or the Pareto designs (at most
/// `final.points`, spread evenly along the front from least to most of the second objective).
pub fn choose<'a>(problem: &Problem, entries: &'a [Entry]) -> Vec<&'a Entry> {
    let ok: Vec<&Entry> = entries.iter().filter(|e| e.feasible).collect();
    let obj = |e: &Entry, i: usize| e.y[i].unwrap_or(f64::INFINITY);
    if problem.objectives.len() == 1 {
        let best = ok.iter().copied().min_by(|a, b| obj(a, 0).total_cmp(&obj(b, 0)).then(a.index.cmp(&b.index)));
        return best.into_iter().collect();
    }
    let mut front = pareto(&ok, &|e: &Entry| (obj(e, 0), obj(e, 1)));
    front.sort_by(|a, b| obj(a, 1).total_cmp(&obj(b, 1)).then(a.index.cmp(&b.index)));
    let (n, k) = (front.len(), problem.final_points);
    if n <= k {
        return front;
    }
    let picks: BTreeSet<usize> =
        (0..k).map(|i| ((i * (n - 1)) as f64 / (k - 1).max(1) as f64).round() as usize).collect();
    picks.into_iter().map(|i| front[i]).collect()
}

/// The items not dominated (≤ in both values and < in one) by any other.
pub fn pareto<'a, T>(items: &[&'a T], f: &dyn Fn(&T) -> (f64, f64)) -> Vec<&'a T> {
    items
        .iter()
        .copied()
        .filter(|a| {
            let (a0, a1) = f(a);
            !items.iter().any(|b| {
                let (b0, b1) = f(b);
                b0 <= a0 && b1 <= a1 && (b0 < a0 || b1 < a1)
            })
        })
        .collect()
}

/// One design to re-run: its label, search entry, values and overrides.
pub struct Job<'a> {
    pub label: String,
    pub entry: Option<&'a Entry>,
    pub values: Vec<toml::Value>,
    pub extra: Vec<(String, toml::Value)>,
}

/// How the final runs were chosen, in words (the records' `selection`).
pub fn selection(problem: &Problem, n: usize) -> String {
    format!(
        "optimised on the validation split: {} over {} evaluations of {} runs each (search seed {}); re-run on unseen seeds (shifted by {})",
        problem.optimiser.method.name(),
        n,
        problem.repeats.runs(),
        problem.optimiser.seed,
        problem.seed_offset
    )
}

/// Runs every job's final runs not yet in `out/results.jsonl` (appending each record) and
/// returns each job's scores from the records.
pub fn finals(
    problem: &Problem,
    jobs: &[Job],
    out: &Path,
    n_evals: usize,
    data: Data,
    tick: Tick,
) -> Result<Vec<Final>, Error> {
    let appender = Appender::open(out)?;
    let have: BTreeMap<String, Record> =
        crate::sweep::results::read(out)?.into_iter().map(|r| (r.hash.clone(), r)).collect();
    let mut work = Vec::new();
    let mut hashes: Vec<Vec<String>> = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        let cfgs = problem.configs(&job.values, &job.extra, true)?;
        let hs: Vec<String> = cfgs.iter().map(crate::sweep::spec::config_hash).collect();
        for (r, (c, h)) in cfgs.into_iter().zip(&hs).enumerate() {
            if !have.contains_key(h) {
                work.push((j, r, c, h.clone()));
            }
        }
        hashes.push(hs);
    }
    let sel = selection(problem, n_evals);
    let runs = problem.final_repeats.runs();
    let new: Vec<Record> = work
        .par_iter()
        .map(|(j, r, cfg, h)| {
            let job = &jobs[*j];
            let t = std::time::Instant::now();
            let res = crate::reservoir::experiment::run_data(cfg, &data(cfg), false, &mut |k| tick(k));
            if let Err(Error::Io(e)) = &res {
                return Err(Error::Io(e.clone()));
            }
            let at = Where {
                hash: h.clone(),
                index: j * runs + r,
                group: job.label.clone(),
                base: problem.base_path.display().to_string(),
            };
            let params = job.entry.map(|e| e.params.clone()).unwrap_or_default();
            let mut rec = crate::sweep::record_of(cfg, at, params, res, t.elapsed().as_secs_f64());
            rec.selection = job.entry.map(|_| sel.clone());
            appender.append(&rec)?;
            Ok(rec)
        })
        .collect::<Result<_, Error>>()?;
    let mut all = have;
    all.extend(new.into_iter().map(|r| (r.hash.clone(), r)));
    Ok(jobs
        .iter()
        .zip(&hashes)
        .map(|(job, hs)| score(problem, job, hs.iter().filter_map(|h| all.get(h)).collect()))
        .collect())
}

/// The scores of one job from its records.
fn score(problem: &Problem, job: &Job, recs: Vec<&Record>) -> Final {
    let ok: Vec<&&Record> = recs.iter().filter(|r| r.error.is_none()).collect();
    let pick = |f: &dyn Fn(&Record) -> Option<f64>| ok.iter().filter_map(|r| f(r)).collect::<Vec<f64>>();
    let test = pick(&|r| r.nrmse_test);
    let (tm, ts) = mean_std(&test);
    let (vm, vs) = mean_std(&pick(&|r| r.nrmse_validation));
    let search =
        job.entry.map(|e| problem.objectives.iter().map(|m| (m.clone(), e.metric(m))).collect()).unwrap_or_default();
    Final {
        label: job.label.clone(),
        index: job.entry.map(|e| e.index),
        params: job.entry.map(|e| e.params.clone()).unwrap_or_default(),
        search,
        runs: recs.len(),
        test_mean: tm,
        test_std: ts,
        test,
        validation_mean: vm,
        validation_std: vs,
        energy_per_input_j: mean_std(&pick(&|r| r.energy.as_ref().map(|e| e.per_step.total))).0,
        n_features: ok.first().and_then(|r| r.n_features),
        task_seeds: recs.iter().filter_map(|r| r.seeds["task"].as_u64()).collect(),
        disorder_seeds: recs
            .iter()
            .map(|r| r.seeds.get("lattice").cloned().unwrap_or(serde_json::Value::Null))
            .collect(),
        failed: recs.len() - ok.len(),
    }
}

/// The jobs of the final runs: the chosen designs, then the references.
pub fn jobs<'a>(problem: &Problem, chosen: &[&'a Entry]) -> Vec<Job<'a>> {
    let n = chosen.len();
    let mut jobs: Vec<Job> = chosen
        .iter()
        .enumerate()
        .map(|(k, e)| Job {
            label: if problem.objectives.len() == 1 { "chosen".into() } else { format!("Pareto {} of {n}", k + 1) },
            entry: Some(*e),
            values: values_of(problem, e),
            extra: Vec::new(),
        })
        .collect();
    jobs.extend(problem.references.iter().map(|r| Job {
        label: r.label.clone(),
        entry: None,
        values: Vec::new(),
        extra: r.set.clone(),
    }));
    jobs
}

/// The values of a journaled design, in parameter order.
pub fn values_of(problem: &Problem, e: &Entry) -> Vec<toml::Value> {
    problem
        .optimiser
        .space
        .params
        .iter()
        .map(|p| {
            e.params.get(&p.key).and_then(|v| toml::Value::try_from(v).ok()).unwrap_or(toml::Value::Boolean(false))
        })
        .collect()
}
