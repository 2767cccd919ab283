//! The one place that names every engine: the registry sits above the engines and the
//! configuration. It validates a config against the registered engines, builds the engine a
//! validated config asks for, and answers what each engine can do.

use crate::config::plugin::Entry;
use crate::config::raw::RawConfig;
use crate::config::SimConfig;
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::protocol::Protocol;
use std::path::Path;
use std::sync::RwLock;

/// Every engine. Register a new engine here (one line).
pub const REGISTRY: &[Entry] = &[
    crate::macrospin::engine::ENTRY,
    crate::micromag::engine::ENTRY,
    crate::switching::engine::ENTRY,
    crate::kmc::engine::ENTRY,
];

/// Engines registered at run time by code outside this crate ([`register`]).
static ADDED: RwLock<Vec<&'static Entry>> = RwLock::new(Vec::new());

/// Adds an engine from outside the library (a downstream crate's own engine): from then on
/// `solver.kind = "<its name>"` validates, builds and runs like a built-in engine. A name
/// already taken is refused.
///
/// ```
/// # use nanomag::registry;
/// // A downstream crate defines `static MY_ENGINE: nanomag::config::plugin::Entry = …;`
/// // and calls `registry::register(&MY_ENGINE)` once; tests/outside_registration.rs does.
/// assert!(registry::engines().iter().any(|e| e.name == "macrospin"));
/// ```
pub fn register(e: &'static Entry) -> Result<(), ConfigError> {
    if engines().iter().any(|x| x.name == e.name) {
        return Err(ConfigError::new("solver.kind", e.name, "is already a registered engine: choose another name"));
    }
    ADDED.write().unwrap_or_else(|p| p.into_inner()).push(e);
    Ok(())
}

/// Every engine: the built-in ones ([`REGISTRY`]), then those added by [`register`].
pub fn engines() -> Vec<&'static Entry> {
    let mut v: Vec<&'static Entry> = REGISTRY.iter().collect();
    v.extend(ADDED.read().unwrap_or_else(|p| p.into_inner()).iter().copied());
    v
}

/// The registry entry of `name`.
pub fn entry(name: &str) -> Option<&'static Entry> {
    engines().into_iter().find(|e| e.name == name)
}

/// Builds the engine a validated config asks for, driven by the config's protocol.
pub fn from_config(cfg: &SimConfig) -> Result<Box<dyn Engine>, Error> {
    build(cfg, cfg.protocol.clone())
}

/// Builds the engine a validated config asks for, driven by `protocol`.
pub fn build(cfg: &SimConfig, protocol: Protocol) -> Result<Box<dyn Engine>, Error> {
    let e = entry(cfg.engine).ok_or_else(|| Error::Io(format!("no engine named {}", cfg.engine)))?;
    (e.build)(cfg, protocol)
}

/// Validates a `simulate` config against the registered engines
/// ([`crate::config::validate_with`]).
pub fn validate(raw: &RawConfig, base_dir: &Path) -> Result<SimConfig, ConfigError> {
    crate::config::validate_with(raw, base_dir, &engines())
}

/// Validates the system sections against the registered engines, for runs whose protocol
/// comes from elsewhere ([`crate::config::validate_system_with`]).
pub fn validate_system(raw: &RawConfig, base_dir: &Path, b_max: f64) -> Result<SimConfig, ConfigError> {
    crate::config::validate_system_with(raw, base_dir, b_max, &engines())
}

/// Reads and validates a TOML config file. Relative paths inside it resolve against its folder.
pub fn load(path: &Path) -> Result<SimConfig, ConfigError> {
    let text = crate::io::read_input_text(path).map_err(|e| ConfigError::new("config", path.display(), e))?;
    let raw = crate::config::parse_toml(&text, path)?;
    validate(&raw, path.parent().unwrap_or(Path::new(".")))
}
