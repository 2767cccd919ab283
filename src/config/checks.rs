//! Small checkers used by validation: each returns the value or a [`ConfigError`] naming the
//! key, the value and what is allowed.

use crate::error::ConfigError;
use nalgebra::Vector3;

/// A number as a user would write it: plain for ordinary magnitudes, else scientific.
pub fn show(v: f64) -> String {
    if v == 0.0 || (1e-3..1e6).contains(&v.abs()) || !v.is_finite() {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

fn finite(key: &str, v: f64) -> Result<f64, ConfigError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ConfigError::new(key, show(v), "must be a finite number"))
    }
}

/// v > 0, finite.
pub fn positive(key: &str, v: f64, unit: &str) -> Result<f64, ConfigError> {
    let v = finite(key, v)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(ConfigError::new(key, show(v), format!("must be > 0 ({unit})")))
    }
}

/// lo ≤ v ≤ hi (closed), finite.
pub fn in_range(key: &str, v: f64, lo: f64, hi: f64, unit: &str) -> Result<f64, ConfigError> {
    let v = finite(key, v)?;
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(ConfigError::new(key, show(v), format!("must be in [{}, {}] {unit}", show(lo), show(hi))))
    }
}

/// An integer count lo ≤ n ≤ hi.
pub fn count(key: &str, n: i64, lo: i64, hi: i64) -> Result<usize, ConfigError> {
    if (lo..=hi).contains(&n) {
        Ok(n as usize)
    } else {
        Err(ConfigError::new(key, n, format!("must be a whole number from {lo} to {hi}")))
    }
}

/// A seed: any integer ≥ 0.
pub fn seed(key: &str, n: i64) -> Result<u64, ConfigError> {
    if n >= 0 {
        Ok(n as u64)
    } else {
        Err(ConfigError::new(key, n, "must be a whole number ≥ 0"))
    }
}

/// A 3-vector of finite numbers.
pub fn vec3(key: &str, v: &[f64]) -> Result<Vector3<f64>, ConfigError> {
    if v.len() != 3 {
        return Err(ConfigError::new(key, format!("{v:?}"), "must be a list of 3 numbers [x, y, z]"));
    }
    if v.iter().any(|c| !c.is_finite()) {
        return Err(ConfigError::new(key, format!("{v:?}"), "must hold finite numbers"));
    }
    Ok(Vector3::new(v[0], v[1], v[2]))
}

/// One of a list of names.
pub fn one_of<'a>(key: &str, v: &'a str, allowed: &[&str]) -> Result<&'a str, ConfigError> {
    if allowed.contains(&v) {
        Ok(v)
    } else {
        Err(ConfigError::new(key, format!("\"{v}\""), format!("must be one of {}", allowed.join(", "))))
    }
}

/// Error for a key that the chosen kind needs but that is missing.
pub fn missing(key: &str, what: &str) -> ConfigError {
    ConfigError::new(key, "(missing)", format!("is required: {what}"))
}

/// The entry named `kind` of a registry of (name, constructor) pairs, or an error listing
/// every registered name.
pub fn registered<T: Copy>(key: &str, kind: &str, registry: &[(&str, T)]) -> Result<T, ConfigError> {
    let names: Vec<&str> = registry.iter().map(|(n, _)| *n).collect();
    one_of(key, kind, &names)?;
    Ok(registry.iter().find(|(n, _)| *n == kind).map(|(_, c)| *c).expect("checked by one_of"))
}
