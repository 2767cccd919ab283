//! `[init]`: the initial magnetisation (easy axis, random, one vector, a previous run's state,
//! vortices) and the optional relaxation before the protocol. Defaults, units, ranges:
//! docs/config.md.

use super::checks::{in_range, missing, one_of, seed, vec3};
use super::raw::RawConfig;
use super::{Init, Relax, StateSource};
use crate::engine::Minimiser;
use crate::error::ConfigError;
use crate::lattice::{DisorderSpec, Lattice};
use std::path::Path;

/// Validates `init.kind` and its keys for the engine `entry`, filling `res`.
pub fn validate(
    raw: &RawConfig,
    res: &mut RawConfig,
    base_dir: &Path,
    entry: &super::plugin::Entry,
    lattice: &dyn Lattice,
    disorder: &DisorderSpec,
) -> Result<Init, ConfigError> {
    let ri = &raw.init;
    let Some(kind) = ri.kind.as_deref() else {
        refuse_carried_state(raw, base_dir)?;
        res.init.kind = Some("easy".into());
        return only_keys_of("easy", raw).map(|_| Init::Easy);
    };
    let kind = one_of("init.kind", kind, entry.init_kinds)?;
    only_keys_of(kind, raw)?;
    let init = match kind {
        "easy" => Init::Easy,
        "random" => {
            let s = seed("init.seed", ri.seed.unwrap_or(disorder.seed as i64))?;
            res.init.seed = Some(s as i64);
            Init::Random { seed: s }
        }
        "vector" => {
            let m = vec3(
                "init.m",
                ri.m.as_deref().ok_or_else(|| missing("init.m", "init.kind = \"vector\" needs m = [x, y, z]"))?,
            )?;
            if m.norm() < 1e-12 {
                return Err(ConfigError::new("init.m", format!("{:?}", [m.x, m.y, m.z]), "must be a non-zero vector"));
            }
            Init::Vector(m.normalize())
        }
        "vortex" => vortex(raw, lattice, disorder)?,
        _ => Init::State(state(raw, base_dir, lattice, disorder)?),
    };
    res.init.kind = Some(kind.to_string());
    Ok(init)
}

/// Keys of `[init]` that only some kinds read are refused for the others.
fn only_keys_of(kind: &str, raw: &RawConfig) -> Result<(), ConfigError> {
    let ri = &raw.init;
    let keys = [
        ("init.m", ri.m.is_some(), &["vector"][..]),
        ("init.seed", ri.seed.is_some(), &["random"][..]),
        ("init.file", ri.file.is_some(), &["state", "ovf"][..]),
        ("init.circulation", ri.circulation.is_some(), &["vortex"][..]),
        ("init.polarity", ri.polarity.is_some(), &["vortex"][..]),
    ];
    match keys.iter().find(|(_, set, kinds)| *set && !kinds.contains(&kind)) {
        Some((key, _, kinds)) => Err(ConfigError::new(
            *key,
            "(set)",
            format!("is only read with init.kind = \"{}\" (here \"{kind}\")", kinds.join("\" or \"")),
        )),
        None => Ok(()),
    }
}

/// A custom lattice whose file carries mx, my, mz must say whether to start from them.
fn refuse_carried_state(raw: &RawConfig, base_dir: &Path) -> Result<(), ConfigError> {
    let Some(f) = raw.lattice.file.as_deref() else { return Ok(()) };
    if crate::io::magnets::has_magnetisation(&base_dir.join(f)) {
        return Err(ConfigError::new(
            "init.kind",
            "(not set)",
            format!(
                "must be given: lattice.file = \"{f}\" carries mx, my, mz; set init.kind = \"state\" with init.file = \"{f}\" to start from them, or init.kind = \"easy\" to ignore them"
            ),
        ));
    }
    Ok(())
}

/// `init.kind = "state"` (or the older "ovf"): magnets.csv checked against the islands, or an
/// OVF file checked against the mesh when the engine is built.
fn state(
    raw: &RawConfig,
    base_dir: &Path,
    lattice: &dyn Lattice,
    disorder: &DisorderSpec,
) -> Result<StateSource, ConfigError> {
    let f = raw.init.file.as_deref().ok_or_else(|| {
        missing("init.file", "init.kind = \"state\" needs file = \"magnets.csv\" (island engines) or \"m_final.ovf\"")
    })?;
    let p = base_dir.join(f);
    if !p.is_file() {
        return Err(ConfigError::new("init.file", f, format!("does not exist (looked for {})", p.display())));
    }
    let is_ovf = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ovf") || e.eq_ignore_ascii_case("omf"));
    if is_ovf || raw.init.kind.as_deref() == Some("ovf") {
        return Ok(StateSource::Ovf(p));
    }
    let islands = crate::lattice::build(lattice, disorder)?;
    let m = crate::io::magnets::read_state(&p, &islands).map_err(|why| ConfigError::new("init.file", f, why))?;
    Ok(StateSource::Islands { file: p, m })
}

/// One value for every island, or a list with one per island, each in `allowed`.
fn per_island(
    key: &str,
    v: Option<&toml::Value>,
    default: f64,
    n: usize,
    allowed: &[f64],
) -> Result<Vec<f64>, ConfigError> {
    let bad = |shown: String| {
        let list: Vec<String> = allowed.iter().map(|a| format!("{a}")).collect();
        ConfigError::new(
            key,
            shown,
            format!("must be one of {} or a list of {n} of them (one per island)", list.join(", ")),
        )
    };
    let num = |x: &toml::Value| x.as_integer().map(|i| i as f64).or_else(|| x.as_float());
    let values = match v {
        None => vec![default; n],
        Some(toml::Value::Array(a)) => {
            if a.len() != n {
                return Err(bad(format!("a list of {}", a.len())));
            }
            a.iter().map(|x| num(x).ok_or_else(|| bad(x.to_string()))).collect::<Result<_, _>>()?
        }
        Some(x) => vec![num(x).ok_or_else(|| bad(x.to_string()))?; n],
    };
    match values.iter().find(|x| !allowed.contains(x)) {
        Some(x) => Err(bad(format!("{x}"))),
        None => Ok(values),
    }
}

/// `init.kind = "vortex"`: circulation and polarity per island.
fn vortex(raw: &RawConfig, lattice: &dyn Lattice, disorder: &DisorderSpec) -> Result<Init, ConfigError> {
    let n = crate::lattice::build(lattice, disorder)?.len();
    let circulation = per_island("init.circulation", raw.init.circulation.as_ref(), 1.0, n, &[-1.0, 0.0, 1.0])?;
    let polarity = per_island("init.polarity", raw.init.polarity.as_ref(), 1.0, n, &[-1.0, 1.0])?;
    Ok(Init::Vortex { circulation, polarity })
}

/// `init.relax`, `relax_torque`, `relax_field`, `minimiser`.
pub fn relax(raw: &RawConfig, res: &mut RawConfig) -> Result<Option<Relax>, ConfigError> {
    let ri = &raw.init;
    if !ri.relax.unwrap_or(false) {
        let extra = [
            ("init.relax_torque", ri.relax_torque.is_some()),
            ("init.relax_field", ri.relax_field.is_some()),
            ("init.minimiser", ri.minimiser.is_some()),
        ];
        if let Some((key, _)) = extra.iter().find(|(_, set)| *set) {
            return Err(ConfigError::new(*key, "(set)", "is only used with init.relax = true"));
        }
        return Ok(None);
    }
    // Below ~1e-10 T the torque is rounding noise (|m × B| of unit m in fields of ~1 T, in
    // double precision): such a relaxation could never finish.
    let max_torque = in_range("init.relax_torque", ri.relax_torque.unwrap_or(1e-4), 1e-10, 1.0, "T")?;
    let field = match ri.relax_field.as_deref() {
        Some(b) => {
            let v = vec3("init.relax_field", b)?;
            in_range("init.relax_field", v.norm(), 0.0, 100.0, "T (|B|)")?;
            v
        }
        None => nalgebra::Vector3::zeros(),
    };
    let name = one_of("init.minimiser", ri.minimiser.as_deref().unwrap_or("bb"), &["bb", "descent"])?;
    let minimiser = if name == "bb" { Minimiser::BarzilaiBorwein } else { Minimiser::Descent };
    res.init.relax_torque = Some(max_torque);
    res.init.minimiser = Some(name.into());
    Ok(Some(Relax { max_torque, minimiser, field }))
}
