//! `simulate`: run a field protocol on any engine and write its files, as produced:
//! DIR/table.csv (one row per `output.interval`, the last row the end of the run),
//! DIR/history_m.npy or .csv (every island's m per row, with `output.history`), for engines
//! with cells OVF snapshots DIR/m000000.ovf … every `output.snapshot_interval`; at the end
//! DIR/magnets.csv (islands: final m), DIR/summary.json, DIR/m_vs_t.png/.svg,
//! DIR/lattice.png/.svg, and for engines with cells DIR/m_final.ovf and DIR/m_final.png.
//! With `init.relax` and no `[[field]]` it is a relaxation only: the table holds the relaxed
//! state.

use crate::config::{History, SimConfig};
use crate::engine::{self, Engine, Observables};
use crate::error::{ConfigError, Error};
use crate::io::{self, npy::NpyWriter, ovf, table::TableWriter};
use crate::plot;
use crate::progress::{Progress, Watch};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// Output intervals advanced per engine call when no snapshot falls between rows.
const BATCH: usize = 64;
/// Points kept for the m(t) figure; older points are thinned by 2 when it fills.
const PLOT_POINTS: usize = 20_000;

/// An evenly thinned copy of a long time series, for plotting.
#[derive(Default)]
struct Thinned {
    stride: usize,
    count: usize,
    rows: Vec<[f64; 4]>,
}

impl Thinned {
    fn push(&mut self, o: &Observables) {
        self.stride = self.stride.max(1);
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

/// Every island's m per output row (`output.history`).
enum HistoryWriter {
    None,
    Npy { m: NpyWriter, t: NpyWriter },
    Csv { w: std::io::BufWriter<std::fs::File>, path: std::path::PathBuf },
}

impl HistoryWriter {
    fn create(kind: History, out: &Path, islands: usize) -> Result<Self, Error> {
        Ok(match kind {
            History::None => HistoryWriter::None,
            History::Npy => HistoryWriter::Npy {
                m: NpyWriter::create(&out.join("history_m.npy"), &[islands, 3])?,
                t: NpyWriter::create(&out.join("history_t.npy"), &[])?,
            },
            History::Csv => {
                let path = out.join("history_m.csv");
                let f = std::fs::File::create(&path).map_err(|e| Error::io(path.display(), e))?;
                let mut w = std::io::BufWriter::new(f);
                writeln!(w, "t_s,island,mx,my,mz").map_err(|e| Error::io(path.display(), e))?;
                HistoryWriter::Csv { w, path }
            }
        })
    }

    fn push(&mut self, t: f64, engine: &dyn Engine) -> Result<(), Error> {
        match self {
            HistoryWriter::None => Ok(()),
            HistoryWriter::Npy { m, t: tw } => {
                let flat: Vec<f64> = engine.island_m().iter().flat_map(|v| [v.x, v.y, v.z]).collect();
                m.push(&flat)?;
                tw.push(&[t])
            }
            HistoryWriter::Csv { w, path } => {
                let err = |e: std::io::Error| Error::io(path.display(), e);
                for (i, v) in engine.island_m().iter().enumerate() {
                    writeln!(w, "{t:e},{i},{:e},{:e},{:e}", v.x, v.y, v.z).map_err(err)?;
                }
                w.flush().map_err(err)
            }
        }
    }
}

/// The output stops of a run of `duration` s: (time, write a row, write a snapshot).
fn stops(duration: f64, h: f64, snapshot: Option<f64>) -> Vec<(f64, bool, bool)> {
    let n_rows = ((duration / h) * (1.0 + 1e-12)).floor() as usize;
    let mut stops: Vec<(f64, bool, bool)> = (1..=n_rows).map(|k| (k as f64 * h, true, false)).collect();
    if let Some(s) = snapshot {
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
    merged
}

/// Writes the OVF snapshot `k` of the engine's cells (engines with cells only).
fn snapshot(engine: &dyn Engine, path: &Path, format: ovf::OvfFormat) -> Result<(), Error> {
    if let Some(c) = engine.cells() {
        // The title carries the time as "t = <seconds> s": the Python package reads it back.
        let title = format!("m (unit magnetisation) at t = {:e} s", engine.time());
        ovf::write(path, &ovf::OvfField::of_mesh(c.mesh, c.m, title), format)?;
    }
    Ok(())
}

/// Validates a raw config for `simulate`; a `[spectrum]` config is refused (it is for
/// `nanomag spectrum`).
pub fn validate(raw: &crate::config::raw::RawConfig, base_dir: &Path) -> Result<SimConfig, ConfigError> {
    if raw.spectrum.is_some() {
        return Err(ConfigError::new(
            "spectrum",
            "[spectrum]",
            "is for `nanomag spectrum` (or the spectrum features of `nanomag run`): run this file with `nanomag spectrum`",
        ));
    }
    let cfg = crate::registry::validate(raw, base_dir)?;
    if let Some(s) = cfg.snapshots.interval {
        let n = cfg.protocol.duration() / s;
        if n > MAX_SNAPSHOTS {
            return Err(ConfigError::new(
                "output.snapshot_interval",
                crate::config::checks::show(s),
                format!(
                    "gives {} OVF snapshots of a {} s run: at most {}, so it must be ≥ {} s",
                    crate::cost::brief(n.ceil()),
                    crate::config::checks::show(cfg.protocol.duration()),
                    crate::cost::brief(MAX_SNAPSHOTS),
                    crate::config::checks::show(cfg.protocol.duration() / MAX_SNAPSHOTS)
                ),
            ));
        }
    }
    Ok(cfg)
}

/// Most OVF snapshots one run may write.
pub const MAX_SNAPSHOTS: f64 = 1e5;

/// The cost of simulating `cfg` ([`crate::cost`]): its engine for the protocol's duration,
/// the table, history and snapshots. Builds the islands (positions only) but no engine.
pub fn estimate(cfg: &SimConfig) -> Result<crate::cost::Estimate, ConfigError> {
    let islands = cfg.islands()?;
    let duration = cfg.protocol.duration();
    let rows = (duration / cfg.output_interval).ceil() + 1.0;
    let e = crate::cost::simulate(cfg, &islands, duration, rows);
    Ok(e)
}

/// Runs a validated config, writing everything into `out`; returns the summary it wrote.
/// `watch` is told the number of output stops and each stop done.
pub fn simulate(
    cfg: &SimConfig,
    config_path: &Path,
    out: &Path,
    quiet: bool,
    watch: &dyn Watch,
) -> Result<Value, Error> {
    let wall = Instant::now();
    crate::io::out_dir(out)?;
    let mut engine = crate::registry::from_config(cfg)?;
    let relax_cost = engine.cost();
    let duration = cfg.protocol.duration();
    let h = cfg.output_interval;
    let ovf_format = cfg.snapshots.format;
    let snap_every = cfg.snapshots.interval.filter(|_| engine.cells().is_some());
    let plan = stops(duration, h, snap_every);

    let first = engine.observables();
    let mut table = TableWriter::create(&out.join("table.csv"), &first)?;
    let mut history = HistoryWriter::create(cfg.history, out, engine.islands().len())?;
    let mut series = Thinned::default();
    table.write(&first)?;
    history.push(first.t, engine.as_ref())?;
    series.push(&first);
    let mut n_snap = 0usize;
    if snap_every.is_some() {
        snapshot(engine.as_ref(), &out.join("m000000.ovf"), ovf_format)?;
        n_snap += 1;
    }
    let progress = Progress::new(plan.len() as u64, "simulate", quiet);
    watch.total(plan.len() as u64);
    let mut last = first.clone();
    // Without a history, consecutive rows at the regular interval go in batches.
    let max_batch = if cfg.history == History::None { BATCH } else { 1 };
    let mut k = 0;
    while k < plan.len() {
        // A batch of consecutive rows at the regular interval, or one stop.
        let batch = plan[k..].iter().take(max_batch).take_while(|s| s.1 && !s.2).count();
        let regular = batch > 1 && (plan[k + batch - 1].0 - engine.time() - batch as f64 * h).abs() < 1e-9 * h;
        let (n, step) = if regular { (batch, h) } else { (1, plan[k].0 - engine.time()) };
        let mut rows = Vec::new();
        engine.advance(step, n, &mut |o| {
            rows.push(o.clone());
            Ok(())
        })?;
        for (j, o) in rows.iter().enumerate() {
            let (_, is_row, is_snap) = plan[k + j];
            if is_row {
                table.write(o)?;
                series.push(o);
                last = o.clone();
            }
            if j + 1 == rows.len() {
                if is_row && n == 1 {
                    history.push(o.t, engine.as_ref())?;
                }
                if is_snap {
                    snapshot(engine.as_ref(), &out.join(format!("m{n_snap:06}.ovf")), ovf_format)?;
                    n_snap += 1;
                }
            }
        }
        progress.inc(n as u64);
        watch.inc(n as u64);
        k += n;
    }
    progress.finish();
    finish(cfg, engine.as_ref(), config_path, out, quiet, (&first, &last), &series, n_snap, relax_cost, wall)
}

/// What a run ends with: its first and last rows, the thinned series, the snapshot count,
/// the relaxation's cost and the wall clock's start.
struct Ends<'a> {
    first: &'a Observables,
    last: &'a Observables,
    series: &'a Thinned,
    n_snap: usize,
    relax_cost: engine::Cost,
    wall: Instant,
}

/// The end of a run: final-state files, summary.json and figures.
#[allow(clippy::too_many_arguments)]
fn finish(
    cfg: &SimConfig,
    engine: &dyn Engine,
    config_path: &Path,
    out: &Path,
    quiet: bool,
    (first, last): (&Observables, &Observables),
    series: &Thinned,
    n_snap: usize,
    relax_cost: engine::Cost,
    wall: Instant,
) -> Result<Value, Error> {
    let end = Ends { first, last, series, n_snap, relax_cost, wall };
    final_state(cfg, engine, out, last)?;
    let summary = summary(cfg, engine, config_path, &end);
    io::write_json(&out.join("summary.json"), &summary)?;
    figures(cfg, engine, out, &end)?;
    if !quiet {
        report(engine, out, &end);
    }
    Ok(summary)
}

fn figure(r: Result<(), String>) -> Result<(), Error> {
    r.map_err(|e| Error::io("figure", e))
}

/// magnets.csv (islands), m_final.ovf and m_final.png (cells).
fn final_state(cfg: &SimConfig, engine: &dyn Engine, out: &Path, last: &Observables) -> Result<(), Error> {
    let islands = engine.islands();
    if !islands.is_empty() {
        let island_m = engine.island_m();
        io::magnets::write_textured(&out.join("magnets.csv"), islands, &island_m, &engine.island_textures())?;
    }
    if let Some(c) = engine.cells() {
        snapshot(engine, &out.join("m_final.ovf"), cfg.snapshots.format)?;
        let [nx, ny, nz] = c.mesh.n;
        let title = format!(
            "m at t = {:.3} ns ({nx} × {ny} × {nz} cells{})",
            last.t * 1e9,
            if nz > 1 { ", top layer" } else { "" }
        );
        figure(plot::cell_map(&out.join("m_final.png"), &plot::CellMap::top_layer(c.mesh, c.m, title)))?;
    }
    Ok(())
}

/// summary.json of a run.
fn summary(cfg: &SimConfig, engine: &dyn Engine, config_path: &Path, end: &Ends) -> Value {
    let (first, last, islands, cost) = (end.first, end.last, engine.islands(), engine.cost());
    json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "simulate",
        "config_file": config_path.display().to_string(),
        "engine": engine.kind(),
        "engine_details": engine.describe(),
        "lattice": if islands.is_empty() { "box".to_string() } else { cfg.lattice.name().to_string() },
        "n_islands": islands.len(),
        "relax": cfg.relax.map(|r| json!({ "minimiser": r.minimiser.name(), "max_torque_t": r.max_torque,
            "field_t": [r.field.x, r.field.y, r.field.z], "iterations": end.relax_cost.steps, "field_evaluations": end.relax_cost.evaluations })),
        "field_evaluations": cost.evaluations,
        "steps": cost.steps,
        "element_updates": cost.evaluations as f64 * cost.elements as f64,
        "rows": end.series.count,
        "snapshots": end.n_snap,
        "t_end_s": last.t,
        "wall_seconds": end.wall.elapsed().as_secs_f64(),
        "seeds": { "lattice": cfg.disorder.seed, "temperature": cfg.temperature.seed, "init": cfg.resolved.init.seed },
        "initial": observables_json(first),
        "final": observables_json(last),
        "energy_balance": {
            "delta_e_j": last.e_total - first.e_total,
            "w_ext_minus_q_j": last.w_ext - last.q_diss,
            "residual_j": (last.e_total - first.e_total) - (last.w_ext - last.q_diss),
            "note": "E(t) - E(0) = W_ext - Q holds at T = 0 to the integrator's accuracy; at T > 0 the heat bath also exchanges energy",
        },
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or(Value::Null),
    })
}

/// m_vs_t, the lattice map and (if asked) the history animation.
fn figures(cfg: &SimConfig, engine: &dyn Engine, out: &Path, end: &Ends) -> Result<(), Error> {
    let series = end.series;
    let (t, mx, my, mz) = (series.column(0), series.column(1), series.column(2), series.column(3));
    figure(plot::m_vs_t(&out.join("m_vs_t.png"), Some(&out.join("m_vs_t.svg")), &t, &mx, &my, &mz))?;
    let islands = engine.islands();
    if !islands.is_empty() {
        let island_m = engine.island_m();
        let glyphs: Vec<plot::IslandGlyph> =
            islands.iter().zip(&island_m).map(|(i, mi)| plot::IslandGlyph::of(i, mi)).collect();
        let means = if engine.cells().is_some() { " (island means)" } else { "" };
        let title =
            format!("{} lattice{means}, {} magnets, t = {:.3} ns", cfg.lattice.name(), glyphs.len(), end.last.t * 1e9);
        figure(plot::lattice_map(&out.join("lattice.png"), Some(&out.join("lattice.svg")), &title, &glyphs))?;
    }
    if cfg.animation && !islands.is_empty() {
        animation(out, islands)?;
    }
    Ok(())
}

/// The one-line report on stderr.
fn report(engine: &dyn Engine, out: &Path, end: &Ends) {
    let last = end.last;
    eprintln!(
        "simulate: {} engine, {} islands{}, {:.3} ns in {:.2} s ({} field evaluations); final <m> = ({:.4}, {:.4}, {:.4}); wrote {}",
        engine.kind(),
        engine.islands().len(),
        engine.cells().map_or(String::new(), |c| format!(" on {:?} cells", c.mesh.n)),
        last.t * 1e9,
        end.wall.elapsed().as_secs_f64(),
        engine.cost().evaluations,
        last.m.x,
        last.m.y,
        last.m.z,
        out.display()
    );
}

/// A time (s) for a figure title in the unit that suits it: "0 s", "12.5 ns", "3.2 µs", "0.25 s".
fn time_label(t: f64) -> String {
    let a = t.abs();
    if a == 0.0 {
        "0 s".into()
    } else if a < 1e-6 {
        format!("{:.4} ns", t * 1e9)
    } else if a < 1e-3 {
        format!("{:.4} µs", t * 1e6)
    } else {
        format!("{t:.4e} s")
    }
}

/// Most frames of history.gif (rows are thinned evenly beyond it) and panels of history.png.
const MAX_FRAMES: usize = 400;
const PANELS: usize = 12;

/// history.gif (every row of the history, thinned to [`MAX_FRAMES`]) and history.png (up to
/// [`PANELS`] evenly spaced rows, the last included), from history_m.npy and history_t.npy.
fn animation(out: &Path, islands: &[crate::geometry::Island]) -> Result<(), Error> {
    let (shape, m) = io::npy::read(&out.join("history_m.npy"))?;
    let (_, t) = io::npy::read(&out.join("history_t.npy"))?;
    let rows = shape.first().copied().unwrap_or(0).min(t.len());
    let n = islands.len();
    let frame = |r: usize| -> (String, Vec<plot::IslandGlyph>) {
        let glyphs = islands
            .iter()
            .enumerate()
            .map(|(i, isl)| {
                let k = 3 * (r * n + i);
                plot::IslandGlyph::of(isl, &nalgebra::Vector3::new(m[k], m[k + 1], m[k + 2]))
            })
            .collect();
        (format!("row {r}, t = {}", time_label(t[r])), glyphs)
    };
    let pick = |count: usize| -> Vec<usize> {
        let k = count.min(rows).max(1);
        let mut v: Vec<usize> = (0..k).map(|j| j * rows.saturating_sub(1) / (k - 1).max(1)).collect();
        v.dedup();
        v
    };
    let figure = |r: Result<(), String>| r.map_err(|e| Error::io("figure", e));
    if rows > 0 {
        let frames: Vec<_> = pick(MAX_FRAMES).into_iter().map(frame).collect();
        figure(plot::lattice_gif(&out.join("history.gif"), &frames, 300))?;
        let panels: Vec<_> = pick(PANELS).into_iter().map(frame).collect();
        figure(plot::lattice_frames(&out.join("history.png"), &panels, 4))?;
    }
    Ok(())
}

/// An observables row as JSON, energies by name with unit.
pub fn observables_json(o: &Observables) -> Value {
    let mut v = json!({
        "t_s": o.t, "mx": o.m.x, "my": o.m.y, "mz": o.m.z,
        "e_total_j": o.e_total, "w_ext_j": o.w_ext, "q_diss_j": o.q_diss,
    });
    for (name, e) in &o.parts {
        v[format!("{name}_j")] = json!(e);
    }
    v
}
