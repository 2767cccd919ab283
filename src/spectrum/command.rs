//! `nanomag spectrum CONFIG.toml --out DIR` as a library function, for any engine: runs the
//! config's field protocol, then probes the final state (pulse + ringdown, [`super::probe()`])
//! and writes DIR/spectrum.csv (`f_hz,power` + `power_sub<k>` per sub-lattice),
//! DIR/spectrum.png/.svg and the peak list in DIR/summary.json. Options of `[spectrum]`:
//! - `islands = true`: every island's spectrum, DIR/spectrum_islands.csv
//!   (`f_hz,island,power`) and their lines in the summary;
//! - `mode_frequencies = [f, …]` (engines with cells): the power of every cell's ringdown at
//!   each frequency, $P_c(f) = |\sum_k w_k (s_{c,k} - \bar s_c) e^{-2\pi i f t_k}|^2$ (Hann
//!   window w), as `DIR/mode_map_<k>.csv` (`x_m,y_m,z_m,power`) and `DIR/mode_map_<k>.png`;
//! - `bias_fields = [...]` (T): relaxes the final state at each bias (in parallel) and
//!   probes it: DIR/spectrum_map.csv (`bias_t,f_hz,power`) and DIR/spectrum_map.png/.svg.

use super::probe::{probe, probe_recording, ProbeSpec, Record};
use super::{peaks, power_spectrum, Spectrum};
use crate::config::raw::RawSpectrum;
use crate::config::{checks, SimConfig};
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::protocol::{Protocol, Segment};
use crate::{io, plot};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;

/// The checked options of `[spectrum]` beyond the probe.
struct Options {
    spec: ProbeSpec,
    resolved: RawSpectrum,
    f_max: f64,
    relax: f64,
    dir_deg: f64,
    sweep: Vec<f64>,
    islands: bool,
    modes: Vec<f64>,
}

fn options(cfg: &SimConfig, has_cells: bool) -> Result<Options, ConfigError> {
    let raw = cfg.resolved.spectrum.clone().unwrap_or_default();
    let mut resolved = RawSpectrum::default();
    let spec = ProbeSpec::from_config(Some(&raw), &mut resolved)?;
    let nyquist = 0.5 / spec.sample_interval;
    let f_max = checks::in_range(
        "spectrum.f_max",
        raw.f_max.unwrap_or(30e9),
        1e8,
        nyquist,
        "Hz (≤ the Nyquist frequency 1/(2·sample_interval))",
    )?;
    let relax = checks::in_range("spectrum.relax", raw.relax.unwrap_or(2e-9), 0.0, 1e-6, "s")?;
    let dir_deg =
        checks::in_range("spectrum.bias_direction", raw.bias_direction.unwrap_or(0.0), -360.0, 360.0, "degrees")?;
    let sweep = raw.bias_fields.clone().unwrap_or_default();
    if sweep.len() == 1 || sweep.iter().any(|b| !b.is_finite() || b.abs() > 10.0) {
        return Err(ConfigError::new(
            "spectrum.bias_fields",
            format!("{sweep:?}"),
            "must list at least two fields in [−10, 10] T",
        ));
    }
    let modes = raw.mode_frequencies.clone().unwrap_or_default();
    if !modes.is_empty() && !has_cells {
        return Err(ConfigError::new(
            "spectrum.mode_frequencies",
            format!("{modes:?}"),
            "maps the cells of the micromagnetic engine: set [solver] kind = \"micromagnetic\"",
        ));
    }
    if modes.len() > 16 || modes.iter().any(|f| !(f.is_finite() && *f > 0.0 && *f <= nyquist)) {
        return Err(ConfigError::new(
            "spectrum.mode_frequencies",
            format!("{modes:?}"),
            "must list at most 16 frequencies in (0, Nyquist = 1/(2·sample_interval)] Hz",
        ));
    }
    Ok(Options { spec, resolved, f_max, relax, dir_deg, sweep, islands: raw.islands.unwrap_or(false), modes })
}

/// The cost of `nanomag spectrum` on `cfg` ([`crate::cost`]): the protocol, then a pulse and
/// ringdown, and for a bias sweep a relaxation, pulse and ringdown per field; the recorded
/// ringdowns (per island, per cell for mode maps) in memory.
pub fn estimate(cfg: &SimConfig) -> Result<crate::cost::Estimate, ConfigError> {
    refuse_binary(cfg.engine)?;
    let opt = options(cfg, crate::registry::entry(cfg.engine).is_some_and(|e| e.cells))?;
    let islands = cfg.islands()?;
    let probes = 1.0 + opt.sweep.len() as f64;
    let probe = opt.spec.pulse_duration + opt.spec.ringdown;
    let duration = cfg.protocol.duration() + probes * probe + opt.sweep.len() as f64 * opt.relax;
    let samples = (opt.spec.ringdown / opt.spec.sample_interval).ceil();
    let mut e = crate::cost::simulate(cfg, &islands, duration, probes * samples);
    let cells = crate::registry::entry(cfg.engine).map_or(0.0, |en| (en.cost)(cfg, &islands).cells);
    let recorded =
        if opt.islands { islands.len() as f64 } else { 0.0 } + if opt.modes.is_empty() { 0.0 } else { 3.0 * cells };
    e.memory_bytes += 8.0 * samples * (recorded + 1.0) * opt.spec.pad as f64;
    Ok(e)
}

/// Engines whose islands are binary moments (no precession, [`crate::config::plugin::Entry::precesses`])
/// have nothing that rings: refused, naming the engines that do.
pub fn refuse_binary(engine: &str) -> Result<(), ConfigError> {
    if crate::registry::entry(engine).is_some_and(|e| !e.precesses) {
        let ringing: Vec<String> =
            crate::registry::engines().into_iter().filter(|e| e.precesses).map(|e| format!("\"{}\"", e.name)).collect();
        return Err(ConfigError::new(
            "solver.kind",
            format!("\"{engine}\""),
            format!("has binary islands without precession, so it has no FMR spectrum: use {}", ringing.join(" or ")),
        ));
    }
    Ok(())
}

/// Runs `nanomag spectrum` on a validated config, writing everything into `out`.
pub fn spectrum(cfg: &SimConfig, config_path: &Path, out: &Path, quiet: bool) -> Result<Value, Error> {
    refuse_binary(cfg.engine)?;
    let wall = Instant::now();
    let mut engine = crate::registry::from_config(cfg)?;
    let opt = options(cfg, engine.cells().is_some())?;
    crate::io::out_dir(out)?;
    let duration = cfg.protocol.duration();
    engine.run_for(duration)?;
    let m = engine.state_m();
    let bias = cfg.protocol.field(duration);
    let record = Record { islands: opt.islands, cells: !opt.modes.is_empty() };
    let (r, rings) = probe_recording(engine.as_ref(), &m, bias, &opt.spec, record)?;
    let sp = &r.spectrum;
    let keep: Vec<usize> = (0..sp.f.len()).filter(|&k| sp.f[k] <= opt.f_max).collect();
    write_spectrum_csv(&out.join("spectrum.csv"), sp, &keep)?;
    let lines = |p: &[f64]| lines_json(sp, p, &keep);
    spectrum_figure(out, sp, &keep, &bias)?;

    let pulse_dir = opt.spec.pulse_direction(&bias);
    let islands = engine.islands().len();
    let mut summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "spectrum",
        "config_file": config_path.display().to_string(),
        "engine": engine.kind(),
        "engine_details": engine.describe(),
        "n_islands": islands,
        "bias_t": [bias.x, bias.y, bias.z],
        "pulse_direction": [pulse_dir.x, pulse_dir.y, pulse_dir.z],
        "resolution_hz": sp.resolution,
        "band_hz": [0.0, opt.f_max],
        "nyquist_hz": 0.5 / opt.spec.sample_interval,
        "peaks": lines(&sp.power),
        "sublattice_peaks": sp.sublattices.iter().map(|p| lines(p)).collect::<Vec<_>>(),
        "probe_q_diss_j": r.q_diss,
        "spectrum": serde_json::to_value(&opt.resolved).unwrap_or_default(),
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or_default(),
    });
    if opt.islands {
        summary["island_peaks"] = island_spectra(out, engine.as_ref(), &rings.islands, &opt, &keep, sp)?;
    }
    if !opt.modes.is_empty() {
        summary["mode_maps"] = mode_maps(out, engine.as_ref(), &rings.cells, &opt)?;
    }
    if !opt.sweep.is_empty() {
        bias_sweep(out, engine.as_ref(), &m, &opt, &keep, sp)?;
        summary["bias_sweep_t"] = json!(opt.sweep);
        summary["bias_direction_deg"] = json!(opt.dir_deg);
        summary["relax_s"] = json!(opt.relax);
    }
    summary["wall_seconds"] = json!(wall.elapsed().as_secs_f64());
    io::write_json(&out.join("summary.json"), &summary)?;
    if !quiet {
        let top: Vec<String> = peaks(&sp.f, &sp.power, 2.0 * sp.resolution, 0.01, 4)
            .iter()
            .map(|q| format!("{:.2} GHz", q.f / 1e9))
            .collect();
        eprintln!(
            "spectrum: {} engine, {islands} islands, lines at {}; resolution {:.3} GHz; {:.1} s; wrote {}",
            engine.kind(),
            top.join(", "),
            sp.resolution / 1e9,
            wall.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(summary)
}

/// The lines of power `p` below f_max, as JSON.
fn lines_json(sp: &Spectrum, p: &[f64], keep: &[usize]) -> Value {
    let last = *keep.last().unwrap_or(&0);
    let list: Vec<Value> = peaks(&sp.f[..=last], &p[..=last], 2.0 * sp.resolution, 0.01, 10)
        .iter()
        .map(|q| json!({"f_hz": q.f, "relative_power": q.relative}))
        .collect();
    json!(list)
}

fn write_spectrum_csv(path: &Path, sp: &Spectrum, keep: &[usize]) -> Result<(), Error> {
    let err = |e: csv::Error| Error::io(path.display(), e);
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    let mut head = vec!["f_hz".to_string(), "power".to_string()];
    head.extend((0..sp.sublattices.len()).map(|k| format!("power_sub{k}")));
    w.write_record(&head).map_err(err)?;
    for &k in keep {
        let mut row = vec![sp.f[k].to_string(), sp.power[k].to_string()];
        row.extend(sp.sublattices.iter().map(|p| p[k].to_string()));
        w.write_record(&row).map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(path.display(), e))
}

/// spectrum.png/.svg: log10 of the power normalised to the strongest line, array and
/// sub-lattices.
fn spectrum_figure(out: &Path, sp: &Spectrum, keep: &[usize], bias: &nalgebra::Vector3<f64>) -> Result<(), Error> {
    let top = keep.iter().map(|&k| sp.power[k]).fold(0.0, f64::max).max(1e-300);
    let norm = |p: &[f64]| -> Vec<f64> { keep.iter().map(|&k| (p[k] / top).max(1e-8).log10()).collect() };
    let f_ghz: Vec<f64> = keep.iter().map(|&k| sp.f[k] / 1e9).collect();
    let mut series: Vec<(String, Vec<f64>)> = vec![("whole array".into(), norm(&sp.power))];
    for (k, p) in sp.sublattices.iter().enumerate() {
        series.push((format!("sub-lattice {k}"), norm(p)));
    }
    let refs: Vec<(&str, &[f64])> = series.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
    let title = format!("FMR spectrum, bias ({:.1}, {:.1}, {:.1}) mT", bias.x * 1e3, bias.y * 1e3, bias.z * 1e3);
    plot::line_plot(
        &out.join("spectrum.png"),
        Some(&out.join("spectrum.svg")),
        &title,
        "frequency (GHz)",
        "log10(P / P_max)",
        &f_ghz,
        &refs,
    )
    .map_err(|e| Error::io("figure", e))
}

/// spectrum_islands.csv, spectrum_islands.png/.svg (each island's spectrum, labelled with its
/// sub-lattice and texture before the probe) and each island's lines.
fn island_spectra(
    out: &Path,
    engine: &dyn Engine,
    rings: &[Vec<f64>],
    opt: &Options,
    keep: &[usize],
    sp: &Spectrum,
) -> Result<Value, Error> {
    let n_isl = rings.first().map_or(0, |r| r.len());
    let spectra: Vec<Vec<f64>> = (0..n_isl)
        .into_par_iter()
        .map(|i| {
            let s: Vec<f64> = rings.iter().map(|row| row[i]).collect();
            power_spectrum(&s, opt.spec.sample_interval, opt.spec.pad).1
        })
        .collect();
    let path = out.join("spectrum_islands.csv");
    let err = |e: csv::Error| Error::io(path.display(), e);
    let mut w = csv::Writer::from_path(&path).map_err(err)?;
    w.write_record(["f_hz", "island", "power"]).map_err(err)?;
    for (i, p) in spectra.iter().enumerate() {
        for &k in keep {
            w.write_record(&[sp.f[k].to_string(), i.to_string(), p[k].to_string()]).map_err(err)?;
        }
    }
    w.flush().map_err(|e| Error::io(path.display(), e))?;
    let textures = engine.island_textures();
    let islands = engine.islands();
    let f_ghz: Vec<f64> = keep.iter().map(|&k| sp.f[k] / 1e9).collect();
    let series: Vec<(String, Vec<f64>)> = spectra
        .iter()
        .enumerate()
        .take(8)
        .map(|(i, p)| {
            let top = keep.iter().map(|&k| p[k]).fold(0.0, f64::max).max(1e-300);
            let tx = &textures[i];
            let label =
                format!("#{i} (sub {}) |⟨m⟩| {:.2} circ {:+.2}", islands[i].sublattice, tx.norm, tx.circulation);
            (label, keep.iter().map(|&k| (p[k] / top).max(1e-6).log10()).collect())
        })
        .collect();
    let refs: Vec<(&str, &[f64])> = series.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
    plot::line_plot(
        &out.join("spectrum_islands.png"),
        Some(&out.join("spectrum_islands.svg")),
        "FMR spectrum per island (first 8), each to its own maximum",
        "frequency (GHz)",
        "log10(P / P_max)",
        &f_ghz,
        &refs,
    )
    .map_err(|e| Error::io("figure", e))?;
    Ok(json!(spectra.iter().map(|p| lines_json(sp, p, keep)).collect::<Vec<_>>()))
}

/// P_c(f) of every cell's ringdown (module doc), Hann-windowed, mean removed.
pub fn cell_power(rings: &[Vec<f64>], cells: usize, dt: f64, f: f64) -> Vec<f64> {
    let n = rings.len();
    let w: Vec<f64> = (0..n)
        .map(|k| if n > 1 { 0.5 - 0.5 * (std::f64::consts::TAU * k as f64 / (n - 1) as f64).cos() } else { 1.0 })
        .collect();
    let phase: Vec<(f64, f64)> = (0..n).map(|k| (std::f64::consts::TAU * f * k as f64 * dt).sin_cos()).collect();
    (0..cells)
        .into_par_iter()
        .map(|c| {
            let mean = rings.iter().map(|r| r[c]).sum::<f64>() / n.max(1) as f64;
            let (mut re, mut im) = (0.0, 0.0);
            for k in 0..n {
                let v = w[k] * (rings[k][c] - mean);
                re += v * phase[k].1;
                im -= v * phase[k].0;
            }
            (re * re + im * im) * dt * dt
        })
        .collect()
}

/// mode_map_<k>.csv/.png per frequency.
fn mode_maps(out: &Path, engine: &dyn Engine, rings: &[Vec<f64>], opt: &Options) -> Result<Value, Error> {
    let cells = engine.cells().ok_or_else(|| Error::Io("mode maps need an engine with cells".into()))?;
    let mesh = cells.mesh;
    let mut list = Vec::new();
    for (k, &f) in opt.modes.iter().enumerate() {
        let p = cell_power(rings, mesh.cells(), opt.spec.sample_interval, f);
        let path = out.join(format!("mode_map_{k}.csv"));
        let err = |e: csv::Error| Error::io(path.display(), e);
        let mut w = csv::Writer::from_path(&path).map_err(err)?;
        w.write_record(["x_m", "y_m", "z_m", "power"]).map_err(err)?;
        for (c, pc) in p.iter().enumerate() {
            if mesh.ms[c] > 0.0 {
                let [x, y, z] = mesh.centre(c);
                w.write_record(&[x.to_string(), y.to_string(), z.to_string(), pc.to_string()]).map_err(err)?;
            }
        }
        w.flush().map_err(|e| Error::io(path.display(), e))?;
        let title = format!("Mode map at {:.2} GHz (power per cell, top layer)", f / 1e9);
        let map = plot::ScalarMap::top_layer_scalar(mesh, &p, title, "P / P_max");
        plot::scalar_map(&out.join(format!("mode_map_{k}.png")), &map).map_err(|e| Error::io("figure", e))?;
        list.push(json!({ "f_hz": f, "csv": path.file_name().map(|n| n.to_string_lossy().to_string()) }));
    }
    Ok(json!(list))
}

/// The field-swept map: each bias relaxed from the final state, probed, in parallel.
fn bias_sweep(
    out: &Path,
    engine: &dyn Engine,
    m: &[f64],
    opt: &Options,
    keep: &[usize],
    sp: &Spectrum,
) -> Result<(), Error> {
    let dir = crate::reservoir::encoder::in_plane(opt.dir_deg);
    let columns: Vec<Vec<f64>> = opt
        .sweep
        .par_iter()
        .map(|&b| -> Result<Vec<f64>, Error> {
            let bias = dir * b;
            let mut e = engine.fork();
            e.set_state_m(m)?;
            e.set_protocol(Protocol::new(vec![Segment::Constant { b: bias, duration: opt.relax.max(1e-15) }]));
            if opt.relax > 0.0 {
                e.run_for(opt.relax)?;
            }
            let r = probe(e.as_ref(), &e.state_m(), bias, &opt.spec)?;
            Ok(keep.iter().map(|&k| r.spectrum.power[k]).collect())
        })
        .collect::<Result<_, _>>()?;
    let map_path = out.join("spectrum_map.csv");
    let err = |e: csv::Error| Error::io(map_path.display(), e);
    let mut w = csv::Writer::from_path(&map_path).map_err(err)?;
    w.write_record(["bias_t", "f_hz", "power"]).map_err(err)?;
    for (b, col) in opt.sweep.iter().zip(&columns) {
        for (j, &k) in keep.iter().enumerate() {
            w.write_record(&[b.to_string(), sp.f[k].to_string(), col[j].to_string()]).map_err(err)?;
        }
    }
    w.flush().map_err(|e| Error::io(map_path.display(), e))?;
    let fig = plot::FmrMap {
        title: format!("Field-swept FMR ({} islands)", engine.islands().len()),
        bias_mt: opt.sweep.iter().map(|b| b * 1e3).collect(),
        f_ghz: keep.iter().map(|&k| sp.f[k] / 1e9).collect(),
        power: columns,
        decades: 3.0,
    };
    plot::fmr_map(&out.join("spectrum_map.png"), Some(&out.join("spectrum_map.svg")), &fig)
        .map_err(|e| Error::io("figure", e))
}
