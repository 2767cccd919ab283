//! `nanomag simulate CONFIG.toml --out DIR`: run a field protocol on a lattice or a box with
//! the engine the config names ([`crate::simulate`] writes the files).

use crate::config;
use crate::error::Error;
use crate::progress::Unwatched;
use std::path::Path;

/// Runs `simulate` and returns the summary it wrote.
pub fn run(
    config_path: &Path,
    out: &Path,
    set: &[String],
    budget: super::Budget,
    quiet: bool,
) -> Result<serde_json::Value, Error> {
    let raw = config::load_raw(config_path, set)?;
    let cfg = crate::simulate::validate(&raw, config_path.parent().unwrap_or(Path::new(".")))?;
    if !budget.admit("simulate", &crate::simulate::estimate(&cfg)?)? {
        return Ok(serde_json::Value::Null);
    }
    crate::simulate::simulate(&cfg, config_path, out, quiet, &Unwatched)
}
