//! `nanomag switching CONFIG --angle-deg ψ --out DIR`: the T = 0 switching field of one
//! island under an in-plane field at ψ from its easy axis, opposing m, found quasi-statically
//! three ways:
//! - **micromagnetic**: from the relaxed remanent state, the field is raised in steps of
//!   `--step`, relaxing (damping-only descent) from the previous state at each; at the first
//!   step where ⟨m⟩·u < 0, the interval is bisected from the last unswitched state down to
//!   `--resolution`;
//! - **macrospin**: the same stepping with the macrospin engine (shape anisotropy from the
//!   island's demagnetising factors, α = 1, 3 ns per field step);
//! - **Stoner–Wohlfarth**: $B_{sw} = B_K / (\cos^{2/3}\psi + \sin^{2/3}\psi)^{3/2}$,
//!   $B_K = \mu_0 M_s (N_w - N_l) + 2K_u/M_s$.
//!
//! Writes DIR/switching.json, and the micromagnetic state at the last field before switching
//! as DIR/m_before_switching.ovf and .png.

use crate::calibrate::{self, Search};
use crate::config;
use crate::constants::MU0;
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::io::{self, ovf};
use crate::plot;
use crate::registry;
use serde_json::json;
use std::path::Path;
use std::time::Instant;

/// The flags' ranges: ψ in [0°, 90°), step in (0, 0.1] T, resolution in (0, step], b_max in
/// (step, 10] T.
fn check_flags(angle_deg: f64, step: f64, resolution: f64, b_max: f64) -> Result<(), ConfigError> {
    if !(0.0..90.0).contains(&angle_deg) {
        return Err(ConfigError::new("--angle-deg", angle_deg, "must be in [0, 90) degrees"));
    }
    if !(step > 0.0 && step <= 0.1) {
        return Err(ConfigError::new("--step", step, "must be in (0, 0.1] T"));
    }
    if !(resolution > 0.0 && resolution <= step) {
        return Err(ConfigError::new("--resolution", resolution, "must be in (0, --step] T"));
    }
    if !(b_max > step && b_max <= 10.0) {
        return Err(ConfigError::new("--b-max", b_max, "must be in (--step, 10] T"));
    }
    Ok(())
}

/// The config's one island, for an engine with cells.
fn one_island_of_cells(cfg: &config::SimConfig) -> Result<Vec<crate::geometry::Island>, ConfigError> {
    if !registry::entry(cfg.engine).is_some_and(|e| e.cells) {
        return Err(ConfigError::new(
            "solver.kind",
            cfg.engine,
            "must be an engine with cells (\"micromagnetic\", with [mesh] cell) for `nanomag switching`",
        ));
    }
    let islands = cfg.islands()?;
    if islands.len() != 1 {
        return Err(ConfigError::new("lattice", islands.len(), "must hold exactly one island for `nanomag switching`"));
    }
    Ok(islands)
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    path: &Path,
    set: &[String],
    angle_deg: f64,
    step: f64,
    resolution: f64,
    b_max: f64,
    out: &Path,
    budget: super::Budget,
    quiet: bool,
) -> Result<(), Error> {
    check_flags(angle_deg, step, resolution, b_max)?;
    let wall = Instant::now();
    let raw = config::load_raw(path, set)?;
    let cfg = registry::validate_system(&raw, path.parent().unwrap_or(Path::new(".")), b_max)?;
    let islands = one_island_of_cells(&cfg)?;
    let search = Search { step, resolution, b_max };
    if !budget.admit("switching", &calibrate::estimate(&cfg, search, 1, true, true)?)? {
        return Ok(());
    }
    let island = islands[0].clone();
    let psi = angle_deg.to_radians();
    crate::io::out_dir(out)?;

    // Stoner–Wohlfarth with the island's own demagnetising factors.
    let [nl, nw, _] = island.demag_factors();
    let (ms, ku) = (cfg.material.ms, cfg.material.ku);
    let b_k = MU0 * ms * (nw - nl) + 2.0 * ku / ms;
    let b_sw = b_k / (psi.cos().powf(2.0 / 3.0) + psi.sin().powf(2.0 / 3.0)).powf(1.5);

    // Macrospin and micromagnetic engines, quasi-static.
    let mcfg = registry::validate_system(&raw, path.parent().unwrap_or(Path::new(".")), b_max)?;
    let b_macro = calibrate::macrospin_switching_field(mcfg, psi, search)?;
    let micro = calibrate::micromagnetic_switching_field(&cfg, psi, search, !quiet)?;
    let (b_micro, before, remanent, engine) = (micro.b_sw, micro.before, micro.remanent, micro.engine);
    let fields = engine.cost().evaluations;
    let mesh = engine.mesh();
    let title = format!("m before switching, B = {:.1} mT at ψ = {angle_deg}°", (b_micro - 0.5 * resolution) * 1e3);
    ovf::write(
        &out.join("m_before_switching.ovf"),
        &ovf::OvfField::of_mesh(mesh, &before, title.clone()),
        cfg.snapshots.format,
    )?;
    let map = plot::CellMap::top_layer(mesh, &before, title);
    plot::cell_map(&out.join("m_before_switching.png"), &map).map_err(|e| Error::io("figure", e))?;

    let summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "switching",
        "config_file": path.display().to_string(),
        "angle_deg": angle_deg,
        "island": { "length_m": island.length, "width_m": island.width, "thickness_m": island.thickness, "shape": island.shape.name() },
        "mesh": { "n": mesh.n, "cell_m": mesh.d, "magnetic_cells": mesh.magnetic_cells() },
        "step_t": step, "resolution_t": resolution,
        "remanent_m": [remanent.x, remanent.y, remanent.z],
        "b_sw_micromagnetic_t": b_micro,
        "b_sw_macrospin_t": b_macro,
        "b_sw_stoner_wohlfarth_t": b_sw,
        "b_k_t": b_k,
        "demag_factors": [nl, nw, 1.0 - nl - nw],
        "micromagnetic_field_evaluations": fields,
        "wall_seconds": wall.elapsed().as_secs_f64(),
    });
    io::write_json(&out.join("switching.json"), &summary)?;
    println!(
        "switching: ψ = {angle_deg}°: micromagnetic {:.1} mT, macrospin {:.1} mT, Stoner–Wohlfarth {:.1} mT (B_K = {:.1} mT); {:.0} s",
        b_micro * 1e3,
        b_macro * 1e3,
        b_sw * 1e3,
        b_k * 1e3,
        wall.elapsed().as_secs_f64()
    );
    Ok(())
}
