//! Configuration: raw TOML ([`raw`]) is validated once into the checked types below; code
//! downstream never re-checks. Defaults, units and ranges of every key: `docs/config.md`.

pub mod checks;
pub mod init;
pub mod plugin;
pub mod raw;
pub mod raw_run;
pub mod source;
pub mod validate;
pub mod words;

use crate::error::ConfigError;
use crate::geometry::{Island, Shape};
use crate::lattice::{DisorderSpec, Lattice};
use crate::protocol::Protocol;
use nalgebra::Vector3;
use std::path::Path;

pub use validate::{max_field, validate_system_with, validate_with, MAX_ROWS};

/// Material parameters shared by all islands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Material {
    /// Saturation magnetisation Ms (A/m), in (0, 1e7].
    pub ms: f64,
    /// Gilbert damping α (1), in [0, 10].
    pub alpha: f64,
    /// Uniaxial anisotropy K_u (J/m³) along the long axis, in [−1e7, 1e7].
    pub ku: f64,
}

pub use crate::geometry::MagnetSpec;

/// Inter-island coupling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Coupling {
    None,
    /// Point-dipole coupling to every island within `cutoff` × lattice spacing (may be ∞).
    Dipole {
        cutoff: f64,
    },
}

/// Initial magnetisation.
#[derive(Debug, Clone, PartialEq)]
pub enum Init {
    /// Along +long axis of each island (a box: along its anisotropy axis).
    Easy,
    /// Uniform on the unit sphere, seeded.
    Random { seed: u64 },
    /// The same unit vector for every island (or cell).
    Vector(Vector3<f64>),
    /// A previous run's final state.
    State(StateSource),
    /// A vortex in each island (micromagnetic): circulation (+1 counter-clockwise, −1
    /// clockwise, 0 uniform along the long axis) and core polarity (±1), per island.
    Vortex { circulation: Vec<f64>, polarity: Vec<f64> },
}

/// Where a restart state comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum StateSource {
    /// One unit vector per island, read from a `magnets.csv` and checked against the lattice.
    Islands { file: std::path::PathBuf, m: Vec<Vector3<f64>> },
    /// Cells from an OVF file (checked against the mesh when the engine is built).
    Ovf(std::path::PathBuf),
}

/// Relaxation of the initial state before the protocol (`init.relax = true`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relax {
    /// Stop when max|m × B_eff| is below this (T).
    pub max_torque: f64,
    pub minimiser: crate::engine::Minimiser,
    /// The applied field during relaxation (T).
    pub field: Vector3<f64>,
}

/// Most iterations a relaxation may take.
pub const MAX_RELAX_ITERATIONS: u64 = 2_000_000;

/// Time integration method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Adaptive Dormand–Prince 5(4), via ode_solvers (rtol, atol).
    Dopri5,
    /// Adaptive Dormand–Prince 5(4) with MuMax3's error norm max |Δm| (max_err).
    Rk45,
    /// Classical fixed-step Runge–Kutta 4.
    Rk4,
    /// Fixed-step Heun (stochastic, Stratonovich): required for T > 0.
    Heun,
}

impl Method {
    pub const NAMES: [&'static str; 4] = ["dopri5", "rk45", "rk4", "heun"];

    pub fn name(self) -> &'static str {
        match self {
            Method::Dopri5 => "dopri5",
            Method::Rk45 => "rk45",
            Method::Rk4 => "rk4",
            Method::Heun => "heun",
        }
    }

    pub fn parse(s: &str) -> Option<Method> {
        [Method::Dopri5, Method::Rk45, Method::Rk4, Method::Heun].into_iter().find(|m| m.name() == s)
    }

    /// Field evaluations per step.
    pub fn stages(self) -> f64 {
        match self {
            Method::Dopri5 | Method::Rk45 => 6.0,
            Method::Rk4 => 4.0,
            Method::Heun => 2.0,
        }
    }

    /// Whether the step is fixed (rk4, heun).
    pub fn fixed(self) -> bool {
        matches!(self, Method::Rk4 | Method::Heun)
    }
}

/// The error norm of `rk45`'s step control (`solver.error_norm`; src/integrate/rk45.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepNorm {
    /// MuMax3's max_i |Δm⁽⁵⁾ − Δm⁽⁴⁾| ≤ max_err.
    MaxDm,
    /// magnum.np's mixed norm max_k |e_k| / (atol + rtol |m_k|) ≤ 1.
    Mixed,
}

impl StepNorm {
    pub const NAMES: [&'static str; 2] = ["max_dm", "mixed"];

    pub fn name(self) -> &'static str {
        match self {
            StepNorm::MaxDm => "max_dm",
            StepNorm::Mixed => "mixed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solver {
    pub method: Method,
    /// Fixed step (rk4, heun) in s; the step is shortened so a whole number fits an output
    /// interval.
    pub dt: f64,
    /// dopri5's (and rk45's with the mixed norm) relative and absolute tolerances (on the
    /// components of m, dimensionless).
    pub rtol: f64,
    pub atol: f64,
    /// rk45 error bound on max |Δm| per step (the MaxDm norm).
    pub max_err: f64,
    /// rk45's error norm.
    pub norm: StepNorm,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Temperature {
    /// Temperature (K), ≥ 0.
    pub t: f64,
    /// Seed of the thermal-noise stream (ChaCha8).
    pub seed: u64,
}

/// `output.history`: every island's m at every output row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    None,
    Npy,
    Csv,
}

/// A validated `simulate` configuration.
#[derive(Debug)]
pub struct SimConfig {
    /// The engine (`solver.kind`, a name in `crate::registry::REGISTRY`).
    pub engine: &'static str,
    /// That engine's own validated settings.
    pub engine_spec: EngineSpecBox,
    pub material: Material,
    pub magnet: MagnetSpec,
    pub lattice: Box<dyn Lattice>,
    pub disorder: DisorderSpec,
    pub coupling: Coupling,
    pub temperature: Temperature,
    pub init: Init,
    pub relax: Option<Relax>,
    pub solver: Solver,
    pub protocol: Protocol,
    /// Interval between output rows (s).
    pub output_interval: f64,
    pub history: History,
    /// Draw the history as an animation and small multiples (`output.animation`).
    pub animation: bool,
    /// OVF snapshots of the cells, for engines with cells.
    pub snapshots: Snapshots,
    /// The configuration with every default filled in, for `summary.json`.
    pub resolved: raw::RawConfig,
}

/// OVF snapshots of an engine with cells: every `interval` (s; None: only the first and the
/// final state) in `format`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Snapshots {
    pub interval: Option<f64>,
    pub format: crate::io::ovf::OvfFormat,
}

/// An engine's validated settings (see [`crate::engine::EngineSpec`]), debug-printable.
#[derive(Clone, Default)]
pub struct EngineSpecBox(pub crate::engine::EngineSpec);

impl std::fmt::Debug for EngineSpecBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EngineSpec({})", if self.0.is_some() { "set" } else { "none" })
    }
}

impl SimConfig {
    /// The field scale (T): largest applied field + μ0·Ms + 2|K_u|/Ms.
    pub fn field_scale(&self) -> f64 {
        let applied = self.protocol.segments().iter().map(max_field).fold(0.0, f64::max);
        applied + crate::constants::MU0 * self.material.ms + 2.0 * self.material.ku.abs() / self.material.ms
    }

    /// The dipolar pairs the coupling gives `islands` (an estimate, [`crate::engine::cost::pairs`]).
    pub fn pairs(&self, islands: &[Island]) -> f64 {
        match self.coupling {
            Coupling::None => 0.0,
            Coupling::Dipole { cutoff } => crate::engine::cost::pairs(islands, cutoff, self.lattice.spacing()),
        }
    }

    /// The time step of an LLG engine whose own fields reach `b_own` (T) beyond the config's
    /// field scale: the fixed step of rk4/heun, or [`crate::engine::cost::llg_step`].
    pub fn llg_step(&self, b_own: f64) -> f64 {
        if self.solver.method.fixed() {
            self.solver.dt
        } else {
            crate::engine::cost::llg_step(self.field_scale() + b_own)
        }
    }

    /// Builds the islands (lattice, then disorder), checking for overlaps.
    pub fn islands(&self) -> Result<Vec<Island>, ConfigError> {
        crate::lattice::build(self.lattice.as_ref(), &self.disorder)
    }
}

/// Reads a config file and applies `--set key=value` overrides (dotted keys, TOML values:
/// `--set input.hold=2e-10`, `--set 'features.components=["long","z"]'`, `--set task.kind="narma2"`;
/// a bare word that is not a TOML value is taken as a string).
pub fn load_raw(path: &Path, overrides: &[String]) -> Result<raw::RawConfig, ConfigError> {
    let text = crate::io::read_input_text(path).map_err(|e| ConfigError::new("config", path.display(), e))?;
    if overrides.is_empty() {
        return parse_toml(&text, path);
    }
    let base: toml::Table = parse_toml(&text, path)?;
    let mut table = base.clone();
    apply_overrides(&mut table, overrides)?;
    toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
        // Name the one --set that breaks the config on its own, not all of them.
        let breaks = |o: &&String| {
            let mut t = base.clone();
            apply_overrides(&mut t, std::slice::from_ref(*o)).is_err()
                || toml::Value::Table(t).try_into::<raw::RawConfig>().is_err()
        };
        let culprit = overrides.iter().find(breaks).cloned().unwrap_or_else(|| overrides.join(" "));
        ConfigError::new("--set", culprit, words::humanise(&e.message().replace('\n', " ")))
    })
}

/// Sets each `a.b.c=value` in a TOML table, creating tables on the way.
pub fn apply_overrides(table: &mut toml::Table, overrides: &[String]) -> Result<(), ConfigError> {
    let mut pairs = Vec::with_capacity(overrides.len());
    for o in overrides {
        let bad = |why: &str| ConfigError::new("--set", o, why.to_string());
        let (key, value) = o.split_once('=').ok_or_else(|| bad("must be key=value, e.g. input.hold=2e-10"))?;
        let value: toml::Value = match toml::from_str::<toml::Table>(&format!("v = {value}")) {
            Ok(mut t) => t.remove("v").ok_or_else(|| bad("has no value"))?,
            Err(_) => toml::Value::String(value.trim().to_string()),
        };
        pairs.push((key.trim().to_string(), value));
    }
    apply_values(table, &pairs)
}

/// Sets each dotted key to its value in a TOML table, creating tables on the way. A part that
/// is a whole number indexes a list of tables, so `field.0.duration` is the first `[[field]]`'s
/// duration; the index must exist.
pub fn apply_values(table: &mut toml::Table, values: &[(String, toml::Value)]) -> Result<(), ConfigError> {
    for (key, value) in values {
        let parts: Vec<&str> = key.split('.').collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(ConfigError::new(key, words::value(value), "has an empty key part"));
        }
        let mut root = toml::Value::Table(std::mem::take(table));
        let result = set_path(&mut root, &parts, 0, value);
        if let toml::Value::Table(t) = root {
            *table = t;
        }
        result.map_err(|why| ConfigError::new(key, words::value(value), why))?;
    }
    Ok(())
}

/// Sets `parts[depth..]` below `node` to `value` (see [`apply_values`]); the error says why not.
fn set_path(node: &mut toml::Value, parts: &[&str], depth: usize, value: &toml::Value) -> Result<(), String> {
    let p = parts[depth];
    let last = depth + 1 == parts.len();
    let here = parts[..depth].join(".");
    let slot = match node {
        toml::Value::Table(t) if last => {
            t.insert(p.to_string(), value.clone());
            return Ok(());
        }
        toml::Value::Table(t) => t.entry(p.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new())),
        toml::Value::Array(a) => {
            let n = a.len();
            let range = if n == 0 { "it is empty".to_string() } else { format!("allowed are 0 to {}", n - 1) };
            let i: usize = p.parse().map_err(|_| format!("{here} is a list: {p} must be an index ({range})"))?;
            a.get_mut(i).ok_or_else(|| format!("{here} has {n} entries: index {i} does not exist ({range})"))?
        }
        _ => return Err(format!("{here} is a single value, not a table or list")),
    };
    if last {
        *slot = value.clone();
        return Ok(());
    }
    set_path(slot, parts, depth + 1, value)
}

/// Parses TOML into the raw config; errors become one line with the line number.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let msg = words::humanise(&e.message().replace('\n', " "));
        let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
        ConfigError::new("config", path.display(), format!("{at}{msg}"))
    })
}
