//! `nanomag spectrum CONFIG.toml --out DIR`: runs the config's field protocol, then probes
//! the final state (pulse + ringdown, `crate::spectrum`) and writes DIR/spectrum.csv
//! (`f_hz,power` + `power_sub<k>` per sub-lattice), DIR/spectrum.png/.svg and the peak list in
//! DIR/summary.json. With `[spectrum] bias_fields = [...]` (T) it also relaxes the final
//! state at each bias (in parallel) and probes it: DIR/spectrum_map.csv (`bias_t,f_hz,power`)
//! and the frequency–field map DIR/spectrum_map.png/.svg.

use crate::config::raw::RawSpectrum;
use crate::config::{self, checks};
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::macrospin::{MacrospinArray, MacrospinEngine};
use crate::protocol::{Protocol, Segment};
use crate::spectrum::{peaks, probe, ProbeSpec};
use crate::{io, plot};
use rayon::prelude::*;
use serde_json::json;
use std::path::Path;
use std::time::Instant;

pub fn run(path: &Path, out: &Path, quiet: bool) -> Result<(), Error> {
    let wall = Instant::now();
    let cfg = config::load(path)?;
    config::micro::refuse(&cfg.micro, "spectrum")?;
    let raw = cfg.resolved.spectrum.clone().unwrap_or_default();
    let mut resolved = RawSpectrum::default();
    let spec = ProbeSpec::from_config(Some(&raw), &mut resolved)?;
    let f_max = checks::in_range(
        "spectrum.f_max",
        raw.f_max.unwrap_or(30e9),
        1e8,
        0.5 / spec.sample_interval,
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
        )
        .into());
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out.display(), e))?;

    let islands = cfg.islands()?;
    let mut engine = MacrospinEngine::from_config(&cfg)?;
    let duration = cfg.protocol.duration();
    engine.advance(duration, 1, &mut |_| Ok(()))?;
    let m = engine.magnetisation();
    let bias = cfg.protocol.field(duration);
    let r = probe(&cfg, &islands, &m, bias, &spec)?;
    let sp = &r.spectrum;
    let keep: Vec<usize> = (0..sp.f.len()).filter(|&k| sp.f[k] <= f_max).collect();

    let csv_path = out.join("spectrum.csv");
    let err = |e: csv::Error| Error::io(csv_path.display(), e);
    let mut w = csv::Writer::from_path(&csv_path).map_err(err)?;
    let mut head = vec!["f_hz".to_string(), "power".to_string()];
    head.extend((0..sp.sublattices.len()).map(|k| format!("power_sub{k}")));
    w.write_record(&head).map_err(err)?;
    for &k in &keep {
        let mut row = vec![sp.f[k].to_string(), sp.power[k].to_string()];
        row.extend(sp.sublattices.iter().map(|p| p[k].to_string()));
        w.write_record(&row).map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(csv_path.display(), e))?;

    let fmin_peaks = 2.0 * sp.resolution;
    let lines = |p: &[f64]| -> Vec<serde_json::Value> {
        peaks(&sp.f[..=*keep.last().unwrap_or(&0)], &p[..=*keep.last().unwrap_or(&0)], fmin_peaks, 0.01, 10)
            .iter()
            .map(|q| json!({"f_hz": q.f, "relative_power": q.relative}))
            .collect()
    };
    // Figure: log10 of power normalised to the strongest line, array and sub-lattices.
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
    .map_err(|e| Error::io("figure", e))?;

    let pulse_dir = spec.pulse_direction(&bias);
    let mut summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "spectrum",
        "config_file": path.display().to_string(),
        "n_magnets": islands.len(),
        "bias_t": [bias.x, bias.y, bias.z],
        "pulse_direction": [pulse_dir.x, pulse_dir.y, pulse_dir.z],
        "resolution_hz": sp.resolution,
        "band_hz": [0.0, f_max],
        "nyquist_hz": 0.5 / spec.sample_interval,
        "peaks": lines(&sp.power),
        "sublattice_peaks": sp.sublattices.iter().map(|p| lines(p)).collect::<Vec<_>>(),
        "probe_q_diss_j": r.q_diss,
        "spectrum": serde_json::to_value(&resolved).unwrap_or_default(),
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or_default(),
    });

    if !sweep.is_empty() {
        let dir = crate::reservoir::encoder::in_plane(dir_deg);
        let columns: Vec<Vec<f64>> = sweep
            .par_iter()
            .map(|&b| -> Result<Vec<f64>, Error> {
                let bias = dir * b;
                let protocol = Protocol::new(vec![Segment::Constant { b: bias, duration: relax.max(1e-15) }]);
                let array = MacrospinArray::new(&islands, &cfg.material, cfg.coupling, cfg.lattice.spacing(), protocol);
                let mut e = MacrospinEngine::new(array, islands.clone(), &m, &cfg.solver, &cfg.temperature);
                if relax > 0.0 {
                    e.advance(relax, 1, &mut |_| Ok(()))?;
                }
                let r = probe(&cfg, &islands, &e.magnetisation(), bias, &spec)?;
                Ok(keep.iter().map(|&k| r.spectrum.power[k]).collect())
            })
            .collect::<Result<_, _>>()?;
        let map_path = out.join("spectrum_map.csv");
        let err = |e: csv::Error| Error::io(map_path.display(), e);
        let mut w = csv::Writer::from_path(&map_path).map_err(err)?;
        w.write_record(["bias_t", "f_hz", "power"]).map_err(err)?;
        for (b, col) in sweep.iter().zip(&columns) {
            for (j, &k) in keep.iter().enumerate() {
                w.write_record(&[b.to_string(), sp.f[k].to_string(), col[j].to_string()]).map_err(err)?;
            }
        }
        w.flush().map_err(|e| Error::io(map_path.display(), e))?;
        let fig = plot::FmrMap {
            title: format!("Field-swept FMR ({} islands)", islands.len()),
            bias_mt: sweep.iter().map(|b| b * 1e3).collect(),
            f_ghz: f_ghz.clone(),
            power: columns,
            decades: 3.0,
        };
        plot::fmr_map(&out.join("spectrum_map.png"), Some(&out.join("spectrum_map.svg")), &fig)
            .map_err(|e| Error::io("figure", e))?;
        summary["bias_sweep_t"] = json!(sweep);
        summary["bias_direction_deg"] = json!(dir_deg);
        summary["relax_s"] = json!(relax);
    }
    summary["wall_seconds"] = json!(wall.elapsed().as_secs_f64());
    io::write_json(&out.join("summary.json"), &summary)?;
    if !quiet {
        let top: Vec<String> =
            peaks(&sp.f, &sp.power, fmin_peaks, 0.01, 4).iter().map(|q| format!("{:.2} GHz", q.f / 1e9)).collect();
        eprintln!(
            "spectrum: {} islands, lines at {}; resolution {:.3} GHz; {:.1} s; wrote {}",
            islands.len(),
            top.join(", "),
            sp.resolution / 1e9,
            wall.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(())
}
