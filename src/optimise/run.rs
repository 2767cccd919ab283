//! One call of `nanomag optimise`: the journal opened (and replayed), the references and the
//! search run, and — once the budget is spent — the final runs, `summary.json`,
//! `evaluations.csv` and the figures.

use super::evaluate::{self, Data, Tick};
use super::file::Problem;
use super::journal::{self, Entry};
use super::propose::Design;
use super::report::{self, Final};
use super::search::{self, Searched, Stop};
use crate::error::{ConfigError, Error};
use crate::search::space::Dim;
use crate::sweep::Shard;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// File of the references' evaluations on the search's seeds.
pub const REFERENCES: &str = "references.jsonl";

/// How a call runs.
pub struct Options<'a> {
    pub out: &'a Path,
    /// Continue the search journaled in `out` (a shard always does).
    pub resume: bool,
    pub shard: Shard,
    /// Task data of each run (normally [`crate::reservoir::experiment::task_data`]).
    pub data: Data<'a>,
    pub tick: Tick<'a>,
    /// Other optimise directories (e.g. random search on the same problem) drawn in the
    /// convergence figure, and baseline directories (`nanomag baselines` results) drawn in
    /// the Pareto figure.
    pub compare: &'a [PathBuf],
    pub baselines: &'a [PathBuf],
    pub figures: bool,
}

/// What a call did.
pub struct Done {
    pub summary: Value,
    pub stop: Stop,
    pub evaluated: usize,
    pub finals: Vec<Final>,
}

/// Runs (or continues) the search of `problem` in `opts.out` (see the module docs).
pub fn optimise(problem: &Problem, opts: &Options) -> Result<Done, Error> {
    crate::io::out_dir(opts.out)?;
    let appender = journal::Appender::open(&journal::path(opts.out, opts.shard.k, opts.shard.n))?;
    let known = journal::read_all(opts.out)?;
    if !known.is_empty() && !opts.resume && opts.shard.n == 1 {
        return Err(ConfigError::new(
            "--out",
            opts.out.display(),
            format!(
                "already holds a search ({} evaluations): pass --resume to continue it, or choose another --out",
                known.len()
            ),
        )
        .into());
    }
    let refs = if opts.shard.n == 1 { references(problem, opts)? } else { Vec::new() };
    let run = search::Run { shard: opts.shard, data: opts.data, tick: opts.tick, sink: &|e| appender.append(e) };
    let searched = search::search(problem, &known, &run)?;
    let mut finals = Vec::new();
    if searched.stop == Stop::Budget && opts.shard.n == 1 {
        let chosen = report::choose(problem, &searched.entries);
        let jobs = report::jobs(problem, &chosen);
        finals = report::finals(problem, &jobs, opts.out, searched.entries.len(), opts.data, opts.tick)?;
    }
    let summary = summary(problem, &searched, &refs, &finals);
    if opts.shard.n == 1 {
        crate::io::write_json(&opts.out.join("summary.json"), &summary)?;
        write_csv(problem, &searched.entries, &opts.out.join("evaluations.csv"))?;
        if opts.figures && !searched.entries.is_empty() {
            super::figures::draw(problem, opts.out, &searched.entries, &refs, &finals, opts.compare, opts.baselines)?;
        }
    }
    Ok(Done { summary, stop: searched.stop, evaluated: searched.evaluated, finals })
}

/// Each reference evaluated on the search's seeds (journaled in references.jsonl, skipped
/// when already there); never shown to the optimiser.
fn references(problem: &Problem, opts: &Options) -> Result<Vec<Entry>, Error> {
    let path = opts.out.join(REFERENCES);
    let appender = journal::Appender::open(&path)?;
    let known = journal::read_file(&path)?;
    let none = Design { values: Vec::new(), x: Vec::new() };
    let mut out = Vec::new();
    for (k, r) in problem.references.iter().enumerate() {
        let hash = evaluate::configs(problem, &none, &r.set).map(|c| c.1).unwrap_or_default();
        let e = match known.iter().find(|e| e.index == k && e.hash == hash) {
            Some(e) => e.clone(),
            None => {
                let mut e = evaluate::evaluate(problem, &none, &r.set, (k, 0, k), opts.data, opts.tick)?;
                e.method = "reference".into();
                e.params =
                    r.set.iter().map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default())).collect();
                appender.append(&e)?;
                e
            }
        };
        out.push(e);
    }
    Ok(out)
}

/// The space in JSON: per parameter its keys and range or choices.
pub fn space_json(problem: &Problem) -> Value {
    let dim = |d: &Dim| match d {
        Dim::Real { lo, hi, log } => json!({ "kind": "real", "range": [lo, hi], "log": log }),
        Dim::Int { lo, hi, log } => json!({ "kind": "int", "range": [lo, hi], "log": log }),
        Dim::Choice(c) => json!({ "kind": "choice", "values": c }),
    };
    let ps = |s: &crate::search::space::Space| -> Vec<Value> {
        s.params.iter().map(|p| json!({ "keys": p.keys().collect::<Vec<_>>(), "dim": dim(&p.dim) })).collect()
    };
    json!({ "params": ps(&problem.optimiser.space), "initial_region": ps(&problem.optimiser.start) })
}

/// The task and disorder seeds of the search's runs and of the final runs.
fn seeds(problem: &Problem) -> Value {
    let centre: Vec<toml::Value> = problem.optimiser.space.params.iter().map(|p| p.dim.from_unit(0.5)).collect();
    let of = |final_: bool| match problem.configs(&centre, &[], final_) {
        Ok(c) => json!({
            "task": c.iter().map(|c| c.task_seed).collect::<Vec<_>>(),
            "disorder": c.iter().map(crate::tune::disorder_seed).collect::<Vec<_>>(),
        }),
        Err(_) => Value::Null,
    };
    json!({
        "search": { "repeats": format!("{}", show_repeats(problem.repeats)), "runs": of(false) },
        "final": { "repeats": show_repeats(problem.final_repeats), "seed_offset": problem.seed_offset, "runs": of(true) },
    })
}

fn show_repeats(r: crate::reservoir::repeats::Repeats) -> String {
    if r.crossed {
        format!("{}x{}", r.task, r.disorder)
    } else {
        r.task.to_string()
    }
}

/// The optimiser and its settings.
pub fn optimiser_json(problem: &Problem) -> Value {
    let o = &problem.optimiser;
    let bo = json!({
        "library": "egobox-ego 0.42 (efficient global optimisation)",
        "surrogate": "Gaussian process, constant trend, squared-exponential kernel, hyper-parameters by likelihood",
        "infill": "LogEI (log expected improvement, Ament et al. 2023)",
        "batch": "kriging believer",
        "two_objectives": "ParEGO (augmented Chebyshev scalarisation, Knowles 2006)",
        "initial_design": "Latin hypercube",
        "surrogate_of": "log10 of each metric; failed evaluations imputed with the worst value observed",
    });
    json!({
        "method": o.method.name(),
        "seed": o.seed,
        "initial": o.initial,
        "batch": o.batch,
        "settings": if o.method == super::propose::Method::Bo { bo } else { json!("uniform over the space (in ln x for log ranges)") },
    })
}

/// summary.json.
fn summary(problem: &Problem, s: &Searched, refs: &[Entry], finals: &[Final]) -> Value {
    let best: Vec<Option<f64>> = journal::best_so_far(&s.entries, &problem.objectives[0]);
    json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "optimise",
        "file": problem.label,
        "base": problem.base_path.display().to_string(),
        "set": problem.set.iter().map(|(k, v)| (k.clone(), serde_json::to_value(v).unwrap_or_default())).collect::<serde_json::Map<_, _>>(),
        "space": space_json(problem),
        "objectives": problem.objectives,
        "constraints": problem.constraints,
        "optimiser": optimiser_json(problem),
        "budget": { "evaluations": problem.evaluations, "wall_time_s": problem.wall_time },
        "stop": s.stop,
        "evaluated": s.entries.len(),
        "seeds": seeds(problem),
        "selection": "validation only: the optimiser is told log10 of each objective's mean over the search's runs; test scores exist only for the final runs, on unseen seeds",
        "best_so_far": best,
        "references": refs,
        "final": finals,
        "evaluations": s.entries,
    })
}

/// evaluations.csv: one row per evaluation (index, batch, the values, the metrics).
fn write_csv(problem: &Problem, entries: &[Entry], path: &Path) -> Result<(), Error> {
    let err = |e: csv::Error| Error::io(path.display(), e);
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    let keys: Vec<String> = problem.optimiser.space.params.iter().map(|p| p.key.clone()).collect();
    let metrics: Vec<&str> = super::metric::METRICS.iter().map(|m| m.0).collect();
    let mut head = vec!["index".to_string(), "batch".into(), "method".into()];
    head.extend(keys.iter().cloned());
    head.extend(metrics.iter().map(|m| m.to_string()));
    head.extend(["feasible".into(), "error".into()]);
    w.write_record(&head).map_err(err)?;
    for e in entries {
        let mut row = vec![e.index.to_string(), e.batch.to_string(), e.method.clone()];
        row.extend(
            keys.iter()
                .map(|k| e.params.get(k).map(|v| v.to_string().trim_matches('"').to_string()).unwrap_or_default()),
        );
        row.extend(metrics.iter().map(|m| e.metrics.get(*m).map(|v| v.to_string()).unwrap_or_default()));
        row.extend([e.feasible.to_string(), e.error.clone().unwrap_or_default()]);
        w.write_record(&row).map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(path.display(), e))
}
