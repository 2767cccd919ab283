//! `nanomag dataset TASK --steps N --seed S --out FILE.csv`: export a task's series.
//!
//! Columns `t,u,y` (for `memory_capacity`: `t,u,y_1,…,y_K`, y_k = u(t−k)); y(t) is what the
//! readout must produce after input u(t). Task keys can be set with `--set task.key=value`.

use crate::error::{ConfigError, Error};
use crate::reservoir::tasks;
use std::path::Path;

pub fn run(task: &str, steps: i64, seed: i64, out: &Path, set: &[String], quiet: bool) -> Result<(), Error> {
    let mut table = toml::Table::new();
    crate::config::apply_overrides(&mut table, set)?;
    let (task, data) = tasks::dataset(task, table, steps, seed).map_err(|e| match e.key.as_str() {
        "steps" | "seed" => ConfigError { key: format!("--{}", e.key), ..e },
        "task" => ConfigError::new("--set", set.join(" "), e.allowed),
        _ => e,
    })?;
    let steps = data.u.len();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::io::out_dir(dir)?;
    }
    let err = |e: csv::Error| Error::io(out.display(), e);
    let mut w = csv::Writer::from_path(out).map_err(err)?;
    let mut head = vec!["t".to_string(), "u".to_string()];
    if data.y.len() == 1 {
        head.push("y".into());
    } else {
        head.extend((1..=data.y.len()).map(|k| format!("y_{k}")));
    }
    w.write_record(&head).map_err(err)?;
    for t in 0..steps {
        let mut rec = vec![t.to_string(), data.u[t].to_string()];
        rec.extend(data.y.iter().map(|y| y[t].to_string()));
        w.write_record(&rec).map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(out.display(), e))?;
    if !quiet {
        eprintln!("dataset: {} steps of {} (seed {seed}) written to {}", steps, task.name(), out.display());
    }
    Ok(())
}
