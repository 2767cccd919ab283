//! `nanomag baselines EXPERIMENT.toml --features N[,N…] --repeats TxD --out DIR`: the tuned
//! software baselines of an experiment at equal feature count ([`crate::tune::baselines`]).
//! Writes, as it goes, DIR/candidates.jsonl (every candidate's validation scores; `--resume`
//! skips those already there), then DIR/baselines.csv and baselines.json (per family and
//! feature count: the choice, validation and test NRMSE mean ± std, energy per input, values
//! at the edge of their range), DIR/results.jsonl (every final run as a sweep record, for
//! `nanomag merge`/`plot`: the CMOS front of the accuracy-vs-energy figure) and the figures.

use crate::error::{ConfigError, Error};
use crate::progress::Progress;
use crate::reservoir::repeats::Repeats;
use crate::sweep::results::{self, Record};
use crate::tune::baselines::{self as tb, Journaled, Options, Row};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Options of `nanomag baselines`.
pub struct Args<'a> {
    pub config: &'a Path,
    pub out: &'a Path,
    pub features: &'a [i64],
    pub repeats: Repeats,
    pub budget: i64,
    pub search_seed: i64,
    pub families: &'a [String],
    pub resume: bool,
    pub set: &'a [String],
    pub budget_flags: super::Budget,
    pub quiet: bool,
}

/// Runs `nanomag baselines` from its parsed command line (`cmd` is
/// [`super::Command::Baselines`]); DIR defaults to `out/<config stem>_baselines`.
pub fn command(cmd: &super::Command, cli: &super::Cli) -> Result<(), Error> {
    let super::Command::Baselines { config, out, features, repeats, budget, search_seed, families, resume, set } = cmd
    else {
        unreachable!("called for the baselines command only")
    };
    let default_out = std::path::PathBuf::from("out")
        .join(format!("{}_baselines", config.file_stem().unwrap_or_default().to_string_lossy()));
    run(&Args {
        config,
        out: out.as_deref().unwrap_or(&default_out),
        features,
        repeats: Repeats::parse(repeats)?,
        budget: *budget,
        search_seed: *search_seed,
        families,
        resume: *resume,
        set,
        budget_flags: cli.budget(),
        quiet: cli.quiet,
    })
    .map(|_| ())
}

/// The checked options; the feature counts default to the experiment's own.
fn options(a: &Args, raw: &crate::config::raw::RawConfig, base_dir: &Path) -> Result<Options, Error> {
    let budget = crate::config::checks::count("--budget", a.budget, 1, tb::MAX_BUDGET as i64)?;
    let search_seed = crate::config::checks::seed("--search-seed", a.search_seed)?;
    for f in a.families {
        crate::config::checks::one_of("--families", f, tb::FAMILIES)?;
    }
    let mut features = Vec::new();
    for &n in a.features {
        features.push(crate::config::checks::count("--features", n, 2, 100_000)?);
    }
    if features.is_empty() {
        features.push(crate::reservoir::config::validate(raw, base_dir)?.n_features()?);
    }
    let families =
        if a.families.is_empty() { tb::FAMILIES.iter().map(|s| s.to_string()).collect() } else { a.families.to_vec() };
    Ok(Options { features, repeats: a.repeats, budget, search_seed, families })
}

/// Reads the journal of an earlier call (`--resume`), or refuses a non-empty one without it.
fn journal(path: &Path, resume: bool, out: &Path) -> Result<Vec<Journaled>, Error> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = crate::io::read_input_text(path).map_err(|e| crate::io::bad_file(path, e))?;
    let complete = crate::io::jsonl::complete(&text);
    if complete.len() < text.len() {
        // A line cut off by a crash: dropped, so the next line starts clean.
        let f = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path.display(), e))?;
        f.set_len(complete.len() as u64).map_err(|e| Error::io(path.display(), e))?;
    }
    if !complete.trim().is_empty() && !resume {
        return Err(ConfigError::new(
            "--out",
            out.display(),
            "already holds candidates.jsonl: pass --resume to continue those baselines, or choose another --out",
        )
        .into());
    }
    complete
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| crate::io::bad_file(path, e)))
        .collect()
}

pub fn run(a: &Args) -> Result<serde_json::Value, Error> {
    let raw = crate::config::load_raw(a.config, a.set)?;
    let base_dir = a.config.parent().unwrap_or(Path::new("."));
    let opts = options(a, &raw, base_dir)?;
    let (runs, steps) = tb::planned(&raw, base_dir, &opts)?;
    let base = crate::reservoir::config::validate(&tb::base_raw(&raw), base_dir)?;
    let one = base.estimate()?;
    let est = crate::cost::Estimate { steps: steps as f64, work: one.work * runs as f64 * 4.0, ..one };
    if !a.budget_flags.admit("baselines", &est)? {
        return Ok(serde_json::Value::Null);
    }
    crate::io::out_dir(a.out)?;
    let path = a.out.join("candidates.jsonl");
    let known = journal(&path, a.resume, a.out)?;
    let mut log =
        std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| Error::io(path.display(), e))?;
    let progress = Progress::new(steps, "baselines", a.quiet);
    let rows = tb::baselines(
        &raw,
        base_dir,
        &opts,
        &known,
        &crate::reservoir::experiment::task_data,
        &mut |j, _| {
            let line = serde_json::to_string(j).map_err(|e| Error::io(path.display(), e))?;
            writeln!(log, "{line}").and_then(|_| log.sync_data()).map_err(|e| Error::io(path.display(), e))
        },
        &|k| progress.inc(k),
    )?;
    progress.finish();
    let summary = write(a, &opts, &rows)?;
    if !a.quiet {
        print_table(&rows, &opts);
        eprintln!("baselines: wrote {}", a.out.display());
    }
    Ok(summary)
}

/// The search, in words, for records and the summary.
fn selection(o: &Options) -> String {
    format!(
        "tuned on the validation split: random search, {} candidates per family, {} runs each (--repeats), search seed {}",
        o.budget,
        o.repeats.runs(),
        o.search_seed
    )
}

/// baselines.csv, baselines.json and results.jsonl (and the sweep figures).
fn write(a: &Args, opts: &Options, rows: &[Row]) -> Result<serde_json::Value, Error> {
    write_csv(&a.out.join("baselines.csv"), rows)?;
    let records = records(a, opts, rows);
    results::write_all(a.out, &records)?;
    crate::sweep::figures::draw_all(a.out, &records)?;
    let summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "baselines",
        "experiment": a.config.display().to_string(),
        "features": opts.features,
        "families": opts.families,
        "budget": opts.budget,
        "search_seed": opts.search_seed,
        "runs_per_candidate": opts.repeats.runs(),
        "selection": selection(opts),
        "spaces": "docs/config.md#nanomag-baselines",
        "rows": rows,
    });
    crate::io::write_json(&a.out.join("baselines.json"), &summary)?;
    Ok(summary)
}

/// baselines.csv: one line per row (family, label, features, chosen settings, validation and
/// test NRMSE mean and std, runs, energy per input step in J, edges, notes).
fn write_csv(csv_path: &Path, rows: &[Row]) -> Result<(), Error> {
    let mut w = csv::Writer::from_path(csv_path).map_err(|e| Error::io(csv_path.display(), e))?;
    let head = [
        "family",
        "label",
        "features",
        "n_features",
        "chosen",
        "candidates",
        "validation_nrmse_mean",
        "validation_nrmse_std",
        "test_nrmse_mean",
        "test_nrmse_std",
        "runs",
        "energy_per_input_j",
        "edges",
        "notes",
    ];
    w.write_record(head).map_err(|e| Error::io(csv_path.display(), e))?;
    for r in rows {
        let chosen: Vec<String> = r.chosen.iter().map(|(k, v)| format!("{k}={v}")).collect();
        w.write_record([
            r.family.clone(),
            r.label.clone(),
            r.features.to_string(),
            r.n_features.to_string(),
            chosen.join(" "),
            r.candidates.to_string(),
            r.validation_mean.to_string(),
            r.validation_std.to_string(),
            r.test_mean.to_string(),
            r.test_std.to_string(),
            r.test.len().to_string(),
            r.energy_per_step_j.to_string(),
            r.edges.join("; "),
            r.notes.join("; "),
        ])
        .map_err(|e| Error::io(csv_path.display(), e))?;
    }
    w.flush().map_err(|e| Error::io(csv_path.display(), e))?;
    Ok(())
}

/// The sweep records of every run of every row (indexed in order, grouped by the row's
/// label), as results.jsonl holds them.
fn records(a: &Args, opts: &Options, rows: &[Row]) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    for r in rows {
        for (cfg, o) in &r.outcomes {
            let mut params: std::collections::BTreeMap<String, serde_json::Value> =
                r.chosen.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            params.insert("features".into(), json!(r.features));
            let at = crate::sweep::Where {
                hash: crate::sweep::spec::config_hash(cfg),
                index: records.len(),
                group: r.label.clone(),
                base: a.config.display().to_string(),
            };
            let mut rec = crate::sweep::record_of(cfg, at, params, Ok(o.clone()), o.wall_seconds);
            rec.selection = (r.candidates > 1).then(|| selection(opts));
            records.push(rec);
        }
    }
    records
}

fn print_table(rows: &[Row], o: &Options) {
    eprintln!("baselines: {} (mean ± std over {} runs each):", selection(o), o.repeats.runs());
    for r in rows {
        let chosen: Vec<String> =
            r.chosen.iter().map(|(k, v)| format!("{}={v}", k.trim_start_matches("reservoir."))).collect();
        eprintln!(
            "  {:<18} N = {:<5} validation {:.4} ± {:.4}  test {:.4} ± {:.4}  {:.3e} J/input  {}",
            r.label,
            r.n_features,
            r.validation_mean,
            r.validation_std,
            r.test_mean,
            r.test_std,
            r.energy_per_step_j,
            chosen.join(" ")
        );
        for e in &r.edges {
            eprintln!("    warning: chosen at the edge of its range: {e}");
        }
        for n in &r.notes {
            eprintln!("    note: {n}");
        }
    }
}
