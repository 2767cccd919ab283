//! `nanomag simulate CONFIG.toml --out DIR`: run a field protocol on a lattice.
//!
//! Writes DIR/table.csv (row by row as the run goes), DIR/magnets.csv (final state),
//! DIR/summary.json, and the figures DIR/m_vs_t.png/.svg and DIR/lattice.png/.svg.

use super::progress::Progress;
use crate::config::{self, SimConfig};
use crate::engine::{Engine, Observables};
use crate::error::Error;
use crate::io::{self, table::TableWriter};
use crate::macrospin::MacrospinEngine;
use crate::plot;
use serde_json::json;
use std::path::Path;
use std::time::Instant;

/// Output intervals advanced per engine call (progress granularity).
const BATCH: usize = 64;
/// Points kept for the m(t) figure; older points are thinned by 2 when it fills.
const PLOT_POINTS: usize = 20_000;

/// Keeps an evenly thinned copy of a long time series for plotting.
#[derive(Default)]
struct Thinned {
    stride: usize,
    count: usize,
    rows: Vec<[f64; 4]>,
}

impl Thinned {
    fn push(&mut self, o: &Observables) {
        if self.stride == 0 {
            self.stride = 1;
        }
        if self.count.is_multiple_of(self.stride) {
            self.rows.push([o.t, o.m.x, o.m.y, o.m.z]);
            if self.rows.len() >= 2 * PLOT_POINTS {
                self.rows = self.rows.iter().step_by(2).copied().collect();
                self.stride *= 2;
            }
        }
        self.count += 1;
    }
    fn column(&self, k: usize) -> Vec<f64> {
        self.rows.iter().map(|r| r[k]).collect()
    }
}

/// Runs `simulate` and returns the summary it wrote.
pub fn run(config_path: &Path, out: &Path, set: &[String], quiet: bool) -> Result<serde_json::Value, Error> {
    let cfg = if set.is_empty() {
        config::load(config_path)?
    } else {
        let raw = config::load_raw(config_path, set)?;
        config::validate(&raw, config_path.parent().unwrap_or(Path::new(".")))?
    };
    if cfg.resolved.spectrum.is_some() {
        return Err(crate::error::ConfigError::new(
            "spectrum",
            "[spectrum]",
            "is for `nanomag spectrum` (or the spectrum features of `nanomag run`): run this file with `nanomag spectrum`",
        )
        .into());
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out.display(), e))?;
    match &cfg.micro {
        Some(spec) => super::simulate_micromag::simulate(&cfg, spec, config_path, out, quiet),
        None => simulate(&cfg, config_path, out, quiet),
    }
}

/// Runs a validated config, writing everything into `out`.
pub fn simulate(cfg: &SimConfig, config_path: &Path, out: &Path, quiet: bool) -> Result<serde_json::Value, Error> {
    let wall = Instant::now();
    let mut engine = MacrospinEngine::from_config(cfg)?;
    let duration = cfg.protocol.duration();
    let h = cfg.output_interval;
    let n_full = ((duration / h) * (1.0 + 1e-12)).floor() as usize;
    let remainder = duration - n_full as f64 * h;

    let mut table = TableWriter::create(&out.join("table.csv"))?;
    let mut series = Thinned::default();
    let first = engine.observables();
    table.write(&first)?;
    series.push(&first);
    let progress = Progress::new(n_full as u64, "simulate", quiet);
    let mut last = first.clone();
    let mut observer = |o: &Observables| -> Result<(), Error> {
        table.write(o)?;
        series.push(o);
        last = o.clone();
        Ok(())
    };
    let mut done = 0;
    while done < n_full {
        let k = BATCH.min(n_full - done);
        engine.advance(h, k, &mut observer)?;
        done += k;
        progress.inc(k as u64);
    }
    if remainder > 1e-9 * h {
        engine.advance(remainder, 1, &mut observer)?;
    }
    progress.finish();

    let m = engine.magnetisation();
    io::magnets::write(&out.join("magnets.csv"), &engine.islands, &m)?;
    let balance = (last.e_total - first.e_total) - (last.w_ext - last.q_diss);
    let summary = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "simulate",
        "config_file": config_path.display().to_string(),
        "engine": "macrospin",
        "lattice": cfg.lattice.name(),
        "n_magnets": engine.islands.len(),
        "method": cfg.solver.method.name(),
        "rhs_evaluations": engine.evaluations(),
        "rows": series.count,
        "t_end_s": last.t,
        "wall_seconds": wall.elapsed().as_secs_f64(),
        "seeds": { "lattice": cfg.disorder.seed, "temperature": cfg.temperature.seed, "init": cfg.resolved.init.seed },
        "initial": observables_json(&first),
        "final": observables_json(&last),
        "energy_balance": {
            "delta_e_j": last.e_total - first.e_total,
            "w_ext_minus_q_j": last.w_ext - last.q_diss,
            "residual_j": balance,
            "note": "E(t) - E(0) = W_ext - Q holds at T = 0; at T > 0 the heat bath also exchanges energy",
        },
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or(serde_json::Value::Null),
    });
    io::write_json(&out.join("summary.json"), &summary)?;

    let figure = |r: Result<(), String>| r.map_err(|e| Error::io("figure", e));
    let (t, mx, my, mz) = (series.column(0), series.column(1), series.column(2), series.column(3));
    figure(plot::m_vs_t(&out.join("m_vs_t.png"), Some(&out.join("m_vs_t.svg")), &t, &mx, &my, &mz))?;
    let glyphs: Vec<plot::IslandGlyph> =
        engine.islands.iter().zip(&m).map(|(i, mi)| plot::IslandGlyph::of(i, mi)).collect();
    let title = format!("{} lattice, {} magnets, t = {:.3} ns", cfg.lattice.name(), glyphs.len(), last.t * 1e9);
    figure(plot::lattice_map(&out.join("lattice.png"), Some(&out.join("lattice.svg")), &title, &glyphs))?;
    if !quiet {
        eprintln!(
            "simulate: {} magnets, {:.3} ns in {:.2} s; final <m> = ({:.4}, {:.4}, {:.4}); wrote {}",
            glyphs.len(),
            last.t * 1e9,
            wall.elapsed().as_secs_f64(),
            last.m.x,
            last.m.y,
            last.m.z,
            out.display()
        );
    }
    Ok(summary)
}

fn observables_json(o: &Observables) -> serde_json::Value {
    json!({
        "t_s": o.t, "mx": o.m.x, "my": o.m.y, "mz": o.m.z,
        "e_total_j": o.e_total, "w_ext_j": o.w_ext, "q_diss_j": o.q_diss,
        "e_zeeman_j": o.parts[0], "e_shape_j": o.parts[1], "e_anisotropy_j": o.parts[2], "e_dipolar_j": o.parts[3],
    })
}
