//! `nanomag calibrate CONFIG --engine macrospin|micromagnetic --out DIR`: the switching field
//! of island 0 of CONFIG over field angles, computed with an LLG engine
//! ([`crate::calibrate`]); the fitted astroid (h_c, b, c, β, γ) and the KMC barrier and
//! prefactor, written as a TOML fragment the switching engines read (DIR/calibration.toml),
//! with DIR/calibration.csv (the points, the fit and Stoner–Wohlfarth), DIR/calibration.json
//! and the figure DIR/astroid.png/.svg (the fitted astroid over the computed points).

use crate::calibrate::{self, fit, Reference, Search};
use crate::config::{self, SimConfig};
use crate::constants::{GAMMA, KB, MU0};
use crate::error::{ConfigError, Error};
use crate::io;
use crate::kmc::prefactor;
use crate::plot::{self, XyPlot, XySeries, XyStyle};
use crate::registry;
use serde_json::json;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// What `calibrate` was asked.
pub struct Request<'a> {
    pub path: &'a Path,
    pub set: &'a [String],
    pub engine: &'a str,
    pub angles_deg: &'a [f64],
    pub search: Search,
    pub out: &'a Path,
    pub budget: super::Budget,
    pub quiet: bool,
}

/// Runs `nanomag calibrate` from its parsed command line (`cmd` is
/// [`super::Command::Calibrate`]).
pub fn command(cmd: &super::Command, cli: &super::Cli) -> Result<(), Error> {
    let super::Command::Calibrate { config, engine, angles, step, resolution, b_max, set, out } = cmd else {
        unreachable!("called for the calibrate command only")
    };
    run(&Request {
        path: config,
        set,
        engine,
        angles_deg: angles,
        search: Search { step: *step, resolution: *resolution, b_max: *b_max },
        out,
        budget: cli.budget(),
        quiet: cli.quiet,
    })
}

/// The model `--engine` names.
fn reference(r: &Request) -> Result<Reference, ConfigError> {
    Reference::parse(r.engine).ok_or_else(|| {
        let names: Vec<&str> = Reference::ALL.iter().map(|p| p.0).collect();
        ConfigError::new("--engine", r.engine, format!("must be one of {}", names.join(", ")))
    })
}

/// A config whose engine has cells, for the cell-based reference.
fn needs_cells(reference: Reference, cfg: &SimConfig) -> Result<(), ConfigError> {
    if reference == Reference::Cells && !registry::entry(cfg.engine).is_some_and(|e| e.cells) {
        return Err(ConfigError::new(
            "solver.kind",
            cfg.engine,
            format!("must be an engine with cells (with [mesh] cell) for --engine {}", reference.name()),
        ));
    }
    Ok(())
}

fn check(r: &Request) -> Result<(), ConfigError> {
    reference(r)?;
    if r.angles_deg.len() < 4 || r.angles_deg.iter().any(|a| !(*a > 0.0 && *a < 90.0)) {
        return Err(ConfigError::new(
            "--angles",
            format!("{:?}", r.angles_deg),
            "must list at least 4 angles in (0, 90) degrees",
        ));
    }
    let s = r.search;
    if !(s.step > 0.0 && s.step <= 0.1) {
        return Err(ConfigError::new("--step", s.step, "must be in (0, 0.1] T"));
    }
    if !(s.resolution > 0.0 && s.resolution <= s.step) {
        return Err(ConfigError::new("--resolution", s.resolution, "must be in (0, --step] T"));
    }
    if !(s.b_max > s.step && s.b_max <= 10.0) {
        return Err(ConfigError::new("--b-max", s.b_max, "must be in (--step, 10] T"));
    }
    Ok(())
}

/// Switching fields (ψ rad, B T) of island 0 at the requested angles.
fn points(r: &Request) -> Result<Vec<(f64, f64)>, Error> {
    let raw = config::load_raw(r.path, r.set)?;
    let dir = r.path.parent().unwrap_or(Path::new("."));
    let mut pts = Vec::new();
    for &deg in r.angles_deg {
        let psi = deg.to_radians();
        let cfg = registry::validate_system(&raw, dir, r.search.b_max)?;
        let reference = reference(r)?;
        needs_cells(reference, &cfg)?;
        let b = reference.switching_field(cfg, psi, r.search)?;
        if !r.quiet {
            eprintln!("calibrate: {}, ψ = {deg}°: B_sw = {:.2} mT", r.engine, b * 1e3);
        }
        pts.push((psi, b));
    }
    Ok(pts)
}

/// The TOML fragment: `[switching]` astroid and `[kmc]` barrier (and, commented, f0).
fn fragment(r: &Request, cfg: &SimConfig, f: &fit::AstroidFit, k_eff: f64) -> String {
    let a = f.astroid;
    let mut s = format!(
        "# nanomag calibrate {} --engine {} (angles {:?} deg); max fit deviation {:.2} %\n",
        r.path.display(),
        r.engine,
        r.angles_deg,
        100.0 * f.max_rel_error
    );
    let _ = writeln!(
        s,
        "[switching]\nhc = {:e}   # T\nb = {}\nc = {}\nbeta = {}\ngamma = {}",
        f.hc, a.b, a.c, a.beta, a.gamma
    );
    let _ = writeln!(s, "\n[kmc]\nk_eff = {k_eff:e}   # J/m³ = hc·Ms/2");
    let t = if cfg.temperature.t > 0.0 { cfg.temperature.t } else { 300.0 };
    if let Some(island) = cfg.islands().ok().and_then(|i| i.into_iter().next()) {
        let f0 = prefactor::f0(cfg.material.alpha, GAMMA, k_eff, island.volume(), cfg.material.ms, KB * t);
        let _ = writeln!(
            s,
            "# f0 = {f0:e}   # Hz at T = {t} K, α = {} (the kmc default computes it at the run's T)",
            cfg.material.alpha
        );
    }
    s
}

/// Runs the calibration and writes its files.
pub fn run(r: &Request) -> Result<(), Error> {
    check(r)?;
    let raw = config::load_raw(r.path, r.set)?;
    let cfg = registry::validate_system(&raw, r.path.parent().unwrap_or(Path::new(".")), r.search.b_max)?;
    let reference = reference(r)?;
    needs_cells(reference, &cfg)?;
    let micro = reference == Reference::Cells;
    let e = calibrate::estimate(&cfg, r.search, r.angles_deg.len(), !micro, micro)?;
    if !r.budget.admit("calibrate", &e)? {
        return Ok(());
    }
    let wall = Instant::now();
    let pts = points(r)?;
    let f =
        fit::fit_astroid(&pts).ok_or_else(|| Error::Io("calibrate: the switching fields cannot be fitted".into()))?;
    let island =
        cfg.islands()?.into_iter().next().ok_or_else(|| ConfigError::new("lattice", 0, "must hold an island"))?;
    let [nl, nw, _] = island.demag_factors();
    let b_k = MU0 * cfg.material.ms * (nw - nl) + 2.0 * cfg.material.ku / cfg.material.ms;
    let sw = |psi: f64| b_k / (psi.cos().powf(2.0 / 3.0) + psi.sin().powf(2.0 / 3.0)).powf(1.5);
    let k_eff = 0.5 * f.hc * cfg.material.ms;
    crate::io::out_dir(r.out)?;
    std::fs::write(r.out.join("calibration.toml"), fragment(r, &cfg, &f, k_eff))
        .map_err(|e| Error::io(r.out.display(), e))?;
    let mut csv = String::from("psi_deg,b_sw_t,b_fit_t,b_stoner_wohlfarth_t\n");
    for &(psi, b) in &pts {
        let _ = writeln!(csv, "{},{b},{},{}", psi.to_degrees(), f.astroid.switching_field(psi, f.hc), sw(psi));
    }
    std::fs::write(r.out.join("calibration.csv"), csv).map_err(|e| Error::io(r.out.display(), e))?;
    io::write_json(
        &r.out.join("calibration.json"),
        &json!({
            "command": "calibrate", "config_file": r.path.display().to_string(), "engine": r.engine,
            "points": pts.iter().map(|p| json!({"psi_deg": p.0.to_degrees(), "b_sw_t": p.1})).collect::<Vec<_>>(),
            "hc_t": f.hc, "b": f.astroid.b, "c": f.astroid.c, "beta": f.astroid.beta, "gamma": f.astroid.gamma,
            "max_rel_error": f.max_rel_error, "k_eff_j_per_m3": k_eff, "b_k_stoner_wohlfarth_t": b_k,
            "wall_seconds": wall.elapsed().as_secs_f64(),
        }),
    )?;
    figure(r, &pts, &f, b_k)?;
    println!(
        "calibrate: {}: hc = {:.2} mT, c = {:.3}, β = {:.3}, γ = {:.3} (max deviation {:.2} %); K_eff = {:.3e} J/m³; wrote {}",
        r.engine,
        f.hc * 1e3,
        f.astroid.c,
        f.astroid.beta,
        f.astroid.gamma,
        100.0 * f.max_rel_error,
        k_eff,
        r.out.join("calibration.toml").display()
    );
    Ok(())
}

/// The astroid figure: computed points, the fitted astroid and Stoner–Wohlfarth's, in the
/// (B_∥, B_⊥) plane of the island (mT), field opposing m.
fn figure(r: &Request, pts: &[(f64, f64)], f: &fit::AstroidFit, b_k: f64) -> Result<(), Error> {
    let curve = |b: &dyn Fn(f64) -> f64| -> Vec<(f64, f64)> {
        (0..=90).map(|k| (k as f64).to_radians()).map(|p| (b(p) * p.cos() * 1e3, b(p) * p.sin() * 1e3)).collect()
    };
    let sw = crate::switching::astroid::Astroid::SW;
    let fig = XyPlot {
        title: format!("Switching astroid ({} engine)", r.engine),
        x_label: "B∥ against m (mT)".into(),
        y_label: "B⊥ (mT)".into(),
        series: vec![
            XySeries {
                label: format!("Stoner–Wohlfarth, B_K = {:.1} mT", b_k * 1e3),
                points: curve(&|p| sw.switching_field(p, b_k)).into_iter().step_by(5).collect(),
                style: XyStyle::Rings,
            },
            XySeries {
                label: format!(
                    "fit: hc = {:.1} mT, c = {:.2}, β = {:.2}, γ = {:.2}",
                    f.hc * 1e3,
                    f.astroid.c,
                    f.astroid.beta,
                    f.astroid.gamma
                ),
                points: curve(&|p| f.astroid.switching_field(p, f.hc)),
                style: XyStyle::Line,
            },
            XySeries {
                label: format!("{} switching fields", r.engine),
                points: pts.iter().map(|&(p, b)| (b * p.cos() * 1e3, b * p.sin() * 1e3)).collect(),
                style: XyStyle::Markers,
            },
        ],
    };
    plot::xy_plot(&r.out.join("astroid.png"), Some(&r.out.join("astroid.svg")), &fig).map_err(Error::Io)
}
