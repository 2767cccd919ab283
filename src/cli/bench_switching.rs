//! `nanomag bench --switching`: the switching engines' speed, as medians of `runs` runs.
//! 1. **field step + relaxation** of a square ice of 2·cells² islands (default 708 → 1 002 528),
//!    cutoff 3 spacings, 5 % switching-field disorder: a ramp of 1 mT steps through the
//!    coercive field (every step flips islands), median wall time per step;
//! 2. **KMC events per second** on a square ice of 2·224² = 100 352 thermally active islands
//!    (100 × 50 × 3 nm, K_eff set so σ = K V/k_BT = 22 at 300 K, cutoff 3 spacings);
//! 3. with `--flatspin PYTHON` (a Python with flatspin 2.6): flatspin and nanomag on the same
//!    array and field steps (python/flatspin_bench.py exports flatspin's array; nanomag loads it
//!    with [`crate::switching::flatspin`]), the final states compared and the ratio of the
//!    relaxation times reported.

use crate::config::{self, raw::RawConfig};
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::registry;
use crate::switching::flatspin::{from_flatspin, numeric_rows};
use nalgebra::Vector3;
use std::path::Path;
use std::time::Instant;

/// The flatspin side of the comparison, compiled in so the binary is self-contained.
const FLATSPIN_SCRIPT: &str = include_str!("../../python/flatspin_bench.py");

/// The median of `v` (sorted in place).
pub(super) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

fn build(toml: &str) -> Result<Box<dyn Engine>, Error> {
    let raw: RawConfig = config::parse_toml(toml, Path::new("bench.toml"))?;
    let cfg = registry::validate(&raw, Path::new("."))?;
    registry::from_config(&cfg)
}

/// Median wall time (s) of one field step + relaxation, its maximum, flips per step and the
/// median build time (s).
pub fn switching_step(cells: usize, runs: usize, quiet: bool) -> Result<(usize, f64, f64, f64, f64), Error> {
    let d = 0.5f64.sqrt();
    let (b0, b1, steps) = (0.060, 0.075, 15);
    let toml = format!(
        "[solver]\nkind = \"switching\"\n[lattice]\nkind = \"square\"\nnx = {cells}\nny = {cells}\nspacing = 500e-9\n\
         [coupling]\ncutoff = 3.0\n[switching]\ndisorder = 0.05\nseed = 1\n\
         [[field]]\nkind = \"ramp\"\nfrom = [{}, {}, 0.0]\nto = [{}, {}, 0.0]\nduration = {steps}e-9\n[output]\ninterval = 1e-9\n",
        -b0 * d,
        -b0 * d,
        -b1 * d,
        -b1 * d
    );
    // The build (neighbour stencils, pair values, switching fields), timed `runs` times.
    let mut builds = Vec::new();
    let mut built = None;
    for _ in 0..runs {
        drop(built.take());
        let t = Instant::now();
        built = Some(build(&toml)?);
        builds.push(t.elapsed().as_secs_f64());
    }
    let mut e = built.expect("runs ≥ 1");
    let build_s = median(&mut builds);
    let n = e.islands().len();
    if !quiet {
        eprintln!("bench: switching engine, {n} islands built in {build_s:.2} s (median)");
    }
    let start = e.save();
    let mut times = Vec::new();
    let mut flips = 0;
    for _ in 0..runs {
        e.restore(&start)?;
        let f0 = e.cost().steps;
        for _ in 0..steps {
            let t = Instant::now();
            e.advance(1e-9, 1, &mut |_| Ok(()))?;
            times.push(t.elapsed().as_secs_f64());
        }
        flips = e.cost().steps - f0;
    }
    let max = times.iter().cloned().fold(0.0, f64::max);
    Ok((n, median(&mut times), max, flips as f64 / steps as f64, build_s))
}

/// KMC events per second (median over runs), the islands, and exact rate evaluations per event.
pub fn kmc_events(runs: usize, quiet: bool) -> Result<(usize, f64, f64), Error> {
    // σ = 22 at 300 K for V = 100 × 50 × 3 nm³.
    let k_eff = 22.0 * crate::constants::KB * 300.0 / (100e-9 * 50e-9 * 3e-9);
    let toml = format!(
        "[solver]\nkind = \"kmc\"\n[lattice]\nkind = \"square\"\nnx = 224\nny = 224\nspacing = 300e-9\n\
         [magnet]\nlength = 100e-9\nwidth = 50e-9\nthickness = 3e-9\n[coupling]\ncutoff = 3.0\n\
         [material]\nalpha = 0.01\n[temperature]\nt = 300.0\nseed = 1\n[kmc]\nk_eff = {k_eff}\n\
         [[field]]\nb = [0.001, 0.001, 0.0]\nduration = 1000.0\n[output]\ninterval = 10.0\n"
    );
    let mut e = build(&toml)?;
    let n = e.islands().len();
    // The first interval evaluates every rate once; the timed ones only update after flips.
    e.advance(10.0, 1, &mut |_| Ok(()))?;
    let mut rates = Vec::new();
    let mut per_event = Vec::new();
    for _ in 0..runs {
        let (f0, ev0) = (e.cost().steps, e.cost().evaluations);
        let t = Instant::now();
        e.advance(10.0, 1, &mut |_| Ok(()))?;
        let s = t.elapsed().as_secs_f64();
        let events = e.cost().steps - f0;
        rates.push(events as f64 / s);
        per_event.push((e.cost().evaluations - ev0) as f64 / events.max(1) as f64);
        if !quiet {
            eprintln!("bench: kmc, {n} islands: {events} events in {s:.2} s");
        }
    }
    Ok((n, median(&mut rates), median(&mut per_event)))
}

/// flatspin and nanomag on the same array and protocol: (spins, flatspin s, nanomag s).
pub fn versus_flatspin(python: &Path, size: usize, per_branch: usize, runs: usize) -> Result<(usize, f64, f64), Error> {
    let dir = std::env::temp_dir().join(format!("nanomag_flatspin_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    let script = dir.join("flatspin_bench.py");
    std::fs::write(&script, FLATSPIN_SCRIPT).map_err(|e| Error::io(script.display(), e))?;
    let status = std::process::Command::new(python)
        .arg(&script)
        .args([size.to_string(), per_branch.to_string()])
        .arg(&dir)
        .status()
        .map_err(|e| ConfigError::new("--flatspin", python.display(), format!("cannot be run: {e}")))?;
    if !status.success() {
        return Err(ConfigError::new(
            "--flatspin",
            python.display(),
            "failed to run flatspin (is flatspin 2.6 installed?)",
        )
        .into());
    }
    let timing: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("timing.json")).map_err(|e| Error::io("timing.json", e))?,
    )
    .map_err(|e| Error::Io(format!("timing.json: {e}")))?;
    let fs_seconds = timing["relax_seconds"].as_f64().unwrap_or(f64::NAN);
    let final_spins: Vec<i8> = timing["final_spins"]
        .as_array()
        .map(|a| a.iter().map(|v| v.as_i64().unwrap_or(0) as i8).collect())
        .unwrap_or_default();
    let steps = numeric_rows(&dir.join("steps.csv"))?;
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..runs {
        let mut m = from_flatspin(&dir)?;
        n = m.array.len();
        let t = Instant::now();
        for row in &steps {
            m.array.set_applied(Vector3::new(row["hx_t"], row["hy_t"], 0.0));
            m.relax().map_err(|e| Error::Io(format!("nanomag relax: {e}")))?;
        }
        times.push(t.elapsed().as_secs_f64());
        if m.array.spin != final_spins {
            return Err(Error::Io("nanomag and flatspin end in different states on the benchmark array".into()));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok((n, fs_seconds, median(&mut times)))
}

/// Runs the benchmark and prints the results.
pub fn run(cells: usize, runs: usize, flatspin: Option<&Path>, quiet: bool) -> Result<(), Error> {
    if cells == 0 || cells > 1000 {
        return Err(ConfigError::new("--cells", cells, "must be in [1, 1000] for --switching").into());
    }
    if !(1..=100).contains(&runs) {
        return Err(ConfigError::new("--runs", runs, "must be in [1, 100]").into());
    }
    let threads = rayon::current_num_threads();
    let (n, med, max, flips, build_s) = switching_step(cells, runs, quiet)?;
    println!(
        "bench --switching: {n} islands, build median {build_s:.2} s; one field step + relaxation: median {:.3} s, max {:.3} s ({flips:.0} flips per step; {runs} runs, {threads} threads)",
        med, max
    );
    let (nk, events, per_event) = kmc_events(runs, quiet)?;
    println!(
        "bench --switching: kmc, {nk} islands at 300 K: median {events:.3e} events/s, {per_event:.1} exact rate evaluations per event ({runs} runs, one event stream)"
    );
    if let Some(py) = flatspin {
        let (ns, fs, nm) = versus_flatspin(py, 10, 40, runs)?;
        println!(
            "bench --switching: versus flatspin 2.6 (CPU), {ns} islands, 81 field steps, same final state: flatspin {fs:.2} s, nanomag {nm:.4} s (median) — {:.0}× faster",
            fs / nm
        );
    }
    Ok(())
}
