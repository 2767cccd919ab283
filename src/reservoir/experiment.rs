//! The `run` pipeline: task → scaled inputs → reservoir states → features → readout →
//! metrics. Pure computation: the CLI (`cli/run.rs`) writes the files and figures.

use super::config::ExperimentConfig;
use super::config::ReservoirSpec;
use super::metrics::{mse, nrmse, r_squared};
use super::readout::LinearModel;
use super::tasks::{self, TaskData};
use super::{network, sensors, States};
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

/// What the run did, for the energy model: the reservoir's own use (see [`reservoir_usage`]),
/// plus the readout's MACs for `n_features` features and `outputs` targets.
fn usage(cfg: &ExperimentConfig, d: &Driven, s: &[f64], n_features: usize, outputs: usize) -> Usage {
    let mut u = match &cfg.reservoir {
        ReservoirSpec::Network(layers) => {
            let mut u = Usage { steps: s.len(), ..Default::default() };
            for (l, run) in layers.iter().zip(&d.layers) {
                if let Some(c) = &l.cfg {
                    add_usage(&mut u, &reservoir_usage(c, &run.states, &run.input, run.sensed_from));
                }
            }
            u
        }
        _ => reservoir_usage(cfg, &d.states, s, d.sensed_from),
    };
    u.macs += cmos::readout_macs(n_features, outputs);
    u
}

/// Adds one layer's use to a network's: per-step series element by element, the rest summed.
fn add_usage(total: &mut Usage, u: &Usage) {
    let add = |a: &mut Vec<f64>, b: &[f64]| {
        a.resize(a.len().max(b.len()), 0.0);
        a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    };
    add(&mut total.field_source, &u.field_source);
    total.work_and_heat.resize(total.work_and_heat.len().max(u.work_and_heat.len()), (0.0, 0.0));
    for (x, y) in total.work_and_heat.iter_mut().zip(&u.work_and_heat) {
        (x.0, x.1) = (x.0 + y.0, x.1 + y.1);
    }
    total.probe_dissipated += u.probe_dissipated;
    total.features_read += u.features_read;
    total.sensing += u.sensing;
    total.macs += u.macs;
    total.bits += u.bits;
}

/// What one reservoir did, for the energy model: dissipation from the engine, the field
/// levels of every step, values sensed and what the sensor spent on them (reads of
/// `sensed_from` feature values each), MACs (an ESN's update, NG-RC's products) and bits of
/// state.
fn reservoir_usage(cfg: &ExperimentConfig, states: &States, s: &[f64], sensed_from: usize) -> Usage {
    let mut u = Usage { steps: s.len(), work_and_heat: states.energy.clone(), ..Default::default() };
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
        ReservoirSpec::Network(_) => {}
    }
    u
}

/// One layer of a driven network: its input, its sensed states and the values per read.
#[derive(Debug, Clone)]
pub struct LayerRun {
    pub input: Vec<f64>,
    pub states: States,
    pub sensed_from: usize,
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
    /// For a network, every layer's run (in order); empty otherwise.
    pub layers: Vec<LayerRun>,
}

/// Drives the experiment's reservoir with scaled inputs s(t) ∈ [0, 1] (one per step) and reads
/// its states through the experiment's sensor: what `run` feeds the readout, before the input
/// column and the washout are applied. `progress(k)` is told as input steps complete.
pub fn drive(cfg: &ExperimentConfig, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<Driven, Error> {
    if let ReservoirSpec::Network(layers) = &cfg.reservoir {
        return drive_network(cfg, layers, s, progress);
    }
    let mut reservoir = cfg.build_reservoir()?;
    let raw_states = reservoir.run(s, progress)?;
    let sensed_from = raw_states.width / cfg.reads_per_step();
    let states = sensors::apply(cfg.sensor.as_ref(), raw_states, cfg.reads_per_step(), cfg.sensor_seed);
    Ok(Driven { states, sensed_from, reservoir: reservoir.describe(), layers: Vec::new() })
}

/// Drives a network's layers in order ([`network`]): each on the task's input or on the link
/// from an earlier layer; the read layers' states side by side. Progress counts the steps of
/// all layers, divided by their number.
fn drive_network(
    cfg: &ExperimentConfig,
    layers: &[network::Layer],
    s: &[f64],
    progress: &mut dyn FnMut(u64),
) -> Result<Driven, Error> {
    let n = layers.iter().filter(|l| l.cfg.is_some()).count().max(1) as u64;
    let (mut acc, mut told) = (0u64, 0u64);
    let mut runs: Vec<LayerRun> = Vec::with_capacity(layers.len());
    let mut names = Vec::new();
    for l in layers {
        let input = match l.input {
            network::LayerInput::Task => s.to_vec(),
            network::LayerInput::Layer { layer, pick: network::Pick::All } => runs[layer].input.clone(),
            network::LayerInput::Layer { layer, pick } => {
                network::link(&runs[layer].states.rows, runs[layer].states.width, pick, cfg.split)
            }
        };
        let run = match (&l.cfg, l.input) {
            (Some(c), _) => {
                let d = drive(c, &input, &mut |k| {
                    acc += k;
                    progress(acc / n - told);
                    told = acc / n;
                })?;
                names.push(format!("{}: {}", l.label, d.reservoir));
                LayerRun { input, states: d.states, sensed_from: d.sensed_from }
            }
            (None, network::LayerInput::Layer { layer, .. }) => {
                names.push(format!("{}: identity of {}", l.label, layers[layer].label));
                LayerRun { input, states: runs[layer].states.clone(), sensed_from: 0 }
            }
            (None, network::LayerInput::Task) => unreachable!("validation gives identity layers a source layer"),
        };
        runs.push(run);
    }
    let read: Vec<&States> = layers.iter().zip(&runs).filter(|(l, _)| l.read).map(|(_, r)| &r.states).collect();
    let width = read.iter().map(|st| st.width).sum();
    let mut rows = Vec::with_capacity(s.len() * width);
    for t in 0..s.len() {
        for st in &read {
            rows.extend_from_slice(st.row(t));
        }
    }
    let states = States { width, rows, ..Default::default() };
    let reservoir = format!("{} network ({})", network::composition(layers), names.join("; "));
    Ok(Driven { states, sensed_from: 0, reservoir, layers: runs })
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
    let driven = drive(cfg, &s, progress)?;
    let from = cfg.split.washout;
    let x = feature_matrix(&driven.states, &s, from, cfg.include_input);
    let y = Array2::from_shape_fn((steps - from, data.y.len()), |(r, k)| data.y[k][from + r]);
    let (outputs, notes) = fit_outputs(cfg, x.view(), &y, &data.names)?;
    let sp = cfg.split;
    let split =
        (0..steps - from).map(|r| usize::from(r >= sp.train) + usize::from(r >= sp.train + sp.validation)).collect();
    let memory_capacity = cfg.task.is_memory_capacity().then(|| outputs.iter().map(|o| o.r2_test).sum());
    Ok(Outcome {
        task: cfg.task.name().into(),
        reservoir: driven.reservoir.clone(),
        reservoir_kind: cfg.reservoir_kind().into(),
        steps,
        n_features: x.ncols(),
        outputs,
        t: (from..steps).collect(),
        split,
        memory_capacity,
        energy: energy::account(&cfg.energy, &usage(cfg, &driven, &s, x.ncols(), data.y.len())),
        wall_seconds: wall.elapsed().as_secs_f64(),
        states: keep_states.then_some(driven.states),
        u: data.u.clone(),
        notes,
    })
}
