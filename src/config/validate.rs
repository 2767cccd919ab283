//! Raw → checked. Each key is checked here once, with its default filled into `resolved`.

use super::checks::{in_range, missing, one_of, positive, seed, vec3};
use super::plugin::Entry;
use super::raw::{RawConfig, RawField};
use super::*;
use crate::constants::{GAMMA, MU0};
use crate::engine;
use crate::io::ovf::OvfFormat;
use crate::lattice::{self, DisorderSpec};
use crate::protocol::Segment;

/// The most output rows a run may ask for (duration / output.interval).
pub const MAX_ROWS: f64 = 1e7;
/// Smallest fixed time step (s).
pub const MIN_DT: f64 = 1e-18;

/// Largest rotation per fixed step, γ·B·dt (rad), that rk4/heun are allowed to take.
pub const MAX_ROTATION_PER_STEP: f64 = 0.2;

/// Validates a `simulate` config: the system sections plus `[[field]]` and `[output]`.
pub fn validate_with(raw: &RawConfig, base_dir: &Path, engines: &[&Entry]) -> Result<SimConfig, ConfigError> {
    raw.refuse_run_sections()?;

    if raw.field.is_empty() && raw.init.relax != Some(true) {
        return Err(missing(
            "field",
            "at least one [[field]] segment (kind = \"constant\", b = [bx, by, bz], duration = …), or init.relax = true for a relaxation only",
        ));
    }
    let segments = raw.field.iter().enumerate().map(|(k, f)| segment(k, f)).collect::<Result<Vec<_>, _>>()?;
    let protocol = Protocol::new(segments);
    let b_max = protocol.segments().iter().map(max_field).fold(0.0, f64::max);
    let mut cfg = validate_system_with(raw, base_dir, b_max, engines)?;

    let interval = positive("output.interval", raw.output.interval.unwrap_or(1e-12), "s")?;
    if protocol.duration() / interval > MAX_ROWS {
        return Err(ConfigError::new(
            "output.interval",
            super::checks::show(interval),
            format!(
                "gives more than {MAX_ROWS:e} rows for a {:.3e} s protocol: must be ≥ {:.3e} s",
                protocol.duration(),
                protocol.duration() / MAX_ROWS
            ),
        ));
    }
    cfg.resolved.output.interval = Some(interval);
    (cfg.protocol, cfg.output_interval) = (protocol, interval);
    Ok(cfg)
}

/// Validates the sections that describe the magnet system (material, magnet, lattice,
/// coupling, temperature, init, solver). `b_max` (T) is the largest applied field the run will
/// use, for the fixed-step check. The protocol is left empty and the output interval 0: the
/// caller (`simulate`, or the reservoir's encoder) sets them.
pub fn validate_system_with(
    raw: &RawConfig,
    base_dir: &Path,
    b_max: f64,
    engines: &[&Entry],
) -> Result<SimConfig, ConfigError> {
    refuse_unknown_sections(raw, engines)?;
    let mut res = raw.clone();
    let material = material(raw, &mut res)?;
    let (ms, ku) = (material.ms, material.ku);
    let magnet = magnet(raw, &mut res)?;

    let lattice = lattice::from_config(&raw.lattice, &magnet, base_dir)?;
    let disorder = DisorderSpec::from_raw(&raw.lattice)?;
    res.lattice.kind = Some(lattice.name().to_string());
    res.lattice.seed = Some(disorder.seed as i64);
    res.lattice.spacing = Some(lattice.spacing());

    let coupling = coupling(raw, &mut res)?;

    let temperature = temperature(raw, &mut res, disorder.seed)?;
    let t = temperature.t;
    let entry = engine_entry(raw, engines)?;
    refuse_foreign_keys(raw, entry, engines)?;
    let init = super::init::validate(raw, &mut res, base_dir, entry, lattice.as_ref(), &disorder)?;
    let relax = super::init::relax(raw, &mut res)?;
    let solver = solver(raw, &mut res, entry, t)?;
    let b_max = b_max.max(relax.map_or(0.0, |r| r.field.norm()));
    let b_scale = b_max + MU0 * ms + 2.0 * ku.abs() / ms;
    if solver.method.fixed() && !entry.methods.is_empty() {
        check_dt(solver.dt, b_scale)?;
    }
    let common = engine::Common { b_max, ms, ku, b_scale, fixed_dt: solver.method.fixed().then_some(solver.dt) };
    let engine_spec = EngineSpecBox((entry.validate)(raw, &mut res, base_dir, &common)?);
    let snapshots = snapshots(raw, &mut res, entry)?;
    let (history, animation) = history(raw)?;

    Ok(SimConfig {
        engine: entry.name,
        engine_spec,
        material,
        magnet,
        lattice,
        disorder,
        coupling,
        temperature,
        init,
        relax,
        solver,
        protocol: Protocol::default(),
        output_interval: 0.0,
        history,
        animation,
        snapshots,
        resolved: res,
    })
}

/// `[material]`: Ms (A/m), α, K_u (J/m³), with their defaults filled into `res`.
fn material(raw: &RawConfig, res: &mut RawConfig) -> Result<Material, ConfigError> {
    let ms = in_range("material.ms", raw.material.ms.unwrap_or(8.0e5), 1.0, 1e7, "A/m")?;
    let alpha = in_range("material.alpha", raw.material.alpha.unwrap_or(0.01), 0.0, 10.0, "(dimensionless)")?;
    let ku = in_range("material.ku", raw.material.ku.unwrap_or(0.0), -1e7, 1e7, "J/m³")?;
    (res.material.ms, res.material.alpha, res.material.ku) = (Some(ms), Some(alpha), Some(ku));

    Ok(Material { ms, alpha, ku })
}

/// `[magnet]`: the default island shape and size (m).
fn magnet(raw: &RawConfig, res: &mut RawConfig) -> Result<MagnetSpec, ConfigError> {
    let shape_name = raw.magnet.shape.as_deref().unwrap_or("prism");
    let shape = Shape::parse(one_of("magnet.shape", shape_name, &["prism", "ellipse"])?).unwrap_or(Shape::Prism);
    let length = in_range("magnet.length", raw.magnet.length.unwrap_or(220e-9), 1e-9, 1e-5, "m")?;
    let width = in_range("magnet.width", raw.magnet.width.unwrap_or(80e-9), 1e-9, length, "m (≤ magnet.length)")?;
    let thickness = in_range("magnet.thickness", raw.magnet.thickness.unwrap_or(20e-9), 1e-10, 1e-6, "m")?;
    res.magnet.shape = Some(shape_name.to_string());
    (res.magnet.length, res.magnet.width, res.magnet.thickness) = (Some(length), Some(width), Some(thickness));

    Ok(MagnetSpec { shape, length, width, thickness })
}

/// `[coupling]`: point dipoles within a cutoff (lattice spacings), or none.
fn coupling(raw: &RawConfig, res: &mut RawConfig) -> Result<Coupling, ConfigError> {
    let ckind = one_of("coupling.kind", raw.coupling.kind.as_deref().unwrap_or("dipole"), &["dipole", "none"])?;
    let coupling = if ckind == "none" {
        Coupling::None
    } else {
        let c = raw.coupling.cutoff.unwrap_or(3.0);
        if c.is_nan() || c < 0.5 {
            return Err(ConfigError::new(
                "coupling.cutoff",
                super::checks::show(c),
                "must be ≥ 0.5 (units of lattice.spacing) or inf for all pairs",
            ));
        }
        res.coupling.cutoff = Some(c);
        Coupling::Dipole { cutoff: c }
    };
    res.coupling.kind = Some(ckind.to_string());
    Ok(coupling)
}

/// `output.history` and `output.animation` (which needs the npy history).
fn history(raw: &RawConfig) -> Result<(History, bool), ConfigError> {
    let history =
        match one_of("output.history", raw.output.history.as_deref().unwrap_or("none"), &["none", "npy", "csv"])? {
            "npy" => History::Npy,
            "csv" => History::Csv,
            _ => History::None,
        };
    let animation = raw.output.animation.unwrap_or(false);
    if animation && history != History::Npy {
        return Err(ConfigError::new(
            "output.animation",
            "true",
            "draws the history: set output.history = \"npy\" too",
        ));
    }
    Ok((history, animation))
}

/// `[temperature]`: T (K) and the seed of the thermal noise (default: the lattice seed).
fn temperature(raw: &RawConfig, res: &mut RawConfig, lattice_seed: u64) -> Result<Temperature, ConfigError> {
    let t = in_range("temperature.t", raw.temperature.t.unwrap_or(0.0), 0.0, 2000.0, "K")?;
    let tseed = seed("temperature.seed", raw.temperature.seed.unwrap_or(lattice_seed as i64))?;
    (res.temperature.t, res.temperature.seed) = (Some(t), Some(tseed as i64));
    Ok(Temperature { t, seed: tseed })
}

/// `solver.kind`: the registered engine it names (default: the first).
fn engine_entry<'a>(raw: &RawConfig, engines: &[&'a Entry]) -> Result<&'a Entry, ConfigError> {
    let kind_name = raw.solver.kind.as_deref().unwrap_or(engines[0].name);
    let names: Vec<&str> = engines.iter().map(|e| e.name).collect();
    let kind = one_of("solver.kind", kind_name, &names)?;
    Ok(*engines.iter().find(|e| e.name == kind).expect("name from the list"))
}

/// `output.snapshot_interval` (s) and `output.ovf_format` of an engine with cells (other
/// engines refuse them as another engine's keys), the format's default filled into `res`.
fn snapshots(raw: &RawConfig, res: &mut RawConfig, entry: &Entry) -> Result<Snapshots, ConfigError> {
    if !entry.cells {
        return Ok(Snapshots::default());
    }
    let interval = raw.output.snapshot_interval.map(|v| positive("output.snapshot_interval", v, "s")).transpose()?;
    let name = raw.output.ovf_format.as_deref().unwrap_or("binary4");
    let format = OvfFormat::parse(one_of("output.ovf_format", name, &["binary4", "binary8", "text"])?)
        .unwrap_or(OvfFormat::Binary4);
    res.output.ovf_format = Some(name.to_string());
    Ok(Snapshots { interval, format })
}

/// A top-level table that is neither a shared section nor owned by a registered engine is
/// refused, naming what is allowed.
fn refuse_unknown_sections(raw: &RawConfig, engines: &[&Entry]) -> Result<(), ConfigError> {
    let Some(name) = raw.sections.keys().find(|k| !engines.iter().any(|e| e.sections.contains(&k.as_str()))) else {
        return Ok(());
    };
    let mut allowed: Vec<String> = super::raw::SHARED_SECTIONS.iter().map(|s| s.to_string()).collect();
    for e in engines {
        allowed.extend(e.sections.iter().map(|s| format!("{s} (the {} engine)", e.name)));
    }
    Err(ConfigError::new(
        name.as_str(),
        format!("[{name}]"),
        format!("is not a section nanomag knows: allowed are {}", allowed.join(", ")),
    ))
}

/// Keys that only other engines read are refused, naming the engine they belong to.
fn refuse_foreign_keys(raw: &RawConfig, entry: &Entry, engines: &[&Entry]) -> Result<(), ConfigError> {
    let mine = (entry.owned_keys)(raw);
    for other in engines.iter().filter(|e| e.name != entry.name) {
        if let Some(key) = (other.owned_keys)(raw).into_iter().find(|k| !mine.contains(k)) {
            return Err(ConfigError::new(
                key,
                "(set)",
                format!(
                    "is a key of the {} engine: add [solver] kind = \"{}\", or remove it for the {} engine",
                    other.name, other.name, entry.name
                ),
            ));
        }
    }
    Ok(())
}

/// `[solver]`: method (the engine's first method by default), steps and tolerances.
fn solver(raw: &RawConfig, res: &mut RawConfig, entry: &Entry, t: f64) -> Result<Solver, ConfigError> {
    if entry.methods.is_empty() {
        // An engine without a time stepper (switching, kmc) refuses the stepper's keys.
        let set = [
            ("solver.method", raw.solver.method.is_some()),
            ("solver.dt", raw.solver.dt.is_some()),
            ("solver.rtol", raw.solver.rtol.is_some()),
            ("solver.atol", raw.solver.atol.is_some()),
            ("solver.max_err", raw.solver.max_err.is_some()),
            ("solver.error_norm", raw.solver.error_norm.is_some()),
        ];
        if let Some((key, _)) = set.iter().find(|(_, s)| *s) {
            return Err(ConfigError::new(
                *key,
                "(set)",
                format!("is a time-stepper key: the {} engine has no time stepper", entry.name),
            ));
        }
        return Ok(Solver {
            method: Method::Rk45,
            dt: 1e-13,
            rtol: 1e-8,
            atol: 1e-10,
            max_err: 1e-5,
            norm: StepNorm::MaxDm,
        });
    }
    let name = one_of("solver.method", raw.solver.method.as_deref().unwrap_or(entry.methods[0]), entry.methods)?;
    let method = Method::parse(name).expect("registered methods are known");
    if t > 0.0 && method != Method::Heun {
        return Err(ConfigError::new(
            "solver.method",
            method.name(),
            "temperature.t > 0 needs method = \"heun\" (the stochastic scheme)",
        ));
    }
    let dt = positive("solver.dt", raw.solver.dt.unwrap_or(1e-13), "s")?;
    if dt < MIN_DT {
        return Err(ConfigError::new(
            "solver.dt",
            super::checks::show(dt),
            format!("must be ≥ {MIN_DT:e} s (an attosecond)"),
        ));
    }
    let norm = step_norm(raw, method)?;
    // rk45 with the mixed norm defaults to magnum.np's tolerances; dopri5 to tighter ones.
    let (rtol0, atol0) = if norm == StepNorm::Mixed { (1e-5, 1e-5) } else { (1e-8, 1e-10) };
    let rtol = in_range("solver.rtol", raw.solver.rtol.unwrap_or(rtol0), 1e-14, 1e-2, "")?;
    let atol = in_range("solver.atol", raw.solver.atol.unwrap_or(atol0), 1e-16, 1e-2, "")?;
    let max_err = in_range("solver.max_err", raw.solver.max_err.unwrap_or(1e-5), 1e-10, 0.1, "(max |Δm| per step)")?;
    (res.solver.method, res.solver.dt, res.solver.rtol, res.solver.atol) =
        (Some(method.name().into()), Some(dt), Some(rtol), Some(atol));
    if method == Method::Rk45 {
        res.solver.error_norm = Some(norm.name().into());
        if norm == StepNorm::MaxDm {
            res.solver.max_err = Some(max_err);
        }
    }
    Ok(Solver { method, dt, rtol, atol, max_err, norm })
}

/// `solver.error_norm`: rk45 only; `mixed` excludes `max_err` (its bound is rtol/atol).
fn step_norm(raw: &RawConfig, method: Method) -> Result<StepNorm, ConfigError> {
    let Some(name) = raw.solver.error_norm.as_deref() else { return Ok(StepNorm::MaxDm) };
    let name = one_of("solver.error_norm", name, &StepNorm::NAMES)?;
    if method != Method::Rk45 {
        return Err(ConfigError::new("solver.error_norm", name, "applies to method = \"rk45\" only"));
    }
    if name == "max_dm" {
        return Ok(StepNorm::MaxDm);
    }
    if let Some(e) = raw.solver.max_err {
        return Err(ConfigError::new(
            "solver.max_err",
            super::checks::show(e),
            "is the bound of error_norm = \"max_dm\": with \"mixed\" set solver.rtol and solver.atol",
        ));
    }
    Ok(StepNorm::Mixed)
}

/// A fixed step must resolve the fastest precession: γ·B·dt ≤ [`MAX_ROTATION_PER_STEP`] for
/// the largest field B (T) the run can see.
pub fn check_dt(dt: f64, b_scale: f64) -> Result<(), ConfigError> {
    let dt_max = MAX_ROTATION_PER_STEP / (GAMMA * b_scale);
    if dt > dt_max {
        return Err(ConfigError::new(
            "solver.dt",
            super::checks::show(dt),
            format!("is too large for fields up to {b_scale:.3} T: must be ≤ {dt_max:.3e} s (γ·B·dt ≤ {MAX_ROTATION_PER_STEP})"),
        ));
    }
    Ok(())
}

/// Upper bound of |B| over a segment (T).
pub fn max_field(s: &Segment) -> f64 {
    match *s {
        Segment::Constant { b, .. } => b.norm(),
        Segment::Ramp { from, to, .. } => from.norm().max(to.norm()),
        Segment::Sine { b0, amplitude, .. } => b0.norm() + amplitude.norm(),
        Segment::Rotating { magnitude, .. } => magnitude.abs(),
    }
}

fn segment(k: usize, f: &RawField) -> Result<Segment, ConfigError> {
    let key = |name: &str| format!("field[{k}].{name}");
    let kind = f.kind.as_deref().unwrap_or("constant");
    let kind = one_of(&key("kind"), kind, &["constant", "ramp", "sine", "rotating"])?;
    let duration =
        positive(&key("duration"), f.duration.ok_or_else(|| missing(&key("duration"), "segment length in s"))?, "s")?;
    let field = |name: &str, v: &Option<Vec<f64>>| -> Result<Vector3<f64>, ConfigError> {
        let v = vec3(
            &key(name),
            v.as_deref()
                .ok_or_else(|| missing(&key(name), &format!("kind = \"{kind}\" needs {name} = [bx, by, bz] in T")))?,
        )?;
        if v.norm() > 100.0 {
            return Err(ConfigError::new(key(name), format!("{:?}", [v.x, v.y, v.z]), "must have |B| ≤ 100 T"));
        }
        Ok(v)
    };
    let frequency = || -> Result<f64, ConfigError> {
        let fr = f.frequency.ok_or_else(|| missing(&key("frequency"), "in Hz"))?;
        in_range(&key("frequency"), fr, 0.0, 1e13, "Hz")
    };
    Ok(match kind {
        "constant" => Segment::Constant { b: field("b", &f.b)?, duration },
        "ramp" => Segment::Ramp { from: field("from", &f.from)?, to: field("to", &f.to)?, duration },
        "sine" => Segment::Sine {
            b0: if f.b0.is_some() { field("b0", &f.b0)? } else { Vector3::zeros() },
            amplitude: field("amplitude", &f.amplitude)?,
            frequency: frequency()?,
            duration,
        },
        _ => Segment::Rotating {
            magnitude: in_range(
                &key("magnitude"),
                f.magnitude.ok_or_else(|| missing(&key("magnitude"), "in T"))?,
                0.0,
                100.0,
                "T",
            )?,
            frequency: frequency()?,
            duration,
        },
    })
}
