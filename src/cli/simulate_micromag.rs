//! `nanomag simulate` with `solver.kind = "micromagnetic"`: the finite-difference solver on a
//! box or on the lattice's islands rasterised onto the grid.
//!
//! Writes, as the run goes: DIR/table.csv (the macrospin columns + e_exchange, e_demag; one
//! row per output.interval, the last row the final state), OVF 2.0 snapshots
//! DIR/m000000.ovf, m000001.ovf, … every output.snapshot_interval; at the end DIR/m_final.ovf,
//! DIR/summary.json, DIR/m_vs_t.png/.svg, DIR/m_final.png, and for lattices DIR/magnets.csv
//! (island-averaged m) and DIR/lattice.png/.svg.

use super::progress::Progress;
use crate::config::micro::{MicroGeometry, MicroSpec};
use crate::config::{Init, Method, SimConfig};
use crate::engine::Observables;
use crate::error::{ConfigError, Error};
use crate::io::{self, ovf, table::TableWriter};
use crate::micromag::engine::{MicroObservables, MicroRun, Stepper};
use crate::micromag::heun::Heun;
use crate::micromag::mesh::Mesh;
use crate::micromag::raster;
use crate::micromag::relax::relax;
use crate::micromag::rk45::Rk45;
use crate::micromag::system::{MicroMaterial, MicroSystem};
use crate::micromag::terms::thermal::Thermal;
use crate::plot;
use crate::protocol::Protocol;
use nalgebra::Vector3;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, UnitSphere};
use serde_json::json;
use std::path::Path;
use std::time::Instant;

/// The grid of a config: a box cut into whole cells, or the rasterised islands.
pub fn build_mesh(cfg: &SimConfig, spec: &MicroSpec) -> Result<(Mesh, Vec<crate::geometry::Island>), Error> {
    let ms = cfg.material.ms;
    match spec.geometry {
        MicroGeometry::Box(size) => {
            let mut n = [0usize; 3];
            for k in 0..3 {
                let f = size[k] / spec.cell[k];
                n[k] = f.round() as usize;
                if (f - n[k] as f64).abs() > 1e-6 * f {
                    return Err(ConfigError::new(
                        format!("mesh.cell[{k}]"),
                        spec.cell[k],
                        format!("must divide mesh.box[{k}] = {:e} m into whole cells ({f:.4} now)", size[k]),
                    )
                    .into());
                }
            }
            let cells = n[0] * n[1] * n[2];
            if cells > raster::MAX_CELLS {
                return Err(ConfigError::new(
                    "mesh.cell",
                    format!("{:?}", spec.cell),
                    format!("gives {cells} cells: at most {}", raster::MAX_CELLS),
                )
                .into());
            }
            Ok((Mesh::cuboid(n, spec.cell, ms), Vec::new()))
        }
        MicroGeometry::Lattice => {
            let islands = cfg.islands()?;
            let mesh = raster::rasterise(&islands, spec.cell, ms)?;
            Ok((mesh, islands))
        }
    }
}

/// The initial m of every cell (zero in empty cells).
pub fn initial_state(cfg: &SimConfig, spec: &MicroSpec, mesh: &Mesh) -> Result<Vec<f64>, Error> {
    let mut m = vec![0.0; 3 * mesh.cells()];
    if let Some(file) = &spec.init_file {
        let f = ovf::read(file)?;
        let shown = file.display().to_string();
        if f.n != mesh.n || f.dim != 3 {
            return Err(ConfigError::new(
                "init.file",
                shown,
                format!("holds a {:?} grid of {}-vectors: the mesh needs {:?} of 3-vectors", f.n, f.dim, mesh.n),
            )
            .into());
        }
        for c in 0..mesh.cells() {
            if mesh.ms[c] == 0.0 {
                continue;
            }
            let v = Vector3::new(f.data[3 * c], f.data[3 * c + 1], f.data[3 * c + 2]);
            if !(v.norm() > 0.0 && v.norm().is_finite()) {
                return Err(ConfigError::new(
                    "init.file",
                    shown,
                    format!("has a zero or non-finite vector in magnetic cell {:?}", mesh.coords(c)),
                )
                .into());
            }
            m[3 * c..3 * c + 3].copy_from_slice(v.normalize().as_slice());
        }
        return Ok(m);
    }
    let mut rng = match cfg.init {
        Init::Random { seed } => Some(ChaCha8Rng::seed_from_u64(seed)),
        _ => None,
    };
    for c in 0..mesh.cells() {
        if mesh.ms[c] == 0.0 {
            continue;
        }
        let v: [f64; 3] = match (cfg.init, rng.as_mut()) {
            (Init::Vector(v), _) => [v.x, v.y, v.z],
            (Init::Random { .. }, Some(r)) => UnitSphere.sample(r),
            _ => mesh.axis[c],
        };
        m[3 * c..3 * c + 3].copy_from_slice(&v);
    }
    Ok(m)
}

/// The macrospin table's row for a micromagnetic state (shape and dipolar parts are NaN:
/// e_demag holds both) and the extra columns e_exchange, e_demag.
fn row(o: &MicroObservables) -> (Observables, [f64; 2]) {
    let e = &o.energy;
    let obs = Observables {
        t: o.t,
        m: o.m,
        b_ext: o.b_ext,
        parts: [e.zeeman, f64::NAN, e.anisotropy, f64::NAN],
        e_total: e.total(),
        w_ext: o.w_ext,
        q_diss: o.q_diss,
    };
    (obs, [e.exchange, e.demag])
}

/// The OVF field of state m on `mesh`.
pub fn snapshot(mesh: &Mesh, m: &[f64], title: String) -> ovf::OvfField {
    ovf::OvfField { title, n: mesh.n, d: mesh.d, min: mesh.origin, dim: 3, data: m.to_vec() }
}

fn snapshot_at(mesh: &Mesh, m: &[f64], t: f64) -> ovf::OvfField {
    snapshot(mesh, m, format!("m (unit magnetisation) at t = {t:e} s"))
}

/// The top layer of cells of state m as seen from above (empty cells `None`).
pub fn top_layer_map(mesh: &Mesh, m: &[f64], title: String) -> plot::CellMap {
    let [nx, ny, nz] = mesh.n;
    let layer = nx * ny * (nz - 1);
    let cells =
        (layer..layer + nx * ny).map(|c| (mesh.ms[c] > 0.0).then(|| [m[3 * c], m[3 * c + 1], m[3 * c + 2]])).collect();
    plot::CellMap { title, nx, ny, d: [mesh.d[0], mesh.d[1]], origin: [mesh.origin[0], mesh.origin[1]], m: cells }
}

/// Runs a validated micromagnetic config, writing everything into `out`.
pub fn simulate(
    cfg: &SimConfig,
    spec: &MicroSpec,
    config_path: &Path,
    out: &Path,
    quiet: bool,
) -> Result<serde_json::Value, Error> {
    let wall = Instant::now();
    let (mesh, islands) = build_mesh(cfg, spec)?;
    let material = MicroMaterial { alpha: cfg.material.alpha, a_ex: spec.a_ex, ku: cfg.material.ku };
    let mut m = initial_state(cfg, spec, &mesh)?;
    let len = m.len();
    let mut sys = MicroSystem::new(mesh, material, Protocol::constant(Vector3::zeros(), 1.0));
    let mut relax_steps = 0;
    if let Some(torque) = spec.relax_torque {
        relax_steps = relax(&sys, &mut m, 0.0, torque, 2_000_000, &mut |_, _| {})?;
    }
    sys.protocol = cfg.protocol.clone();
    let stepper = match cfg.solver.method {
        Method::Heun => Stepper::Heun(
            Heun::new(len, Thermal::new(&sys.mesh, cfg.temperature.t, cfg.material.alpha, cfg.temperature.seed)),
            cfg.solver.dt,
        ),
        _ => Stepper::Rk45(Rk45::new(len, spec.max_err)),
    };
    let mut run = MicroRun { sys, m, t: 0.0, stepper };

    // Stops: every output row and every snapshot, in time order.
    let duration = cfg.protocol.duration();
    let h = cfg.output_interval;
    let n_rows = ((duration / h) * (1.0 + 1e-12)).floor() as usize;
    let mut stops: Vec<(f64, bool, bool)> = (1..=n_rows).map(|k| (k as f64 * h, true, false)).collect();
    if let Some(s) = spec.snapshot_interval {
        let n_snap = ((duration / s) * (1.0 + 1e-12)).floor() as usize;
        stops.extend((1..=n_snap).map(|k| (k as f64 * s, false, true)));
    }
    if duration - n_rows as f64 * h > 1e-9 * h {
        stops.push((duration, true, false));
    }
    stops.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, bool, bool)> = Vec::with_capacity(stops.len());
    for s in stops {
        match merged.last_mut() {
            Some(l) if (s.0 - l.0).abs() <= 1e-9 * h.min(s.0.max(1e-30)) => (l.1, l.2) = (l.1 || s.1, l.2 || s.2),
            _ => merged.push(s),
        }
    }

    let extra = ["e_exchange", "e_demag"];
    let mut table = TableWriter::create_with(&out.join("table.csv"), &extra)?;
    let first = run.observables();
    let (o, x) = row(&first);
    table.write_with(&o, &x)?;
    let mut series = vec![[first.t, first.m.x, first.m.y, first.m.z]];
    let mut n_snap = 0usize;
    if spec.snapshot_interval.is_some() {
        ovf::write(&out.join(format!("m{n_snap:06}.ovf")), &snapshot_at(&run.sys.mesh, &run.m, 0.0), spec.ovf_format)?;
        n_snap += 1;
    }
    let progress = Progress::new(merged.len() as u64, "simulate", quiet);
    let mut last = first.clone();
    for (t_stop, is_row, is_snap) in merged {
        run.advance_to(t_stop)?;
        run.t = t_stop;
        if is_row {
            last = run.observables();
            let (o, x) = row(&last);
            table.write_with(&o, &x)?;
            series.push([last.t, last.m.x, last.m.y, last.m.z]);
        }
        if is_snap {
            ovf::write(
                &out.join(format!("m{n_snap:06}.ovf")),
                &snapshot_at(&run.sys.mesh, &run.m, run.t),
                spec.ovf_format,
            )?;
            n_snap += 1;
        }
        progress.inc(1);
    }
    progress.finish();
    ovf::write(&out.join("m_final.ovf"), &snapshot_at(&run.sys.mesh, &run.m, run.t), spec.ovf_format)?;

    let mesh = &run.sys.mesh;
    let (evaluations, steps) = run.counts();
    let e = &last.energy;
    let summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "simulate",
        "config_file": config_path.display().to_string(),
        "engine": "micromagnetic",
        "mesh": { "n": mesh.n, "cell_m": mesh.d, "origin_m": mesh.origin, "magnetic_cells": mesh.magnetic_cells() },
        "n_islands": islands.len(),
        "method": if matches!(run.stepper, Stepper::Heun(..)) { "heun" } else { "dopri5 (RK45, error bound on max |Δm|)" },
        "relax_steps": relax_steps,
        "field_evaluations": evaluations,
        "steps": steps,
        "cell_updates": evaluations as f64 * mesh.cells() as f64,
        "rows": series.len(),
        "snapshots": n_snap,
        "t_end_s": last.t,
        "wall_seconds": wall.elapsed().as_secs_f64(),
        "seeds": { "temperature": cfg.temperature.seed, "init": cfg.resolved.init.seed },
        "initial": observables_json(&first),
        "final": observables_json(&last),
        "energy_balance": {
            "delta_e_j": e.total() - first.energy.total(),
            "w_ext_minus_q_j": last.w_ext - last.q_diss,
            "residual_j": (e.total() - first.energy.total()) - (last.w_ext - last.q_diss),
            "note": "E(t) - E(0) = W_ext - Q holds at T = 0 to the integrator's accuracy; at T > 0 the heat bath also exchanges energy",
        },
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or(serde_json::Value::Null),
    });
    io::write_json(&out.join("summary.json"), &summary)?;

    let figure = |r: Result<(), String>| r.map_err(|e| Error::io("figure", e));
    let col = |k: usize| series.iter().map(|r| r[k]).collect::<Vec<f64>>();
    figure(plot::m_vs_t(&out.join("m_vs_t.png"), Some(&out.join("m_vs_t.svg")), &col(0), &col(1), &col(2), &col(3)))?;
    let [nx, ny, nz] = mesh.n;
    let title = format!(
        "m at t = {:.3} ns ({nx} × {ny} × {nz} cells{})",
        last.t * 1e9,
        if nz > 1 { ", top layer" } else { "" }
    );
    let map = top_layer_map(mesh, &run.m, title);
    figure(plot::cell_map(&out.join("m_final.png"), &map))?;
    if !islands.is_empty() {
        let means = raster::island_means(mesh, &run.m, islands.len());
        io::magnets::write(&out.join("magnets.csv"), &islands, &means)?;
        let glyphs: Vec<plot::IslandGlyph> =
            islands.iter().zip(&means).map(|(i, mi)| plot::IslandGlyph::of(i, mi)).collect();
        let title = format!("{} lattice (micromagnetic), island means, t = {:.3} ns", cfg.lattice.name(), last.t * 1e9);
        figure(plot::lattice_map(&out.join("lattice.png"), Some(&out.join("lattice.svg")), &title, &glyphs))?;
    }
    if !quiet {
        eprintln!(
            "simulate: micromagnetic, {} × {} × {} cells ({} magnetic), {:.3} ns in {:.2} s ({steps} steps, {evaluations} field evaluations); final <m> = ({:.4}, {:.4}, {:.4}); wrote {}",
            nx, ny, nz, mesh.magnetic_cells(), last.t * 1e9, wall.elapsed().as_secs_f64(), last.m.x, last.m.y, last.m.z, out.display()
        );
    }
    Ok(summary)
}

fn observables_json(o: &MicroObservables) -> serde_json::Value {
    let e = &o.energy;
    json!({
        "t_s": o.t, "mx": o.m.x, "my": o.m.y, "mz": o.m.z,
        "e_total_j": e.total(), "w_ext_j": o.w_ext, "q_diss_j": o.q_diss,
        "e_zeeman_j": e.zeeman, "e_anisotropy_j": e.anisotropy, "e_exchange_j": e.exchange, "e_demag_j": e.demag,
    })
}
