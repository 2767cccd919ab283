//! The files of a `run`: DIR/summary.json, DIR/predictions.csv (`t,target,prediction,split`),
//! with `--states` DIR/states.csv and DIR/states.npy ([steps, features]), and the figures
//! DIR/prediction.png/.svg and, for memory capacity, DIR/memory_capacity.csv and
//! DIR/memory_capacity.png/.svg. Library functions, so Rust and Python users get what the CLI
//! writes.

use super::config::{ExperimentConfig, ReservoirSpec};
use super::experiment::{Outcome, SPLITS};
use super::metrics::mean_std;
use crate::error::Error;
use crate::{io, plot};
use serde_json::{json, Value};
use std::path::Path;

/// Writes every file of one experiment (and its repeats' statistics) into `out`; returns the
/// summary. `outcomes[0]` is the one whose predictions and states are written.
pub fn write(cfgs: &[ExperimentConfig], outcomes: &[Outcome], config_path: &Path, out: &Path) -> Result<Value, Error> {
    crate::io::out_dir(out)?;
    let o = &outcomes[0];
    write_predictions(&out.join("predictions.csv"), o)?;
    if let Some(states) = &o.states {
        write_states(&out.join("states.csv"), states)?;
        io::npy::write_2d(&out.join("states.npy"), &states.rows, states.width)?;
    }
    let summary = summary_all(cfgs, outcomes, config_path);
    io::write_json(&out.join("summary.json"), &summary)?;
    figures(out, o)?;
    Ok(summary)
}

/// summary.json of run 0, with mean ± std and the values of every run under `repeats` when
/// there is more than one.
pub fn summary_all(cfgs: &[ExperimentConfig], outcomes: &[Outcome], config_path: &Path) -> Value {
    let mut summary = summary(&cfgs[0], &outcomes[0], config_path);
    if cfgs.len() > 1 {
        let pick = |f: &dyn Fn(&Outcome) -> f64| {
            let v: Vec<f64> = outcomes.iter().map(f).collect();
            let (m, s) = mean_std(&v);
            json!({ "mean": m, "std": s, "values": v })
        };
        summary["repeats"] = json!({
            "n": cfgs.len(),
            "nrmse_test": pick(&|o| o.outputs[0].nrmse_test),
            "nrmse_validation": pick(&|o| o.outputs[0].nrmse_validation),
            "nrmse_train": pick(&|o| o.outputs[0].nrmse_train),
            "memory_capacity": pick(&|o| o.memory_capacity.unwrap_or(f64::NAN)),
            "task_seeds": cfgs.iter().map(|c| c.task_seed).collect::<Vec<_>>(),
            "disorder_seeds": cfgs.iter().map(|c| seeds(c).get("lattice").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>(),
        });
    }
    summary
}

/// summary.json of one outcome.
pub fn summary(cfg: &ExperimentConfig, o: &Outcome, config_path: &Path) -> Value {
    let main = &o.outputs[0];
    let sp = cfg.split;
    let mut v = json!({
        "nanomag_version": env!("CARGO_PKG_VERSION"),
        "command": "run",
        "config_file": config_path.display().to_string(),
        "task": o.task,
        "reservoir": o.reservoir,
        "reservoir_kind": o.reservoir_kind,
        "nrmse_train": main.nrmse_train,
        "nrmse_validation": main.nrmse_validation,
        "nrmse_validation_refit": main.nrmse_validation_refit,
        "nrmse_test": main.nrmse_test,
        "scores": {
            "readout_fit_rows": "train+validation (final model); train only for nrmse_validation",
            "nrmse_train": "in-sample: the final model's own fit rows",
            "nrmse_validation": "out-of-sample weights: fit on the train split only, at the lambda chosen on the validation split (what tune selects on)",
            "nrmse_validation_refit": "in-sample: the final train+validation model on the validation split",
            "nrmse_test": "held out: never used for any choice",
        },
        "sensor": cfg.sensor.describe(),
        "idealised_bound": idealised(cfg),
        "mse_test": main.mse_test,
        "lambda": main.model.lambda,
        "notes": o.notes,
        "n_features": o.n_features,
        "steps": o.steps,
        "split": { "washout": sp.washout, "train": sp.train, "validation": sp.validation, "test": sp.test },
        "wall_seconds": o.wall_seconds,
        "seeds": seeds(cfg),
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or(Value::Null),
    });
    if let Some(mc) = o.memory_capacity {
        v["memory_capacity"] = json!(mc);
        v["memory_capacity_curve"] = json!(o
            .outputs
            .iter()
            .enumerate()
            .map(|(k, r)| json!({"delay": k + 1, "r2": r.r2_test}))
            .collect::<Vec<_>>());
    }
    if let ReservoirSpec::Magnets { system, timing, .. } = &cfg.reservoir {
        v["n_magnets"] = json!(system.islands().map(|i| i.len()).unwrap_or(0));
        v["engine"] = json!(system.engine);
        v["hold_s"] = json!(timing.hold);
    }
    v["energy"] = serde_json::to_value(&o.energy).unwrap_or(Value::Null);
    v
}

/// True when the result is an idealised bound rather than a device estimate: magnets at
/// T = 0, or read by the ideal sensor.
pub fn idealised(cfg: &ExperimentConfig) -> bool {
    match &cfg.reservoir {
        ReservoirSpec::Magnets { system, .. } => system.temperature.t == 0.0 || cfg.sensor.is_ideal(),
        ReservoirSpec::Network(layers) => {
            layers.iter().filter(|l| l.is_magnets()).filter_map(|l| l.cfg.as_ref()).any(idealised)
        }
        _ => false,
    }
}

fn seeds(cfg: &ExperimentConfig) -> Value {
    let mut s = json!({ "task": cfg.task_seed, "sensor": cfg.sensor_seed });
    match &cfg.reservoir {
        ReservoirSpec::Magnets { system, .. } => {
            s["lattice"] = json!(system.disorder.seed);
            s["temperature"] = json!(system.temperature.seed);
            s["input_mask"] = json!(cfg.resolved.input.as_ref().and_then(|i| i.mask_seed));
            s["init"] = json!(system.resolved.init.seed);
        }
        ReservoirSpec::Software(b) => {
            if let Some(seed) = b.seed() {
                s[b.kind()] = json!(seed);
            }
        }
        ReservoirSpec::Network(layers) => {
            s["layers"] = layers.iter().map(|l| l.cfg.as_ref().map_or(Value::Null, seeds)).collect();
        }
    }
    s
}

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::io(path.display(), e)
}

fn write_predictions(path: &Path, o: &Outcome) -> Result<(), Error> {
    let mut w = csv::Writer::from_path(path).map_err(csv_err(path))?;
    w.write_record(["t", "target", "prediction", "split"]).map_err(csv_err(path))?;
    let main = &o.outputs[0];
    for (r, &t) in o.t.iter().enumerate() {
        w.write_record(&[
            t.to_string(),
            main.target[r].to_string(),
            main.prediction[r].to_string(),
            SPLITS[o.split[r]].into(),
        ])
        .map_err(csv_err(path))?;
    }
    w.flush().map_err(|e| Error::io(path.display(), e))
}

fn write_states(path: &Path, s: &crate::reservoir::States) -> Result<(), Error> {
    let mut w = csv::Writer::from_path(path).map_err(csv_err(path))?;
    let mut head = vec!["t".to_string()];
    head.extend((0..s.width).map(|j| format!("x{j}")));
    w.write_record(&head).map_err(csv_err(path))?;
    for t in 0..s.steps() {
        let mut rec = vec![t.to_string()];
        rec.extend(s.row(t).iter().map(|v| v.to_string()));
        w.write_record(&rec).map_err(csv_err(path))?;
    }
    w.flush().map_err(|e| Error::io(path.display(), e))
}

/// Steps of the test split shown in the prediction figure.
const SHOWN: usize = 150;

fn figures(out: &Path, o: &Outcome) -> Result<(), Error> {
    let fig = |r: Result<(), String>| r.map_err(|e| Error::io("figure", e));
    let main = &o.outputs[0];
    let test: Vec<usize> = (0..o.t.len()).filter(|&r| o.split[r] == 2).take(SHOWN).collect();
    let t: Vec<f64> = test.iter().map(|&r| o.t[r] as f64).collect();
    let target: Vec<f64> = test.iter().map(|&r| main.target[r]).collect();
    let pred: Vec<f64> = test.iter().map(|&r| main.prediction[r]).collect();
    let title = format!("{} — {}: test NRMSE {:.3}", o.task, o.reservoir_kind, main.nrmse_test);
    let y_label = if o.memory_capacity.is_some() { "u(t−1)" } else { "y (task units)" };
    fig(plot::line_plot(
        &out.join("prediction.png"),
        Some(&out.join("prediction.svg")),
        &title,
        "input step t",
        y_label,
        &t,
        &[("target", &target), ("prediction", &pred)],
    ))?;
    if let Some(mc) = o.memory_capacity {
        let path = out.join("memory_capacity.csv");
        let mut w = csv::Writer::from_path(&path).map_err(csv_err(&path))?;
        w.write_record(["delay", "r2"]).map_err(csv_err(&path))?;
        for (k, r) in o.outputs.iter().enumerate() {
            w.write_record(&[(k + 1).to_string(), r.r2_test.to_string()]).map_err(csv_err(&path))?;
        }
        w.flush().map_err(|e| Error::io(path.display(), e))?;
        let k: Vec<f64> = (1..=o.outputs.len()).map(|k| k as f64).collect();
        let r2: Vec<f64> = o.outputs.iter().map(|r| r.r2_test).collect();
        fig(plot::line_plot_fixed_y(
            &out.join("memory_capacity.png"),
            Some(&out.join("memory_capacity.svg")),
            &format!("Memory capacity — {}: MC = {mc:.2}", o.reservoir_kind),
            "delay k (input steps)",
            "r² of u(t−k)",
            &k,
            &[("test r²", &r2)],
            (0.0, 1.05),
        ))?;
    }
    Ok(())
}
