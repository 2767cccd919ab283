//! `nanomag bench --readout`: the ridge readout's fit time (standardise on the training rows,
//! 10 λ from 1e-9 to 1 scored on the validation rows, refit on train + validation) on
//! n = 3 000 training and 1 000 validation rows of p = 10³, 3·10³, 10⁴ features (primal, or
//! dual where p > n) and p = 10⁵ (dual), median of `runs` runs (one at 10⁵), with the memory
//! the solver holds and the process's peak resident set. With `--numpy PYTHON`, the same
//! problems go to `python/readout_numpy.py` (numpy with its OpenBLAS) in the same run, and both
//! its textbook forms (a solve per λ; one eigendecomposition for the path) are timed.

use crate::error::{ConfigError, Error};
use crate::io::npy;
use crate::reservoir::readout::ridge::Ridge;
use crate::reservoir::readout::Readout;
use ndarray::{s, Array2};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::time::Instant;

const NUMPY_SCRIPT: &str = include_str!("../../python/readout_numpy.py");
const TRAIN: usize = 3000;
const VALIDATION: usize = 1000;

/// Features p and whether numpy is run on them.
const SIZES: [(usize, bool); 4] = [(1000, true), (3000, true), (10_000, true), (100_000, false)];

/// A reservoir-like problem: features with a shared component (correlated columns), a target
/// that is a noisy linear function of them. Seeded.
fn problem(p: usize) -> (Array2<f64>, Array2<f64>) {
    let n = TRAIN + VALIDATION;
    let mut rng = ChaCha8Rng::seed_from_u64(p as u64);
    let common: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let x = Array2::from_shape_fn((n, p), |(i, _)| 0.5 * common[i] + rng.random_range(-1.0..1.0));
    let beta: Vec<f64> = (0..p).map(|_| rng.random_range(-1.0..1.0)).collect();
    let y = Array2::from_shape_fn((n, 1), |(i, _)| {
        x.row(i).iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>() / (p as f64).sqrt()
            + 0.3 * rng.random_range(-1.0..1.0)
    });
    (x, y)
}

/// Peak resident set of this process (GB), from /proc/self/status (NaN elsewhere).
fn peak_rss_gb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb * 1024.0 / 1e9)
}

/// Bytes the fit holds at its peak: the features, the train ∪ validation copy and its
/// standardised copy, the Gram or kernel matrix and its factor.
fn solver_gb(p: usize) -> f64 {
    let n = TRAIN + VALIDATION;
    let m = p.min(n) as f64;
    8.0 * (3.0 * n as f64 * p as f64 + 2.0 * m * m) / 1e9
}

/// Runs numpy on the problem; returns (solve s, eigh s, λ, validation NRMSE).
fn numpy(python: &Path, x: &Array2<f64>, y: &Array2<f64>, lambdas: &[f64], runs: usize) -> Result<[f64; 4], Error> {
    let dir = std::env::temp_dir().join(format!("nanomag_readout_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    let flat = |a: &Array2<f64>| a.iter().copied().collect::<Vec<f64>>();
    npy::write_2d(&dir.join("x.npy"), &flat(x), x.ncols())?;
    npy::write_2d(&dir.join("y.npy"), &flat(y), 1)?;
    let split = serde_json::json!({ "train": TRAIN, "lambdas": lambdas });
    std::fs::write(dir.join("split.json"), split.to_string()).map_err(|e| Error::io("split.json", e))?;
    std::fs::write(dir.join("readout_numpy.py"), NUMPY_SCRIPT).map_err(|e| Error::io("readout_numpy.py", e))?;
    let status = std::process::Command::new(python)
        .arg(dir.join("readout_numpy.py"))
        .arg(&dir)
        .arg(runs.to_string())
        .status()
        .map_err(|e| Error::io(python.display(), e))?;
    if !status.success() {
        return Err(ConfigError::new("--numpy", python.display(), "must be a Python with numpy").into());
    }
    let text = std::fs::read_to_string(dir.join("numpy.json")).map_err(|e| Error::io("numpy.json", e))?;
    let _ = std::fs::remove_dir_all(&dir);
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::io("numpy.json", e))?;
    let f = |a: &str, b: &str| v[a][b].as_f64().unwrap_or(f64::NAN);
    Ok([f("solve", "seconds"), f("eigh", "seconds"), f("solve", "lambda"), f("solve", "nrmse_validation")])
}

pub fn run(runs: usize, python: Option<&Path>, max_features: usize, quiet: bool) -> Result<(), Error> {
    if !(1..=100).contains(&runs) {
        return Err(ConfigError::new("--runs", runs, "must be in [1, 100]").into());
    }
    if max_features < SIZES[0].0 {
        return Err(ConfigError::new(
            "--max-features",
            max_features,
            "must be ≥ 1000 (sizes timed: 1000, 3000, 10000, 100000)",
        )
        .into());
    }
    let lambdas: Vec<f64> = (-9..=0).map(|e| 10f64.powi(e)).collect();
    let ridge = Ridge { lambdas: lambdas.clone() };
    let threads = rayon::current_num_threads();
    println!("bench --readout: n = {TRAIN} train + {VALIDATION} validation rows, 10 λ, {threads} threads, median of {runs} runs");
    println!("features | form   | nanomag s | numpy solve s | numpy eigh s | ratio to best numpy | solver memory GB | peak RSS GB");
    for (p, with_numpy) in SIZES.into_iter().filter(|(p, _)| *p <= max_features) {
        let (x, y) = problem(p);
        let (a, b) = (TRAIN, TRAIN + VALIDATION);
        let reps = if p > 10_000 { 1 } else { runs };
        let mut times = vec![];
        let mut fitted = None;
        for _ in 0..reps {
            let t = Instant::now();
            let f =
                ridge.fit(x.slice(s![..a, ..]), y.slice(s![..a, ..]), x.slice(s![a..b, ..]), y.slice(s![a..b, ..]))?;
            times.push(t.elapsed().as_secs_f64());
            fitted = Some(f);
        }
        let ours = super::bench_switching::median(&mut times);
        let form = if p <= TRAIN { "primal" } else { "dual" };
        let (mut ns, mut ne, mut cmp) = (f64::NAN, f64::NAN, String::new());
        if let (Some(py), true) = (python, with_numpy) {
            let [solve, eigh, lambda, val] = numpy(py, &x, &y, &lambdas, reps)?;
            (ns, ne) = (solve, eigh);
            if let Some(f) = &fitted {
                cmp = format!(
                    " (numpy chose λ {lambda:e}, validation NRMSE {val:.9}; nanomag λ {:e}, {:.9})",
                    f.models[0].lambda, f.validation_nrmse[0]
                );
            }
        }
        let best = ns.min(ne);
        println!(
            "{p:>8} | {form:<6} | {ours:>9.2} | {ns:>13.2} | {ne:>12.2} | {:>19} | {:>16.2} | {:>11.2}{cmp}",
            if best.is_finite() { format!("{:.2}", ours / best) } else { "-".into() },
            solver_gb(p),
            peak_rss_gb()
        );
        if !quiet {
            eprintln!("bench --readout: p = {p} done");
        }
    }
    Ok(())
}
