//! Task-independent measures of a reservoir design, through its sensor:
//!
//! - **memory capacity** MC = Σ_{k=1}^{K} r²(u(t−k), ŷ_k(t)) for i.i.d. inputs u ~ U[−1, 1]
//!   (Jaeger 2001; the `memory_capacity` task, test split);
//! - **nonlinearity** NL = 1 − ⟨R²_j⟩ over the readout's state features j, where R²_j is the
//!   coefficient of determination of the best linear map from the last τ + 1 inputs
//!   [u(t), …, u(t−τ)] (and a constant) to feature x_j(t) — 0 for a linear reservoir, towards 1
//!   when the state is a nonlinear function of its input history (Stenning et al.,
//!   Nat. Commun. 15, 7377 (2024); Love et al., arXiv:2107.08941);
//! - **kernel rank** KR and **generalisation rank** GR (Büsing et al. 2010; used for
//!   artificial spin ice by Jensen & Tufte, ALIFE 2020): the numerical rank of the matrix of
//!   final states after N input streams of L steps from the same initial state — for KR all
//!   N streams are independent random sequences (high is good: inputs are told apart), for GR
//!   they differ only before their last `tail` steps, which are common to all (low is good:
//!   the state forgets the distant past). Rank = number of singular values of the
//!   column-centred N × p matrix above `tol` × the largest.

use super::config::{validate, ExperimentConfig};
use super::experiment::{self, scale_inputs};
use crate::config::raw::RawConfig;
use crate::error::Error;
use nalgebra::DMatrix;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Largest delay K of the memory capacity.
    pub delays: usize,
    /// Input history τ of the nonlinearity fit.
    pub history: usize,
    /// Streams N and steps per stream L of the ranks, and the common tail of GR.
    pub streams: usize,
    pub stream_steps: usize,
    pub tail: usize,
    /// Relative singular-value threshold of the ranks.
    pub tol: f64,
    pub seed: u64,
}

impl Default for Plan {
    fn default() -> Self {
        Plan { delays: 30, history: 10, streams: 60, stream_steps: 30, tail: 10, tol: 1e-2, seed: 1 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Characterisation {
    pub memory_capacity: f64,
    /// r² per delay 1..K.
    pub memory_curve: Vec<f64>,
    pub nonlinearity: f64,
    pub kernel_rank: usize,
    pub generalisation_rank: usize,
    /// Features per step the readout sees (through the sensor), and rank's upper bound min(N, p).
    pub n_features: usize,
    pub rank_bound: usize,
    pub sensor: String,
}

/// Measures the design of `raw` (any task in it is replaced by the memory-capacity task).
///
/// ```
/// use nanomag::config::parse_toml;
/// use nanomag::reservoir::characterise::{characterise, Plan};
/// use std::path::Path;
/// let raw = parse_toml("[reservoir]\nkind = \"delay_line\"\ntaps = 4\n", Path::new("x.toml")).unwrap();
/// let c = characterise(&raw, Path::new("."), Plan { delays: 8, ..Default::default() }).unwrap();
/// assert!((c.memory_capacity - 4.0).abs() < 0.05); // a k-tap delay line remembers k inputs
/// assert_eq!((c.kernel_rank, c.generalisation_rank), (4, 0));
/// assert!(c.nonlinearity.abs() < 1e-9);
/// ```
pub fn characterise(raw: &RawConfig, base_dir: &Path, plan: Plan) -> Result<Characterisation, Error> {
    let cfg = validate(&memory_capacity(raw, plan), base_dir)?;
    let o = experiment::run(&cfg, true, &mut |_| {})?;
    let states = o.states.as_ref().ok_or_else(|| Error::io("characterise", "states were not kept"))?;
    let from = cfg.split.washout.max(plan.history);
    let nonlinearity = nonlinearity(&o.u, states, from, plan.history);
    let kernel_rank = rank(&final_states(&cfg, plan, false)?, plan.tol);
    let generalisation_rank = rank(&final_states(&cfg, plan, true)?, plan.tol);
    Ok(Characterisation {
        memory_capacity: o.memory_capacity.unwrap_or(f64::NAN),
        memory_curve: o.outputs.iter().map(|r| r.r2_test).collect(),
        nonlinearity,
        kernel_rank,
        generalisation_rank,
        n_features: states.width,
        rank_bound: plan.streams.min(states.width),
        sensor: cfg.sensor.describe(),
    })
}

/// The experiment with its task replaced by the memory-capacity task of `plan.delays` (its
/// seed and split kept).
fn memory_capacity(raw: &RawConfig, plan: Plan) -> RawConfig {
    let mut mc = raw.clone();
    let old = mc.task.take().unwrap_or_default();
    mc.task = Some(crate::config::raw::RawTask {
        kind: Some("memory_capacity".into()),
        delays: Some(plan.delays as i64),
        seed: old.seed,
        washout: old.washout,
        train: old.train,
        validation: old.validation,
        test: old.test,
        ..Default::default()
    });
    mc
}

/// The cost of [`characterise`] ([`crate::cost`]): the memory-capacity run, and 2 × N streams
/// of L steps each at the same cost per step.
pub fn estimate(raw: &RawConfig, base_dir: &Path, plan: Plan) -> Result<crate::cost::Estimate, Error> {
    let cfg = validate(&memory_capacity(raw, plan), base_dir)?;
    let mut e = cfg.estimate()?;
    let steps = cfg.split.steps() as f64;
    let streams = 2.0 * (plan.streams * plan.stream_steps) as f64;
    (e.steps, e.work) = (e.steps * (1.0 + streams / steps), e.work * (1.0 + streams / steps));
    Ok(e)
}

/// NL = 1 − mean R² of each feature column from [1, u(t), …, u(t−τ)] (rows t ≥ `from`);
/// constant columns are skipped.
pub fn nonlinearity(u: &[f64], states: &super::States, from: usize, tau: usize) -> f64 {
    let n = states.steps() - from;
    let x = DMatrix::from_fn(n, tau + 2, |r, c| if c == 0 { 1.0 } else { u[from + r - (c - 1)] });
    let y = DMatrix::from_fn(n, states.width, |r, j| states.row(from + r)[j]);
    let Some(chol) = (x.transpose() * &x).cholesky() else { return f64::NAN };
    let w = chol.solve(&(x.transpose() * &y));
    let resid = &y - &x * w;
    let mut r2 = Vec::new();
    for j in 0..states.width {
        let col = y.column(j);
        let mean = col.mean();
        let ss_tot: f64 = col.iter().map(|v| (v - mean).powi(2)).sum();
        if ss_tot > 1e-24 * n as f64 {
            r2.push(1.0 - resid.column(j).norm_squared() / ss_tot);
        }
    }
    if r2.is_empty() {
        return f64::NAN;
    }
    1.0 - r2.iter().sum::<f64>() / r2.len() as f64
}

/// The sensed state after each of N streams (rows), in parallel; with `common_tail` the
/// streams share their last `tail` inputs.
fn final_states(cfg: &ExperimentConfig, plan: Plan, common_tail: bool) -> Result<DMatrix<f64>, Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let tail: Vec<f64> = (0..plan.tail).map(|_| rng.random_range(-1.0..1.0)).collect();
    let streams: Vec<Vec<f64>> = (0..plan.streams)
        .map(|_| {
            let mut u: Vec<f64> = (0..plan.stream_steps).map(|_| rng.random_range(-1.0..1.0)).collect();
            if common_tail {
                let k = plan.stream_steps - plan.tail.min(plan.stream_steps);
                u[k..].copy_from_slice(&tail[..plan.stream_steps - k]);
            }
            u
        })
        .collect();
    let rows: Vec<Vec<f64>> = streams
        .par_iter()
        .map(|u| {
            let s = scale_inputs(u, (-1.0, 1.0));
            let sensed = super::experiment::drive(cfg, &s, &mut |_| {})?.states;
            Ok(sensed.row(sensed.steps() - 1).to_vec())
        })
        .collect::<Result<_, Error>>()?;
    let p = rows.first().map_or(0, |r| r.len());
    Ok(DMatrix::from_fn(rows.len(), p, |i, j| rows[i][j]))
}

/// Singular values of the column-centred matrix above `tol` × the largest (and above the
/// rounding floor 1e-12 × the largest entry × √(rows·columns)).
pub fn rank(m: &DMatrix<f64>, tol: f64) -> usize {
    let mut c = m.clone();
    for mut col in c.column_iter_mut() {
        let mean = col.mean();
        col.add_scalar_mut(-mean);
    }
    let s = c.singular_values();
    let max = s.iter().cloned().fold(0.0, f64::max);
    // Rounding in the column means leaves ~1e-16 of the entries' scale behind: not a direction.
    let floor = 1e-12 * m.amax() * ((m.nrows() * m.ncols()) as f64).sqrt();
    s.iter().filter(|v| **v > tol * max && **v > floor).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A delay line is linear (NL = 0) and a squared input is not.
    #[test]
    fn nonlinearity_of_known_maps() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let u: Vec<f64> = (0..2000).map(|_| rng.random_range(-1.0..1.0)).collect();
        let lin = super::super::States {
            width: 2,
            rows: (0..2000usize).flat_map(|t| [u[t.saturating_sub(1)], u[t.saturating_sub(3)]]).collect(),
            ..Default::default()
        };
        assert!(nonlinearity(&u, &lin, 20, 5).abs() < 1e-12);
        let sq = super::super::States { width: 1, rows: u.iter().map(|v| v * v).collect(), ..Default::default() };
        assert!(nonlinearity(&u, &sq, 20, 5) > 0.95);
    }

    #[test]
    fn rank_counts_independent_directions() {
        let m = DMatrix::from_fn(10, 4, |i, j| if j < 2 { ((i * (j + 2)) % 7) as f64 } else { 0.0 });
        assert_eq!(rank(&m, 1e-9), 2);
    }
}
