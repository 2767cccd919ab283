//! The sweep figures, drawn from `results.jsonl` alone (`nanomag plot DIR`):
//! `accuracy_vs_energy` (one per task, `accuracy_vs_energy_<task>` when there are several:
//! test NRMSE against energy per input step, magnet series coloured by
//! the first swept parameter, software baselines as the CMOS reference, the array's own
//! dissipation as hollow markers, Landauer floors, the Pareto front, and other hardware's
//! energy per operation marked on the energy axis from `data/hardware_references.csv`),
//! `energy_breakdown` (stacked parts per configuration) and, for every group with two or more
//! swept parameters, `heatmap_<group>` (test NRMSE over the first two, one panel per value of
//! the third).

use super::results::Record;
use crate::error::Error;
use crate::plot::{self, AccuracyEnergy, Breakdown, HeatMap, Scatter};
use serde_json::Value;
use std::path::Path;

/// The hardware reference table, compiled in (`data/hardware_references.csv`).
pub const HARDWARE_REFERENCES: &str = include_str!("../../data/hardware_references.csv");

/// (short label, energy per operation in J) of every row of the reference table.
pub fn hardware_references() -> Vec<(String, f64)> {
    let mut r = csv::Reader::from_reader(HARDWARE_REFERENCES.as_bytes());
    let head = r.headers().cloned().unwrap_or_default();
    let col = |name: &str| head.iter().position(|h| h == name);
    let (Some(l), Some(e)) = (col("label"), col("energy_per_op_j")) else { return Vec::new() };
    r.records()
        .filter_map(|rec| rec.ok())
        .filter_map(|rec| Some((rec.get(l)?.to_string(), rec.get(e)?.parse::<f64>().ok()?)))
        .collect()
}

/// A swept value as a short label: numbers compactly, arrays as (a, b, c).
pub fn show_value(v: &Value) -> String {
    match v {
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| plot::style::fmt_tick(&x)),
        Value::Array(a) => format!("({})", a.iter().map(show_value).collect::<Vec<_>>().join(", ")),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A swept key with its unit, for axis labels and legends.
pub fn with_unit(key: &str) -> String {
    let unit = match key {
        "input.hold" | "input.rise" => "s",
        "input.db" | "input.b0" | "input.magnitude" | "input.h_min" | "input.h_max" => "T",
        "input.angle0" | "input.span" | "input.direction" | "lattice.angle_disorder" => "°",
        "temperature.t" | "energy.landauer_temperature" => "K",
        "lattice.spacing" | "magnet.length" | "magnet.width" | "magnet.thickness" => "m",
        "material.ms" => "A/m",
        "lattice.nx" | "lattice.ny" => "cells",
        "reservoir.n" => "nodes",
        _ => "",
    };
    if unit.is_empty() {
        key.to_string()
    } else {
        format!("{key} ({unit})")
    }
}

/// A swept value as an axis tick: arrays by their magnitude (see [`tick_label`]).
fn tick_value(v: &Value) -> String {
    match v {
        Value::Array(a) => {
            let norm = a.iter().filter_map(|x| x.as_f64()).map(|x| x * x).sum::<f64>().sqrt();
            plot::style::fmt_tick(&norm)
        }
        other => show_value(other),
    }
}

/// Axis label of a swept key; arrays (vectors) are shown by their magnitude.
fn tick_label(key: &str, sample: Option<&Value>) -> String {
    match sample {
        Some(Value::Array(_)) => format!("|{}|", with_unit(key)),
        _ => with_unit(key),
    }
}

/// Swept keys (other than `seed`) that take more than one value among `recs`, in first-seen order.
fn varying(recs: &[&Record]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for r in recs {
        for k in r.params.keys() {
            if k != "seed" && !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    keys.retain(|k| {
        let mut vals: Vec<&Value> = recs.iter().filter_map(|r| r.params.get(k)).collect();
        vals.dedup();
        vals.iter().any(|v| *v != vals[0])
    });
    // A key that always moves with an earlier one (a paired axis) is not a parameter of its own.
    let mut kept: Vec<String> = Vec::new();
    for k in keys {
        let paired = kept.iter().any(|e| {
            recs.iter().all(|a| {
                recs.iter().all(|b| (a.params.get(e) == b.params.get(e)) == (a.params.get(&k) == b.params.get(&k)))
            })
        });
        if !paired {
            kept.push(k);
        }
    }
    kept
}

/// Distinct values of `key` among `recs`, in first-seen order.
fn distinct(recs: &[&Record], key: &str) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for r in recs {
        if let Some(v) = r.params.get(key) {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
    }
    out
}

fn ok(records: &[Record]) -> Vec<&Record> {
    records.iter().filter(|r| r.error.is_none() && r.nrmse_test.is_some() && r.energy.is_some()).collect()
}

fn groups(recs: &[&Record]) -> Vec<String> {
    let mut g: Vec<String> = Vec::new();
    for r in recs {
        if !g.contains(&r.group) {
            g.push(r.group.clone());
        }
    }
    g
}

/// Distinct tasks among `recs`, in first-seen order.
fn tasks(recs: &[&Record]) -> Vec<String> {
    let mut t: Vec<String> = Vec::new();
    for r in recs {
        if !t.contains(&r.task) {
            t.push(r.task.clone());
        }
    }
    t
}

fn task_name(recs: &[&Record]) -> String {
    tasks(recs).join(", ")
}

/// Points that differ only in their `seed` shift, averaged: mean energy, mean ± sample std
/// of the test NRMSE over the seeds.
#[derive(Debug, Clone)]
struct Agg<'a> {
    first: &'a Record,
    total: f64,
    dissipated: f64,
    nrmse: f64,
    std: f64,
}

fn aggregate<'a>(members: &[&'a Record]) -> Vec<Agg<'a>> {
    let key = |r: &Record| -> Vec<(String, Value)> {
        r.params.iter().filter(|(k, _)| *k != "seed").map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    type Bucket<'b> = (Vec<(String, Value)>, Vec<&'b Record>);
    let mut out: Vec<Bucket<'a>> = Vec::new();
    for r in members {
        let k = key(r);
        match out.iter_mut().find(|(x, _)| *x == k) {
            Some((_, v)) => v.push(r),
            None => out.push((k, vec![r])),
        }
    }
    out.into_iter()
        .map(|(_, rs)| {
            let e = |f: &dyn Fn(&Record) -> f64| rs.iter().map(|r| f(r)).sum::<f64>() / rs.len() as f64;
            let nrmse: Vec<f64> = rs.iter().map(|r| r.nrmse_test.unwrap_or(f64::NAN)).collect();
            let (m, sd) = crate::reservoir::metrics::mean_std(&nrmse);
            Agg {
                first: rs[0],
                total: e(&|r| r.energy.as_ref().map_or(f64::NAN, |e| e.per_step.total)),
                dissipated: e(&|r| r.energy.as_ref().map_or(f64::NAN, |e| e.per_step.dissipated)),
                nrmse: m,
                std: sd,
            }
        })
        .collect()
}

fn scatter(name: String, pts: &[Agg], colour: usize, faded: bool) -> Scatter {
    Scatter {
        name,
        points: pts.iter().map(|a| (a.total, a.nrmse)).collect(),
        errors: pts.iter().map(|a| a.std).collect(),
        colour,
        faded,
        ..Default::default()
    }
}

/// The accuracy-versus-energy figure data. Repeats of a point (a `seed` axis) become one
/// marker at the mean with ± one standard deviation; magnet points that are idealised bounds
/// (T = 0 or ideal reads) are drawn faded and named so, and the Pareto front and the
/// dissipation markers are drawn for the device estimates when there are any. Baselines tuned
/// on validation (`nanomag baselines`) also give the CMOS front: the best digital accuracy for
/// each energy.
pub fn accuracy_energy(records: &[Record]) -> AccuracyEnergy {
    let recs = ok(records);
    let mut fig = AccuracyEnergy {
        title: format!("{}: accuracy against energy per input step", task_name(&recs)),
        x_label: "energy per input step (J), log scale".into(),
        y_label: "test NRMSE (mean ± std over seeds)".into(),
        ..Default::default()
    };
    let any_device = recs.iter().any(|r| r.reservoir_kind == "magnets" && !idealised(r));
    let mut extras = Extras::default();
    for (g, faded) in series_order(&recs) {
        let members: Vec<&Record> = recs.iter().copied().filter(|r| r.group == g).collect();
        let agg = aggregate(&members);
        // Each series takes the next colour of the palette.
        let series = group_series(&g, faded, any_device, &members, &agg, fig.series.len());
        fig.series.extend(series);
        extras.add(&members, &agg, faded, any_device);
    }
    if !extras.dissipation.is_empty() {
        fig.series.push(Scatter {
            name: "magnets: array dissipation only".into(),
            points: extras.dissipation,
            colour: fig.series.len(),
            hollow: true,
            ..Default::default()
        });
    }
    fig.floors = floor_lines(extras.floors);
    fig.pareto = plot::pareto_front(&extras.front);
    fig.cmos_front = plot::pareto_front(&extras.cmos);
    fig.references = hardware_references();
    fig
}

/// True when the record is an idealised bound (T = 0 or ideal reads).
fn idealised(r: &Record) -> bool {
    r.idealised == Some(true)
}

/// The groups in drawing order with whether each is faded (all its points are idealised
/// magnet bounds): device estimates and software first (they take the palette in order),
/// idealised bounds after.
fn series_order(recs: &[&Record]) -> Vec<(String, bool)> {
    let mut order: Vec<(String, bool)> = groups(recs)
        .into_iter()
        .map(|g| {
            let faded = recs.iter().filter(|r| r.group == g).all(|r| r.reservoir_kind == "magnets" && idealised(r));
            (g, faded)
        })
        .collect();
    order.sort_by_key(|(_, faded)| *faded);
    order
}

/// The series of group `g` (points `agg` of `members`), coloured from `colour` on. A magnet
/// group with a swept parameter gives one series per value of the first one; any other group
/// one series whose points name their swept values. Beside device estimates, a faded group
/// (idealised bounds) is one series.
fn group_series(
    g: &str,
    faded: bool,
    any_device: bool,
    members: &[&Record],
    agg: &[Agg],
    colour: usize,
) -> Vec<Scatter> {
    let magnets = members[0].reservoir_kind == "magnets";
    let tag = if faded { " [idealised bound]" } else { "" };
    let keys = if faded && any_device { Vec::new() } else { varying(members) };
    match (magnets, keys.first()) {
        (true, Some(key)) => distinct(members, key)
            .into_iter()
            .enumerate()
            .map(|(k, v)| {
                let pts: Vec<Agg> = agg.iter().filter(|a| a.first.params.get(key) == Some(&v)).cloned().collect();
                let name = format!("{g}: {} = {}{tag}", with_unit(key), show_value(&v));
                scatter(name, &pts, colour + k, faded)
            })
            .collect(),
        _ => {
            let name = if magnets { format!("{g}{tag}") } else { format!("{g} (CMOS, {} pJ/MAC)", mac_pj(members)) };
            let mut sc = scatter(name, agg, colour, faded);
            sc.labels = point_labels(members, agg, magnets);
            vec![sc]
        }
    }
}

/// Each point's label: its swept values (" N=100", " horizon=5") for software; tuned
/// baselines name only their feature count (their chosen values are in the data files);
/// magnet points have empty labels.
fn point_labels(members: &[&Record], agg: &[Agg], magnets: bool) -> Vec<String> {
    let mut all_keys = if magnets { Vec::new() } else { varying(members) };
    if all_keys.iter().any(|k| k == "features") {
        all_keys.retain(|k| k == "features");
    }
    agg.iter()
        .map(|a| {
            all_keys
                .iter()
                .filter_map(|k| a.first.params.get(k).map(|v| (k, v)))
                .map(|(k, v)| {
                    let short = if k == "reservoir.n" { "N" } else { k.rsplit('.').next().unwrap_or(k) };
                    format!(" {short}={}", show_value(v))
                })
                .collect::<String>()
        })
        .collect()
}

/// What the groups give the figure beyond their own series.
#[derive(Default)]
struct Extras {
    /// (energy per step in J, NRMSE) of the points that are not idealised bounds: the
    /// candidates of the Pareto front.
    front: Vec<(f64, f64)>,
    /// The same of baselines tuned on validation: the candidates of the CMOS front.
    cmos: Vec<(f64, f64)>,
    /// (array dissipation per step in J, NRMSE) of the magnet points drawn as hollow markers:
    /// device estimates when there are any, else the idealised bounds.
    dissipation: Vec<(f64, f64)>,
    /// (magnets N, Landauer floor k_B T ln2 × N in J) of each array size, first seen.
    floors: Vec<(usize, f64)>,
}

impl Extras {
    /// Adds the points `agg` of one group's `members`.
    fn add(&mut self, members: &[&Record], agg: &[Agg], faded: bool, any_device: bool) {
        let magnets = members[0].reservoir_kind == "magnets";
        if !faded {
            self.front.extend(agg.iter().map(|a| (a.total, a.nrmse)));
        }
        if !magnets && members.iter().all(|r| r.selection.is_some()) {
            self.cmos.extend(agg.iter().map(|a| (a.total, a.nrmse)));
        }
        if magnets && (faded != any_device) {
            self.dissipation.extend(agg.iter().map(|a| (a.dissipated, a.nrmse)));
            for r in members {
                let (n, e) = (r.n_magnets.unwrap_or(0), r.energy.as_ref().map_or(0.0, |e| e.per_step.landauer));
                if !self.floors.iter().any(|f| f.0 == n) {
                    self.floors.push((n, e));
                }
            }
        }
    }
}

/// The Landauer floors (k_B T ln2 × N, one bit per magnet) of the smallest and the largest
/// array, with their legend text.
fn floor_lines(mut floors: Vec<(usize, f64)>) -> Vec<(String, f64)> {
    floors.sort_by_key(|f| f.0);
    if floors.len() > 2 {
        floors = vec![floors[0], floors[floors.len() - 1]];
    }
    floors.iter().map(|(n, e)| (format!("Landauer floor, k_BT ln2 × {n} magnets"), *e)).collect()
}

fn mac_pj(members: &[&Record]) -> String {
    members
        .iter()
        .find_map(|r| {
            r.energy.as_ref().filter(|e| e.macs_per_step > 0.0).map(|e| e.per_step.cmos / e.macs_per_step * 1e12)
        })
        .map_or("?".into(), |v| plot::style::fmt_tick(&v))
}

/// The energy-breakdown figure data.
pub fn breakdown(records: &[Record]) -> Breakdown {
    let recs = ok(records);
    // Which bars belong to which group, for the title: "magnets 0–26, ESN 27–31".
    let spans: Vec<String> = groups(&recs)
        .iter()
        .map(|g| {
            let idx: Vec<usize> = recs.iter().filter(|r| &r.group == g).map(|r| r.index).collect();
            let (lo, hi) = (idx.iter().min().copied().unwrap_or(0), idx.iter().max().copied().unwrap_or(0));
            if lo == hi {
                format!("{g} {lo}")
            } else {
                format!("{g} {lo}–{hi}")
            }
        })
        .collect();
    Breakdown {
        title: format!("Energy per input step by part ({})", spans.join(", ")),
        parts: vec![
            "dissipated (Gilbert, in the array)".into(),
            "field source".into(),
            "feature sensing".into(),
            "CMOS arithmetic".into(),
        ],
        bars: recs
            .iter()
            .map(|r| {
                let e = &r.energy.as_ref().expect("ok() keeps records with energy").per_step;
                (r.index.to_string(), vec![e.dissipated, e.field_source, e.readout, e.cmos])
            })
            .collect(),
    }
}

/// Heat maps of test NRMSE for groups with two or more swept parameters (mean over the rest).
pub fn heatmaps(records: &[Record]) -> Vec<(String, HeatMap)> {
    let recs = ok(records);
    let mut out = Vec::new();
    for g in groups(&recs) {
        let members: Vec<&Record> = recs.iter().copied().filter(|r| r.group == g).collect();
        let keys = varying(&members);
        if keys.len() < 2 {
            continue;
        }
        let (xs, ys) = (distinct(&members, &keys[0]), distinct(&members, &keys[1]));
        let panels: Vec<Option<Value>> = if keys.len() >= 3 {
            distinct(&members, &keys[2]).into_iter().take(4).map(Some).collect()
        } else {
            vec![None]
        };
        let mut fig = HeatMap {
            title: format!("{g}: {}", task_name(&members)),
            x_label: tick_label(&keys[0], xs.first()),
            y_label: tick_label(&keys[1], ys.first()),
            x_ticks: xs.iter().map(tick_value).collect(),
            y_ticks: ys.iter().map(tick_value).collect(),
            value_label: "test NRMSE".into(),
            panels: Vec::new(),
        };
        for p in panels {
            let name = match &p {
                Some(v) => format!("{} = {}", tick_label(&keys[2], Some(v)), tick_value(v)),
                None => String::new(),
            };
            let grid = ys
                .iter()
                .map(|y| {
                    xs.iter()
                        .map(|x| {
                            let vals: Vec<f64> = members
                                .iter()
                                .filter(|r| r.params.get(&keys[0]) == Some(x) && r.params.get(&keys[1]) == Some(y))
                                .filter(|r| p.as_ref().is_none_or(|v| r.params.get(&keys[2]) == Some(v)))
                                .filter_map(|r| r.nrmse_test)
                                .collect();
                            if vals.is_empty() {
                                f64::NAN
                            } else {
                                vals.iter().sum::<f64>() / vals.len() as f64
                            }
                        })
                        .collect()
                })
                .collect();
            fig.panels.push((name, grid));
        }
        let file = g.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>();
        out.push((file, fig));
    }
    out
}

/// Draws every figure of `records` into `dir` (PNG + SVG); returns the PNG paths.
pub fn draw_all(dir: &Path, records: &[Record]) -> Result<Vec<std::path::PathBuf>, Error> {
    let mut sorted = records.to_vec();
    sorted.sort_by_key(|r| r.index);
    let records = &sorted[..];
    let fig = |r: Result<(), String>| r.map_err(|e| Error::io("figure", e));
    let mut written = Vec::new();
    if ok(records).is_empty() {
        return Ok(written);
    }
    // One accuracy figure per task (errors of different tasks are not comparable).
    let all_tasks = tasks(&ok(records));
    for task in &all_tasks {
        let of_task: Vec<Record> = records.iter().filter(|r| &r.task == task).cloned().collect();
        let name =
            if all_tasks.len() == 1 { "accuracy_vs_energy".to_string() } else { format!("accuracy_vs_energy_{task}") };
        let png = dir.join(format!("{name}.png"));
        fig(plot::accuracy_vs_energy(&png, Some(&dir.join(format!("{name}.svg"))), &accuracy_energy(&of_task)))?;
        written.push(png);
    }
    let png = dir.join("energy_breakdown.png");
    fig(plot::energy_breakdown(&png, Some(&dir.join("energy_breakdown.svg")), &breakdown(records)))?;
    written.push(png);
    for (name, h) in heatmaps(records) {
        let png = dir.join(format!("heatmap_{name}.png"));
        fig(plot::heatmap(&png, Some(&dir.join(format!("heatmap_{name}.svg"))), &h))?;
        written.push(png);
    }
    Ok(written)
}
