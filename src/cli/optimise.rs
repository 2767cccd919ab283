//! `nanomag optimise OPT.toml --out DIR [--repeats TxD] [--resume] [--shard K/N]`: design search
//! ([`crate::optimise`]). Writes DIR/journal.jsonl (every evaluation as it finishes: the design,
//! its validation scores and metrics), DIR/references.jsonl, then — once the budget is spent —
//! DIR/results.jsonl (the final runs of the chosen designs on unseen seeds, as sweep records),
//! DIR/summary.json, DIR/evaluations.csv and the figures (convergence, pareto).

use crate::error::Error;
use crate::optimise::propose::Method;
use crate::optimise::search::Stop;
use crate::optimise::{self, Problem};
use crate::progress::Progress;
use crate::reservoir::repeats::Repeats;
use crate::sweep::Shard;
use std::path::{Path, PathBuf};

/// Options of `nanomag optimise`.
pub struct Args<'a> {
    pub file: &'a Path,
    pub out: &'a Path,
    pub repeats: Option<&'a str>,
    pub resume: bool,
    pub shard: Option<&'a str>,
    pub evaluations: Option<i64>,
    pub method: Option<&'a str>,
    pub seed: Option<i64>,
    pub compare: &'a [PathBuf],
    pub baselines: &'a [PathBuf],
    pub threads: Option<usize>,
    pub budget: super::Budget,
    pub quiet: bool,
}

/// Runs `nanomag optimise` from its parsed command line (`cmd` is [`super::Command::Optimise`]).
pub fn command(cmd: &super::Command, cli: &super::Cli) -> Result<(), Error> {
    let super::Command::Optimise {
        config,
        out,
        repeats,
        resume,
        shard,
        evaluations,
        method,
        seed,
        compare,
        baselines,
        threads,
    } = cmd
    else {
        unreachable!("called for the optimise command only")
    };
    let default_out = PathBuf::from("out").join(config.file_stem().unwrap_or_default());
    run(&Args {
        file: config,
        out: out.as_deref().unwrap_or(&default_out),
        repeats: repeats.as_deref(),
        resume: *resume,
        shard: shard.as_deref(),
        evaluations: *evaluations,
        method: method.as_deref(),
        seed: *seed,
        compare,
        baselines,
        threads: *threads,
        budget: cli.budget(),
        quiet: cli.quiet,
    })
    .map(|_| ())
}

/// The problem with the command line's overrides.
pub fn problem(a: &Args) -> Result<Problem, Error> {
    let repeats = a.repeats.map(Repeats::parse).transpose()?;
    let mut p = Problem::load(a.file, repeats)?;
    if let Some(m) = a.method {
        p.optimiser.method = Method::parse("--method", m)?;
    }
    if let Some(s) = a.seed {
        p.optimiser.seed = crate::config::checks::seed("--seed", s)?;
    }
    if let Some(n) = a.evaluations {
        p.evaluations = crate::config::checks::count("--evaluations", n, 1, optimise::file::MAX_EVALUATIONS as i64)?;
    }
    Ok(p)
}

/// The cost of the search: the dearest of the space's centre, its low and high corners and
/// each choice at the centre, times every run of the budget (the search's, the final runs and
/// the references'). A budget of wall time only is counted as its first two batches.
pub fn estimate(p: &Problem) -> Result<crate::cost::Estimate, Error> {
    let space = &p.optimiser.space;
    let at = |u: f64| space.params.iter().map(|q| q.dim.from_unit(u)).collect::<Vec<_>>();
    let mut designs = vec![at(0.5), at(0.0), at(1.0)];
    for (i, q) in space.params.iter().enumerate() {
        if let crate::search::space::Dim::Choice(c) = &q.dim {
            designs.extend(c.iter().map(|v| {
                let mut d = at(0.5);
                d[i] = v.clone();
                d
            }));
        }
    }
    let mut one = crate::cost::Estimate::default();
    for d in &designs {
        let Ok(cfgs) = p.configs(d, &[], false) else { continue };
        let e = cfgs[0].estimate()?;
        one.memory_bytes = one.memory_bytes.max(e.memory_bytes);
        one.disk_bytes = one.disk_bytes.max(e.disk_bytes);
        one.steps = one.steps.max(e.steps);
        one.work = one.work.max(e.work);
    }
    let evals = if p.evaluations == optimise::file::MAX_EVALUATIONS {
        p.optimiser.initial + p.optimiser.batch
    } else {
        p.evaluations
    };
    let finals = if p.objectives.len() == 1 { 1 } else { p.final_points };
    let runs = (evals * p.repeats.runs() + (finals + p.references.len()) * p.final_repeats.runs()) as f64;
    let at_once =
        (p.optimiser.batch.max(p.optimiser.initial) * p.repeats.runs()).min(rayon::current_num_threads()).max(1) as f64;
    Ok(crate::cost::Estimate {
        memory_bytes: one.memory_bytes * at_once,
        disk_bytes: one.disk_bytes,
        steps: one.steps * runs,
        work: one.work * runs,
    })
}

pub fn run(a: &Args) -> Result<serde_json::Value, Error> {
    let shard = a.shard.map(Shard::parse).transpose()?.unwrap_or(Shard::ALL);
    if let Some(n) = a.threads.filter(|n| !(1..=super::sweep::MAX_THREADS).contains(n)) {
        let allowed = format!("must be a whole number from 1 to {}", super::sweep::MAX_THREADS);
        return Err(crate::error::ConfigError::new("--threads", n, allowed).into());
    }
    let p = problem(a)?;
    let e = estimate(&p)?;
    if !a.budget.admit("optimise", &e)? {
        return Ok(serde_json::Value::Null);
    }
    let progress = Progress::new(p.input_steps(), "optimise input steps", a.quiet);
    let tick = |k: u64| progress.inc(k);
    let opts = optimise::Options {
        out: a.out,
        resume: a.resume,
        shard,
        data: &crate::reservoir::experiment::task_data,
        tick: &tick,
        compare: a.compare,
        baselines: a.baselines,
        figures: true,
    };
    let done = super::with_threads(a.threads, || optimise::optimise(&p, &opts))?;
    progress.finish();
    if !a.quiet {
        report(&done, a.out, shard);
    }
    Ok(done.summary)
}

/// The outcome in a few lines on stderr: why the call stopped, each final design's scores.
fn report(done: &optimise::run::Done, out: &Path, shard: Shard) {
    let n = done.summary["evaluated"].as_u64().unwrap_or(0);
    let why = match done.stop {
        Stop::Budget => "budget spent".to_string(),
        Stop::WallTime => "wall time spent: --resume continues".to_string(),
        Stop::Shard => format!("shard {}/{} done with its share of the batch", shard.k, shard.n),
    };
    eprintln!("optimise: {} evaluated here, {n} in the search ({why})", done.evaluated);
    for f in &done.finals {
        let at: Vec<String> = f.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let search: Vec<String> =
            f.search.iter().map(|(k, v)| format!("{k} {}", crate::config::checks::show(*v))).collect();
        eprintln!(
            "optimise: {}: {} — search: {}; unseen seeds: test NRMSE {:.4} ± {:.4}, validation {:.4} ± {:.4} ({} runs), {:.3e} J/input",
            f.label,
            if at.is_empty() { "(reference)".into() } else { at.join(" ") },
            if search.is_empty() { "—".into() } else { search.join(", ") },
            f.test_mean,
            f.test_std,
            f.validation_mean,
            f.validation_std,
            f.runs,
            f.energy_per_input_j
        );
    }
    if done.stop == Stop::Budget && done.finals.iter().all(|f| f.index.is_none()) && shard.n == 1 {
        eprintln!("optimise: warning: no design met every constraint");
    }
    eprintln!("optimise: wrote {}", out.display());
}
