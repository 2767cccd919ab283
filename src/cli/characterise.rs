//! `nanomag characterise EXP.toml --out DIR`: memory capacity, nonlinearity, kernel and
//! generalisation rank of the experiment's reservoir design, read through its sensor
//! ([`crate::reservoir::characterise`]). Writes DIR/characterise.json and
//! DIR/memory_capacity.csv (`delay,r2`).

use crate::error::Error;
use crate::reservoir::characterise::{characterise, Plan};
use std::path::Path;

/// Runs `nanomag characterise` from its parsed command line (`cmd` is
/// [`super::Command::Characterise`]): `--delays` in [1, 500] and `--streams` in [2, 10000]
/// (exit 2 otherwise); DIR defaults to `out/<config stem>_characterise`.
pub fn command(cmd: &super::Command, cli: &super::Cli) -> Result<(), Error> {
    let super::Command::Characterise { config, out, delays, streams, set } = cmd else {
        unreachable!("called for the characterise command only")
    };
    let bad = |k: &str, v: usize, r: &str| crate::error::ConfigError::new(k, v, r.to_string());
    if !(1..=500).contains(delays) {
        return Err(bad("--delays", *delays, "must be a whole number in [1, 500]").into());
    }
    if !(2..=10_000).contains(streams) {
        return Err(bad("--streams", *streams, "must be a whole number in [2, 10000]").into());
    }
    let plan = Plan { delays: *delays, streams: *streams, ..Default::default() };
    let stem = config.file_stem().unwrap_or_default().to_string_lossy().into_owned();
    let default_out = std::path::PathBuf::from("out").join(format!("{stem}_characterise"));
    run(config, out.as_deref().unwrap_or(&default_out), set, plan, cli.budget(), cli.quiet).map(|_| ())
}

pub fn run(
    config: &Path,
    out: &Path,
    set: &[String],
    plan: Plan,
    budget: super::Budget,
    quiet: bool,
) -> Result<serde_json::Value, Error> {
    let raw = crate::config::load_raw(config, set)?;
    let base_dir = config.parent().unwrap_or(Path::new("."));
    if !budget.admit("characterise", &crate::reservoir::characterise::estimate(&raw, base_dir, plan)?)? {
        return Ok(serde_json::Value::Null);
    }
    let c = characterise(&raw, base_dir, plan)?;
    crate::io::out_dir(out)?;
    let mut v = serde_json::to_value(&c).unwrap_or_default();
    v["config_file"] = serde_json::json!(config.display().to_string());
    v["plan"] = serde_json::json!({
        "delays": plan.delays, "history": plan.history, "streams": plan.streams,
        "stream_steps": plan.stream_steps, "tail": plan.tail, "rank_tol": plan.tol, "seed": plan.seed,
    });
    crate::io::write_json(&out.join("characterise.json"), &v)?;
    let path = out.join("memory_capacity.csv");
    let mut text = String::from("delay,r2\n");
    for (k, r2) in c.memory_curve.iter().enumerate() {
        text += &format!("{},{r2}\n", k + 1);
    }
    std::fs::write(&path, text).map_err(|e| Error::io(path.display(), e))?;
    if !quiet {
        eprintln!(
            "characterise: MC {:.2} (delays 1–{}), nonlinearity {:.3}, kernel rank {} and generalisation rank {} of {} \
             ({} features, {}); wrote {}",
            c.memory_capacity,
            plan.delays,
            c.nonlinearity,
            c.kernel_rank,
            c.generalisation_rank,
            c.rank_bound,
            c.n_features,
            c.sensor,
            out.display()
        );
    }
    Ok(v)
}
