//! The sweep file, checked once into a [`SweepSpec`]: groups of points, each group a base
//! experiment (a `nanomag run` TOML file) plus axes. Every point's experiment is validated
//! before anything runs, so a bad value stops the sweep at once with a one-line error.
//!
//! ```toml
//! [[group]]
//! label = "magnets"                 # series name in the figures (default: base file stem)
//! base = "narma10.toml"             # relative to the sweep file
//! set = { "task.train" = 2000 }     # fixed overrides (dotted keys)
//! [[group.axis]]
//! key = "input.hold"                # any dotted config key, or `seed` (shifts every seed), or a
//!                                   # list of keys set together: ["lattice.nx", "lattice.ny"]
//! values = [1e-10, 3e-10]           # or linspace = [start, stop, n] / logspace = [start, stop, n]
//!                                   # (whole numbers in a range become integers)
//! ```

use crate::config::raw::RawConfig;
use crate::config::{apply_values, parse_toml};
use crate::error::ConfigError;
use crate::reservoir::config::{self as rc, ExperimentConfig};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSweep {
    #[serde(default)]
    group: Vec<RawGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    label: Option<String>,
    base: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
    #[serde(default)]
    axis: Vec<RawAxis>,
}

/// `key = "a.b"`, or `key = ["lattice.nx", "lattice.ny"]` to set several keys to each value.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum KeyOrKeys {
    One(String),
    Many(Vec<String>),
}

impl KeyOrKeys {
    /// The keys given (None for an empty list or no `key` at all).
    pub(crate) fn keys(key: Option<&KeyOrKeys>) -> Option<Vec<String>> {
        match key {
            Some(KeyOrKeys::One(k)) => Some(vec![k.clone()]),
            Some(KeyOrKeys::Many(k)) if !k.is_empty() => Some(k.clone()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAxis {
    key: Option<KeyOrKeys>,
    values: Option<Vec<toml::Value>>,
    linspace: Option<(f64, f64, i64)>,
    logspace: Option<(f64, f64, i64)>,
}

/// One swept parameter and its values; `keys` are all set to each value (paired keys, e.g.
/// lattice.nx and lattice.ny for square arrays).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub keys: Vec<String>,
    pub values: Vec<toml::Value>,
}

/// A base experiment and its axes.
#[derive(Debug, Clone)]
pub struct Group {
    pub label: String,
    pub base: PathBuf,
    pub set: Vec<(String, toml::Value)>,
    pub axes: Vec<Axis>,
}

/// One point: its global index (groups in file order, last axis fastest), its group and the
/// axis values.
#[derive(Debug, Clone)]
pub struct Point {
    pub index: usize,
    pub group: usize,
    pub params: Vec<(String, toml::Value)>,
}

/// A validated sweep: groups, points, and each point's experiment and config hash.
#[derive(Debug)]
pub struct SweepSpec {
    pub groups: Vec<Group>,
    pub points: Vec<Point>,
    pub configs: Vec<ExperimentConfig>,
    pub hashes: Vec<String>,
}

/// Largest number of points a sweep may have.
pub const MAX_POINTS: usize = 100_000;

fn range(key: &str, (a, b, n): (f64, f64, i64), log: bool) -> Result<Vec<toml::Value>, ConfigError> {
    let what = if log { "logspace" } else { "linspace" };
    let k = format!("{key}.{what}");
    if !(1..=10_000).contains(&n) || !a.is_finite() || !b.is_finite() || (log && (a <= 0.0 || b <= 0.0)) {
        return Err(ConfigError::new(
            k,
            format!("[{a}, {b}, {n}]"),
            format!("must be [start, stop, n] with finite ends{} and 1 ≤ n ≤ 10000", if log { " > 0" } else { "" }),
        ));
    }
    let f = |i: i64| if n == 1 { 0.0 } else { i as f64 / (n - 1) as f64 };
    Ok((0..n)
        .map(|i| {
            let v = if log { (a.ln() + f(i) * (b.ln() - a.ln())).exp() } else { a + f(i) * (b - a) };
            // Whole numbers become integers (for integer keys such as lattice.nx; float keys
            // accept them too).
            let whole = v.round();
            if (v - whole).abs() <= 1e-9 * whole.abs().max(1.0) && whole.abs() < 9e15 {
                toml::Value::Integer(whole as i64)
            } else {
                toml::Value::Float(v)
            }
        })
        .collect())
}

fn axis(g: usize, k: usize, raw: &RawAxis) -> Result<Axis, ConfigError> {
    let name = format!("group[{g}].axis[{k}]");
    let keys = KeyOrKeys::keys(raw.key.as_ref()).ok_or_else(|| {
        crate::config::checks::missing(
            &format!("{name}.key"),
            "a dotted config key such as input.hold (or a list of keys set together), or seed",
        )
    })?;
    if keys.len() > 1 && keys.iter().any(|k| k == "seed") {
        return Err(ConfigError::new(
            format!("{name}.key"),
            keys.join(", "),
            "seed is an axis of its own, not paired with other keys",
        ));
    }
    let key = keys.join(", ");
    let given = [raw.values.is_some(), raw.linspace.is_some(), raw.logspace.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ConfigError::new(
            &name,
            &key,
            "needs exactly one of values = [...], linspace = [a, b, n], logspace = [a, b, n]",
        ));
    }
    let values = match (&raw.values, raw.linspace, raw.logspace) {
        (Some(v), _, _) => v.clone(),
        (_, Some(r), _) => range(&name, r, false)?,
        (_, _, Some(r)) => range(&name, r, true)?,
        _ => unreachable!("exactly one is given"),
    };
    if values.is_empty() {
        return Err(ConfigError::new(format!("{name}.values"), "[]", "must list at least one value"));
    }
    if keys[0] == "seed" && values.iter().any(|v| v.as_integer().is_none_or(|s| s < 0)) {
        return Err(ConfigError::new(
            format!("{name}.values"),
            &key,
            "seed values must be integers ≥ 0 (shifts of every seed)",
        ));
    }
    Ok(Axis { keys, values })
}

/// The raw experiment of a point: the base file, the group's `set`, then the axis values;
/// a `seed` axis shifts every seed by its value (as `nanomag run --repeats` does).
pub fn point_raw(group: &Group, params: &[(String, toml::Value)]) -> Result<RawConfig, ConfigError> {
    let text =
        crate::io::read_input_text(&group.base).map_err(|e| ConfigError::new("base", group.base.display(), e))?;
    let mut table: toml::Table = parse_toml(&text, &group.base)?;
    let (seeds, rest): (Vec<_>, Vec<_>) = params.iter().cloned().partition(|(k, _)| k == "seed");
    let mut all = group.set.clone();
    all.extend(rest);
    apply_values(&mut table, &all)?;
    let raw: RawConfig = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
        let shown: Vec<String> = all.iter().map(|(k, v)| format!("{k}={v}")).collect();
        ConfigError::new(
            format!("group \"{}\"", group.label),
            shown.join(" "),
            crate::config::words::humanise(&e.message().replace('\n', " ")),
        )
    })?;
    Ok(match seeds.first().and_then(|(_, v)| v.as_integer()) {
        Some(shift) => rc::shifted_seeds(&raw, shift as u64),
        None => raw,
    })
}

/// SHA-256 of the resolved configuration (as JSON, keys sorted, unset keys dropped so that
/// adding an optional key to nanomag does not change existing points) and the nanomag
/// version, first 16 hex digits.
pub fn config_hash(cfg: &ExperimentConfig) -> String {
    use sha2::{Digest, Sha256};
    fn strip(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => serde_json::Value::Object(
                m.into_iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k, strip(x))).collect(),
            ),
            serde_json::Value::Array(a) => serde_json::Value::Array(a.into_iter().map(strip).collect()),
            other => other,
        }
    }
    let value = strip(serde_json::to_value(&cfg.resolved).unwrap_or_default());
    let text = serde_json::to_string(&value).unwrap_or_default();
    let digest = Sha256::digest(format!("nanomag {}\n{text}", env!("CARGO_PKG_VERSION")).as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Reads and validates a sweep file, and every point's experiment.
pub fn load(path: &Path) -> Result<SweepSpec, ConfigError> {
    let text = crate::io::read_input_text(path).map_err(|e| ConfigError::new("sweep", path.display(), e))?;
    let raw: RawSweep = parse_toml(&text, path)?;
    if raw.group.is_empty() {
        return Err(crate::config::checks::missing("group", "at least one [[group]] with base = \"experiment.toml\""));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut groups = Vec::new();
    for (g, rg) in raw.group.iter().enumerate() {
        let base = rg.base.clone().ok_or_else(|| {
            crate::config::checks::missing(&format!("group[{g}].base"), "the experiment file the group starts from")
        })?;
        let base = dir.join(base);
        let label =
            rg.label.clone().unwrap_or_else(|| base.file_stem().unwrap_or_default().to_string_lossy().into_owned());
        let axes = rg.axis.iter().enumerate().map(|(k, a)| axis(g, k, a)).collect::<Result<Vec<_>, _>>()?;
        groups.push(Group { label, base, set: rg.set.clone().into_iter().collect(), axes });
    }
    let mut points = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let n: usize = group.axes.iter().map(|a| a.values.len()).product();
        if points.len() + n > MAX_POINTS {
            return Err(ConfigError::new(
                "group",
                points.len() + n,
                format!("a sweep may have at most {MAX_POINTS} points"),
            ));
        }
        for i in 0..n {
            let mut rem = i;
            let mut params = Vec::new();
            for a in group.axes.iter().rev() {
                let v = &a.values[rem % a.values.len()];
                params.extend(a.keys.iter().rev().map(|k| (k.clone(), v.clone())));
                rem /= a.values.len();
            }
            params.reverse();
            points.push(Point { index: points.len(), group: g, params });
        }
    }
    let mut configs = Vec::with_capacity(points.len());
    for p in &points {
        let group = &groups[p.group];
        let raw = point_raw(group, &p.params)?;
        let base_dir = group.base.parent().unwrap_or(Path::new("."));
        let cfg = rc::validate(&raw, base_dir).map_err(|e| {
            let at: Vec<String> = p.params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            ConfigError::new(
                e.key,
                e.value,
                format!("{} (group \"{}\", point {}: {})", e.allowed, group.label, p.index, at.join(", ")),
            )
        })?;
        configs.push(cfg);
    }
    let hashes = configs.iter().map(config_hash).collect();
    Ok(SweepSpec { groups, points, configs, hashes })
}
