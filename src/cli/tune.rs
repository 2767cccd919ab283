//! `nanomag tune TUNE.toml --repeats TxD --out DIR`: choose hyper-parameters on the validation
//! split ([`crate::tune`]). Writes DIR/candidates.jsonl (one line per candidate as it finishes:
//! its validation scores, never its test score) and DIR/tune.json (per group: the choice, its
//! validation and held-out test NRMSE, mean ± std over the runs, and the seeds).

use crate::error::Error;
use crate::progress::Progress;
use crate::reservoir::experiment;
use crate::reservoir::repeats::Repeats;
use crate::sweep::spec;
use serde_json::json;
use std::io::Write;
use std::path::Path;

pub fn run(
    file: &Path,
    out: &Path,
    repeats: Repeats,
    budget: super::Budget,
    quiet: bool,
) -> Result<serde_json::Value, Error> {
    let spec = spec::load(file)?;
    let mut e = super::sweep::sweep_estimate(&spec)?;
    e.work *= repeats.runs() as f64;
    if !budget.admit("tune", &e)? {
        return Ok(serde_json::Value::Null);
    }
    crate::io::out_dir(out)?;
    let path = out.join("candidates.jsonl");
    let mut log = std::fs::File::create(&path).map_err(|e| Error::io(path.display(), e))?;
    let steps: u64 = spec.configs.iter().map(|c| c.split.steps() as u64).sum();
    let progress = Progress::new(steps * repeats.runs() as u64, "tune", quiet);
    let mut io_err = None;
    let choices = crate::tune::tune(
        &spec,
        repeats,
        &experiment::task_data,
        &mut |s| {
            let line = serde_json::to_string(s).unwrap_or_default();
            if let Err(e) = writeln!(log, "{line}").and_then(|_| log.flush()) {
                io_err.get_or_insert(Error::io(path.display(), e));
            }
        },
        &|k| progress.inc(k),
    )?;
    progress.finish();
    if let Some(e) = io_err {
        return Err(e);
    }
    let summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "tune",
        "tune_file": file.display().to_string(),
        "selection": "lowest mean validation NRMSE (readout fitted on the train split); test scored once, for the choice only",
        "runs_per_candidate": repeats.runs(),
        "groups": choices,
    });
    crate::io::write_json(&out.join("tune.json"), &summary)?;
    if !quiet {
        for c in &choices {
            let at: Vec<String> = c.chosen.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            eprintln!(
                "tune: {}: chose {} of {} candidates — validation NRMSE {:.4} ± {:.4}, test {:.4} ± {:.4} ({} runs)",
                c.chosen.group,
                at.join(" "),
                c.candidates,
                c.chosen.validation_mean,
                c.chosen.validation_std,
                c.test_mean,
                c.test_std,
                c.test.len()
            );
            for e in &c.edges {
                eprintln!("tune: warning: {}: chosen at the edge of its axis: {e}", c.chosen.group);
            }
            for n in &c.notes {
                eprintln!("tune: note: {}: {n}", c.chosen.group);
            }
        }
        eprintln!("tune: wrote {}", out.display());
    }
    Ok(summary)
}
