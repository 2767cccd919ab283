//! `nanomag spectrum CONFIG.toml --out DIR`: the FMR spectrum of the state a field protocol
//! leaves, on any engine ([`crate::spectrum::command`] writes the files).

use crate::config;
use crate::error::Error;
use crate::registry;
use std::path::Path;

pub fn run(path: &Path, out: &Path, set: &[String], budget: super::Budget, quiet: bool) -> Result<(), Error> {
    let raw = config::load_raw(path, set)?;
    let cfg = registry::validate(&raw, path.parent().unwrap_or(Path::new(".")))?;
    if !budget.admit("spectrum", &crate::spectrum::command::estimate(&cfg)?)? {
        return Ok(());
    }
    crate::spectrum::command::spectrum(&cfg, path, out, quiet).map(|_| ())
}
