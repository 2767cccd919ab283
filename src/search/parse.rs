//! A search space written in TOML, as the axes of a sweep file are: one `[[param]]` table per
//! searched key (or list of keys set together), with exactly one of
//!
//! ```toml
//! [[param]]
//! key = "input.hold"                   # any dotted config key
//! range = [1e-10, 6e-10]               # a real range …
//! log = true                           # … searched in ln x (both ends > 0)
//!
//! [[param]]
//! key = ["lattice.nx", "lattice.ny"]   # keys set to the same value
//! int = [3, 8]                         # a whole-number range (log = true: in ln n, ends ≥ 1)
//!
//! [[param]]
//! key = "lattice.kind"
//! values = ["square", "kagome"]        # a list of choices (any TOML values)
//! ```
//!
//! A sub-region of the space (the initial design's `within`) narrows some parameters:
//! `{ "input.hold" = [5e-10, 6e-10], "lattice.kind" = ["kagome"] }`.

use super::space::{Dim, Param, Space};
use crate::error::ConfigError;
use crate::sweep::spec::KeyOrKeys;
use serde::Deserialize;

/// Most choices one parameter may list, and most values of a log-spaced integer range.
pub const MAX_VALUES: usize = 10_000;

/// One `[[param]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParam {
    key: Option<KeyOrKeys>,
    range: Option<(f64, f64)>,
    int: Option<(i64, i64)>,
    values: Option<Vec<toml::Value>>,
    #[serde(default)]
    log: bool,
}

fn keys_of(name: &str, raw: &RawParam) -> Result<Vec<String>, ConfigError> {
    let keys = KeyOrKeys::keys(raw.key.as_ref()).ok_or_else(|| {
        crate::config::checks::missing(
            &format!("{name}.key"),
            "a dotted config key such as input.hold, or a list of keys set together",
        )
    })?;
    if let Some(k) = keys.iter().find(|k| *k == "seed" || k.ends_with(".seed") || k.ends_with("_seed")) {
        return Err(ConfigError::new(
            format!("{name}.key"),
            k,
            "a seed is not a design choice: the runs of every design share the seeds of --repeats",
        ));
    }
    if let Some(k) = keys.iter().find(|k| k.is_empty() || k.split('.').any(str::is_empty)) {
        return Err(ConfigError::new(format!("{name}.key"), format!("\"{k}\""), "must be a dotted config key"));
    }
    Ok(keys)
}

fn real(name: &str, (lo, hi): (f64, f64), log: bool) -> Result<Dim, ConfigError> {
    if !(lo.is_finite() && hi.is_finite() && lo < hi && (!log || lo > 0.0)) {
        let need = if log { "finite numbers 0 < lo < hi (log = true)" } else { "finite numbers lo < hi" };
        return Err(ConfigError::new(
            format!("{name}.range"),
            format!("[{lo}, {hi}]"),
            format!("must be [lo, hi] with {need}"),
        ));
    }
    Ok(Dim::Real { lo, hi, log })
}

fn int(name: &str, (lo, hi): (i64, i64), log: bool) -> Result<Dim, ConfigError> {
    let big = i32::MAX as i64;
    let fits = lo < hi && lo >= -big && hi <= big && (!log || (lo >= 1 && hi - lo < MAX_VALUES as i64));
    if !fits {
        let need = if log {
            format!("whole numbers 1 ≤ lo < hi, at most {MAX_VALUES} values (log = true)")
        } else {
            format!("whole numbers lo < hi within ±{big}")
        };
        return Err(ConfigError::new(
            format!("{name}.int"),
            format!("[{lo}, {hi}]"),
            format!("must be [lo, hi] with {need}"),
        ));
    }
    Ok(Dim::Int { lo, hi, log })
}

fn choices(name: &str, values: &[toml::Value], log: bool) -> Result<Dim, ConfigError> {
    let key = format!("{name}.values");
    if log {
        return Err(ConfigError::new(
            format!("{name}.log"),
            "true",
            "applies to range and int, not to a list of values",
        ));
    }
    if values.is_empty() || values.len() > MAX_VALUES {
        return Err(ConfigError::new(key, values.len(), format!("must list 1 to {MAX_VALUES} choices")));
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(ConfigError::new(key, v, "lists this choice twice"));
        }
    }
    Ok(Dim::Choice(values.to_vec()))
}

/// The checked parameter of table `name` (e.g. `param[2]`).
pub fn param(name: &str, raw: &RawParam) -> Result<Param, ConfigError> {
    let keys = keys_of(name, raw)?;
    let given = [raw.range.is_some(), raw.int.is_some(), raw.values.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(ConfigError::new(
            name,
            keys.join(", "),
            "needs exactly one of range = [lo, hi], int = [lo, hi], values = [...]",
        ));
    }
    let dim = match (raw.range, raw.int, &raw.values) {
        (Some(r), _, _) => real(name, r, raw.log)?,
        (_, Some(r), _) => int(name, r, raw.log)?,
        (_, _, Some(v)) => choices(name, v, raw.log)?,
        _ => unreachable!("exactly one is given"),
    };
    Ok(Param { key: keys[0].clone(), also: keys[1..].to_vec(), dim })
}

/// The space of the `[[param]]` tables: at least one, no key searched twice.
pub fn space(raws: &[RawParam]) -> Result<Space, ConfigError> {
    if raws.is_empty() {
        return Err(crate::config::checks::missing(
            "param",
            "at least one [[param]] with a key and a range, int or values",
        ));
    }
    let mut params: Vec<Param> = Vec::new();
    for (i, r) in raws.iter().enumerate() {
        let name = format!("param[{i}]");
        let p = param(&name, r)?;
        if let Some(k) = p.keys().find(|k| params.iter().any(|q| q.keys().any(|x| x == *k))) {
            return Err(ConfigError::new(
                format!("{name}.key"),
                k,
                "is searched twice (each key in one [[param]] only)",
            ));
        }
        params.push(p);
    }
    Ok(Space { params })
}

fn number(v: &toml::Value) -> Option<f64> {
    v.as_float().or(v.as_integer().map(|i| i as f64))
}

/// `dim` narrowed to `v`: [lo, hi] inside a range, or a non-empty subset of the choices.
fn narrow(key: &str, dim: &Dim, v: &toml::Value) -> Result<Dim, ConfigError> {
    let list = v.as_array().cloned().unwrap_or_default();
    let pair =
        || -> Option<(f64, f64)> { (list.len() == 2).then(|| Some((number(&list[0])?, number(&list[1])?))).flatten() };
    let shown = v.to_string();
    match dim {
        Dim::Real { lo, hi, log } => match pair() {
            Some((a, b)) if *lo <= a && a < b && b <= *hi => Ok(Dim::Real { lo: a, hi: b, log: *log }),
            _ => Err(ConfigError::new(key, shown, format!("must be [a, b] with {lo} ≤ a < b ≤ {hi}"))),
        },
        Dim::Int { lo, hi, log } => match pair() {
            Some((a, b)) if a.fract() == 0.0 && b.fract() == 0.0 && *lo as f64 <= a && a <= b && b <= *hi as f64 => {
                Ok(Dim::Int { lo: a as i64, hi: b as i64, log: *log })
            }
            _ => Err(ConfigError::new(key, shown, format!("must be [a, b], whole numbers with {lo} ≤ a ≤ b ≤ {hi}"))),
        },
        Dim::Choice(c) => {
            if list.is_empty() || list.iter().any(|x| !c.contains(x)) {
                let all: Vec<String> = c.iter().map(|x| x.to_string()).collect();
                return Err(ConfigError::new(
                    key,
                    shown,
                    format!("must be a non-empty list of the choices [{}]", all.join(", ")),
                ));
            }
            Ok(Dim::Choice(list))
        }
    }
}

impl Space {
    /// The space with some parameters narrowed (`within`: a key of a parameter, or one of its
    /// paired keys, to [a, b] or a list of choices); `name` is the table's name for errors.
    pub fn narrowed(&self, name: &str, within: &toml::Table) -> Result<Space, ConfigError> {
        let mut out = self.clone();
        for (k, v) in within {
            let at = format!("{name}.\"{k}\"");
            let Some(p) = out.params.iter_mut().find(|p| p.keys().any(|x| x == k)) else {
                return Err(ConfigError::new(at, v, "is not a key of any [[param]]"));
            };
            p.dim = narrow(&at, &p.dim, v)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Space, ConfigError> {
        #[derive(Deserialize)]
        struct F {
            param: Vec<RawParam>,
        }
        let f: F = toml::from_str(text).unwrap();
        space(&f.param)
    }

    #[test]
    fn parses_every_kind_and_refuses_bad_tables() {
        let s = parse(
            "[[param]]\nkey = \"input.hold\"\nrange = [1e-10, 6e-10]\nlog = true\n\
             [[param]]\nkey = [\"lattice.nx\", \"lattice.ny\"]\nint = [3, 8]\n\
             [[param]]\nkey = \"lattice.kind\"\nvalues = [\"square\", \"kagome\"]\n",
        )
        .unwrap();
        assert_eq!(s.params.len(), 3);
        assert_eq!(s.params[1].name(), "lattice.nx, lattice.ny");
        assert_eq!(s.params[0].dim, Dim::Real { lo: 1e-10, hi: 6e-10, log: true });
        for (bad, key) in [
            ("[[param]]\nkey = \"a.b\"\nrange = [1.0, 1.0]\n", "param[0].range"),
            ("[[param]]\nkey = \"a.b\"\nrange = [0.0, 1.0]\nlog = true\n", "param[0].range"),
            ("[[param]]\nkey = \"a.b\"\nint = [1, 5]\nrange = [0.0, 1.0]\n", "param[0]"),
            ("[[param]]\nkey = \"task.seed\"\nint = [1, 5]\n", "param[0].key"),
            ("[[param]]\nkey = \"a.b\"\nvalues = [1, 1]\n", "param[0].values"),
            ("[[param]]\nkey = \"a\"\nint = [1, 5]\n[[param]]\nkey = [\"b\", \"a\"]\nint = [1, 5]\n", "param[1].key"),
        ] {
            assert_eq!(parse(bad).unwrap_err().key, key, "{bad}");
        }
    }

    #[test]
    fn unit_coordinates_invert_and_narrowing_checks() {
        let s = parse(
            "[[param]]\nkey = \"a\"\nrange = [1e-3, 1.0]\nlog = true\n[[param]]\nkey = \"b\"\nint = [1, 100]\nlog = true\n\
             [[param]]\nkey = \"c\"\nint = [-3, 4]\n[[param]]\nkey = \"d\"\nvalues = [\"x\", \"y\", 3]\n",
        )
        .unwrap();
        for p in &s.params {
            for k in 0..=200 {
                let v = p.dim.from_unit(k as f64 / 200.0);
                let u = p.dim.to_unit(&v).unwrap();
                assert_eq!(p.dim.from_unit(u), v, "{} at {k}", p.key);
            }
        }
        let mut w = toml::Table::new();
        w.insert("a".into(), toml::Value::try_from([0.1, 0.2]).unwrap());
        w.insert("d".into(), toml::Value::try_from(["y"]).unwrap());
        let n = s.narrowed("within", &w).unwrap();
        assert_eq!(n.params[0].dim, Dim::Real { lo: 0.1, hi: 0.2, log: true });
        assert_eq!(n.params[3].dim, Dim::Choice(vec!["y".into()]));
        w.insert("a".into(), toml::Value::try_from([0.1, 2.0]).unwrap());
        assert_eq!(s.narrowed("within", &w).unwrap_err().key, "within.\"a\"");
    }
}
