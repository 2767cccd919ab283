//! `nanomag run EXPERIMENT.toml --out DIR`: train and test a reservoir on a task.
//!
//! [`crate::reservoir::output`] writes the files (summary.json, predictions.csv, with
//! `--states` states.csv and states.npy, figures). `--repeats R` runs R copies with every seed
//! shifted by 0..R, `--repeats TxD` crosses T task seeds with D disorder seeds
//! ([`crate::reservoir::repeats`]); runs go in parallel and the summary reports mean ± std; the
//! files show run 0.

use crate::error::Error;
use crate::progress::Progress;
use crate::reservoir::repeats::{self, Repeats};
use serde_json::Value;
use std::path::Path;

/// Options of `nanomag run`.
pub struct RunArgs<'a> {
    pub config: &'a Path,
    pub out: &'a Path,
    pub repeats: Repeats,
    pub states: bool,
    pub set: &'a [String],
    pub budget: super::Budget,
    pub quiet: bool,
}

pub fn run(args: &RunArgs) -> Result<Value, Error> {
    let raw = crate::config::load_raw(args.config, args.set)?;
    let cfgs = repeats::validated(&raw, args.repeats, args.config.parent().unwrap_or(Path::new(".")))?;
    if !args.budget.admit("run", &repeats::estimate(&cfgs)?)? {
        return Ok(Value::Null);
    }
    crate::io::out_dir(args.out)?;
    let steps = cfgs[0].split.steps() as u64;
    let progress = Progress::new(steps * cfgs.len() as u64, "run", args.quiet);
    let outcomes = repeats::run_all(&cfgs, args.states, &|k| progress.inc(k))?;
    progress.finish();
    let summary = crate::reservoir::output::write(&cfgs, &outcomes, args.config, args.out)?;
    let o = &outcomes[0];
    if !args.quiet {
        let main = &o.outputs[0];
        let mut line = format!(
            "run: {} on {}: test NRMSE {:.4} (train {:.4}), lambda {:e}, {} features, {} steps in {:.1} s",
            o.reservoir,
            o.task,
            main.nrmse_test,
            main.nrmse_train,
            main.model.lambda,
            o.n_features,
            o.steps,
            o.wall_seconds
        );
        if let Some(mc) = o.memory_capacity {
            line += &format!("; memory capacity {mc:.2}");
        }
        if let Some(r) = summary.get("repeats") {
            line += &format!(
                "; over {} repeats test NRMSE {:.4} ± {:.4}",
                cfgs.len(),
                r["nrmse_test"]["mean"].as_f64().unwrap_or(f64::NAN),
                r["nrmse_test"]["std"].as_f64().unwrap_or(f64::NAN)
            );
        }
        eprintln!("{line}; wrote {}", args.out.display());
        for n in &o.notes {
            eprintln!("note: {n}");
        }
    }
    Ok(summary)
}
