//! The `run` pipeline: task → scaled inputs → reservoir states → features → readout →
//! metrics. Pure computation: the CLI (`cli/run.rs`) writes the files and figures.

use super::config::ExperimentConfig;
use super::config::ReservoirSpec;
use super::metrics::{mse, nrmse, r_squared};
use super::readout::LinearModel;
use super::tasks::{self, TaskData};
use super::{sensors, States};
use crate::energy::{self, cmos, Accounting, Usage};
use crate::error::Error;
use nalgebra::Vector3;
use ndarray::{s, Array2, ArrayView2};
use rayon::prelude::*;
use std::time::Instant;

/// The split a row belongs to.
pub const SPLITS: [&str; 3] = ["train", "validation", "test"];

/// Results of one experiment.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub task: String,
    pub reservoir: String,
    pub reservoir_kind: String,
    /// Steps run (washout included).
    pub steps: usize,
    pub n_features: usize,
    /// Per output: the fitted model and its metrics.
    pub outputs: Vec<OutputResult>,
    /// Rows after the washout: time index t and split index into [`SPLITS`].
    pub t: Vec<usize>,
    pub split: Vec<usize>,
    /// Memory capacity Σ_k r²_k on the test split (memory-capacity task only).
    pub memory_capacity: Option<f64>,
    /// Energy per step and per run (`crate::energy`).
    pub energy: Accounting,
    pub wall_seconds: f64,
    /// The states (kept only when asked for).
    pub states: Option<States>,
    pub u: Vec<f64>,
    /// Remarks a user should see (from the readout: a λ at the edge of its grid).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct OutputResult {
    pub name: String,
    pub model: LinearModel,
    /// Target and prediction on the rows after the washout.
    pub target: Vec<f64>,
    pub prediction: Vec<f64>,
    /// In-sample: the final model was fitted on train ∪ validation.
    pub nrmse_train: f64,
    /// Out-of-sample for the weights: the model fitted on the training rows only, at the λ
    /// chosen on these rows (what `tune` selects on).
    pub nrmse_validation: f64,
    /// In-sample: the final (train ∪ validation) model on the validation rows.
    pub nrmse_validation_refit: f64,
    pub nrmse_test: f64,
    pub mse_test: f64,
    /// Squared correlation of target and prediction on the test split.
    pub r2_test: f64,
}

/// Scaled input s = (u − lo)/(hi − lo), so the task's known range maps onto [0, 1].
pub fn scale_inputs(u: &[f64], range: (f64, f64)) -> Vec<f64> {
    let (lo, hi) = range;
    u.iter().map(|x| (x - lo) / (hi - lo)).collect()
}

/// The feature matrix of rows `from..`: [s(t)] (if `include_input`) followed by the state.
pub fn feature_matrix(states: &States, s: &[f64], from: usize, include_input: bool) -> Array2<f64> {
    let rows = states.steps() - from;
    let extra = usize::from(include_input);
    let mut x = Array2::zeros((rows, states.width + extra));
    for r in 0..rows {
        let t = from + r;
        let mut row = x.row_mut(r);
        if include_input {
            row[0] = s[t];
        }
        for (j, v) in states.row(t).iter().enumerate() {
            row[extra + j] = *v;
        }
    }
    x
}

/// Fits every output at once and scores each on each split.
fn fit_outputs(
    cfg: &ExperimentConfig,
    x: ArrayView2<f64>,
    y: &Array2<f64>,
    names: &[String],
) -> Result<(Vec<OutputResult>, Vec<String>), Error> {
    let sp = cfg.split;
    let (a, b) = (sp.train, sp.train + sp.validation);
    let fitted =
        cfg.readout.fit(x.slice(s![..a, ..]), y.slice(s![..a, ..]), x.slice(s![a..b, ..]), y.slice(s![a..b, ..]))?;
    let validation = fitted.validation_nrmse;
    let outputs = fitted
        .models
        .into_par_iter()
        .enumerate()
        .map(|(k, model)| {
            let y = y.column(k);
            let pred = model.predict(x);
            let part = |r: std::ops::Range<usize>| (y.slice(s![r.clone()]), pred.slice(s![r]));
            let (ytr, ptr) = part(0..a);
            let (yva, pva) = part(a..b);
            let (yte, pte) = part(b..y.len());
            Ok(OutputResult {
                name: names[k].clone(),
                nrmse_train: nrmse(ytr, ptr),
                nrmse_validation: validation[k],
                nrmse_validation_refit: if sp.validation > 1 { nrmse(yva, pva) } else { f64::NAN },
                nrmse_test: nrmse(yte, pte),
                mse_test: mse(yte, pte),
                r2_test: r_squared(yte, pte),
                target: y.to_vec(),
                prediction: pred.to_vec(),
                model,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok((outputs, fitted.notes))
}

/// What the run did, for the energy model: dissipation from the engine, the field levels of
/// every step, values sensed and what the sensor spent on them (reads of `sensed_from`
/// feature values each), MACs (readout, and the ESN update) and bits of state.
fn usage(
    cfg: &ExperimentConfig,
    states: &States,
    s: &[f64],
    sensed_from: usize,
    n_features: usize,
    outputs: usize,
) -> Usage {
    let mut u = Usage {
        steps: s.len(),
        macs: cmos::readout_macs(n_features, outputs),
        work_and_heat: states.energy.clone(),
        ..Default::default()
    };
    match &cfg.reservoir {
        ReservoirSpec::Magnets { system, encoder, timing, .. } => {
            let mut prev = Vector3::zeros();
            u.field_source = s
                .iter()
                .map(|&x| {
                    let lv = encoder.levels(x, &timing.mask);
                    let held: Vec<_> = lv
                        .iter()
                        .enumerate()
                        .map(|(j, &(start, b))| (b, (lv.get(j + 1).map_or(1.0, |l| l.0) - start) * timing.hold))
                        .collect();
                    cfg.energy.field_source.energy(&held, &mut prev)
                })
                .collect();
            // Spectral probes: their dissipation, and the field source holding the probe's
            // levels (pulse, then the bias through the ringdown) after the step's own field.
            for (t, p) in states.probes.iter().enumerate() {
                u.probe_dissipated += p.q_diss;
                let mut prev = p.levels.last().map(|l| l.0).unwrap_or_default();
                u.field_source[t] += cfg.energy.field_source.energy(&p.levels, &mut prev);
            }
            u.features_read = states.width;
            u.sensing = cfg.sensor.energy_per_read(sensed_from) * timing.samples as f64;
            // One bit per magnet: the binary state a switching island stores.
            u.bits = system.islands().map_or(0, |i| i.len()) as f64;
        }
        ReservoirSpec::Software(b) => {
            u.macs += b.macs_per_step();
            u.bits = b.bits();
        }
    }
    u
}

/// The states of a reservoir driven by scaled inputs, as the readout sees them.
#[derive(Debug, Clone)]
pub struct Driven {
    /// One row per input step, after the sensor (noise, quantisation, windows).
    pub states: States,
    /// Values one sensor read covers (the reservoir's state width per read).
    pub sensed_from: usize,
    /// The reservoir, in one line.
    pub reservoir: String,
}

/// Drives the experiment's reservoir with scaled inputs s(t) ∈ [0, 1] (one per step) and reads
/// its states through the experiment's sensor: what `run` feeds the readout, before the input
/// column and the washout are applied. `progress(k)` is told as input steps complete.
pub fn drive(cfg: &ExperimentConfig, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<Driven, Error> {
    let mut reservoir = cfg.build_reservoir()?;
    let raw_states = reservoir.run(s, progress)?;
    let sensed_from = raw_states.width / cfg.reads_per_step();
    let states = sensors::apply(cfg.sensor.as_ref(), raw_states, cfg.reads_per_step(), cfg.sensor_seed);
    Ok(Driven { states, sensed_from, reservoir: reservoir.describe() })
}

/// The task data of an experiment: its task's series for `task.seed`, one value per step.
pub fn task_data(cfg: &ExperimentConfig) -> TaskData {
    tasks::generate(cfg.task.as_ref(), cfg.split.steps(), cfg.task_seed)
}

/// Runs one experiment. `progress(k)` is told as input steps complete.
pub fn run(cfg: &ExperimentConfig, keep_states: bool, progress: &mut dyn FnMut(u64)) -> Result<Outcome, Error> {
    run_data(cfg, &task_data(cfg), keep_states, progress)
}

/// Runs one experiment on given task data (inputs and targets, `cfg.split.steps()` each).
pub fn run_data(
    cfg: &ExperimentConfig,
    data: &TaskData,
    keep_states: bool,
    progress: &mut dyn FnMut(u64),
) -> Result<Outcome, Error> {
    let wall = Instant::now();
    let steps = cfg.split.steps();
    if data.u.len() != steps || data.y.is_empty() || data.y.iter().any(|y| y.len() != steps) {
        return Err(crate::error::ConfigError::new(
            "task data",
            format!("{} inputs", data.u.len()),
            format!("must hold {steps} inputs and at least one target series of {steps} values (the split's steps)"),
        )
        .into());
    }
    let s = scale_inputs(&data.u, cfg.task.input_range());
    let Driven { states, sensed_from, reservoir } = drive(cfg, &s, progress)?;
    let from = cfg.split.washout;
    let x = feature_matrix(&states, &s, from, cfg.include_input);
    let y = Array2::from_shape_fn((steps - from, data.y.len()), |(r, k)| data.y[k][from + r]);
    let (outputs, notes) = fit_outputs(cfg, x.view(), &y, &data.names)?;
    let sp = cfg.split;
    let split =
        (0..steps - from).map(|r| usize::from(r >= sp.train) + usize::from(r >= sp.train + sp.validation)).collect();
    let memory_capacity = cfg.task.is_memory_capacity().then(|| outputs.iter().map(|o| o.r2_test).sum());
    Ok(Outcome {
        task: cfg.task.name().into(),
        reservoir,
        reservoir_kind: cfg.reservoir_kind().into(),
        steps,
        n_features: x.ncols(),
        outputs,
        t: (from..steps).collect(),
        split,
        memory_capacity,
        energy: energy::account(&cfg.energy, &usage(cfg, &states, &s, sensed_from, x.ncols(), data.y.len())),
        wall_seconds: wall.elapsed().as_secs_f64(),
        states: keep_states.then_some(states),
        u: data.u.clone(),
        notes,
    })
}
