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

/// The keys set (not null) in a raw section, as dotted names `section.key`, in field order.
pub fn keys_set<T: serde::Serialize>(raw: &T) -> Vec<String> {
    match serde_json::to_value(raw) {
        Ok(serde_json::Value::Object(m)) => m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect(),
        _ => Vec::new(),
    }
}

/// One rule for kind-specific keys: every key set in `raw` (section `section`) must be one of
/// `common` or owned by the chosen `kind` (`owners`: each registered kind and the keys it
/// owns). A key of another kind, or of none, is refused with one line naming it and its owners.
///
/// ```
/// use nanomag::config::checks::owned_keys;
/// let owners: &[(&str, &[&str])] = &[("esn", &["n"]), ("delay_line", &["taps"])];
/// let raw = serde_json::json!({ "kind": "esn", "taps": 4 });
/// let e = owned_keys("reservoir", &raw, "esn", owners, &["kind"]).unwrap_err();
/// assert_eq!(e.key, "reservoir.taps");
/// assert!(e.allowed.contains("delay_line"));
/// ```
pub fn owned_keys<T: serde::Serialize>(
    section: &str,
    raw: &T,
    kind: &str,
    owners: &[(&str, &[&str])],
    common: &[&str],
) -> Result<(), ConfigError> {
    let mine = owners.iter().find(|(k, _)| *k == kind).map(|(_, keys)| *keys).unwrap_or(&[]);
    for key in keys_set(raw) {
        if common.contains(&key.as_str()) || mine.contains(&key.as_str()) {
            continue;
        }
        let others: Vec<String> =
            owners.iter().filter(|(_, keys)| keys.contains(&key.as_str())).map(|(k, _)| format!("\"{k}\"")).collect();
        let allowed = if others.is_empty() {
            format!("is not a key of {section}.kind = \"{kind}\" (nor of any other kind): remove it")
        } else {
            format!("applies to {section}.kind = {}, not \"{kind}\": remove it", others.join(" or "))
        };
        return Err(ConfigError::new(format!("{section}.{key}"), "(set)", allowed));
    }
    Ok(())
}
