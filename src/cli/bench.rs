//! `nanomag bench`: throughput of the macrospin right-hand side (effective field + LLG
//! torque + energy rates) on a square lattice with point-dipole coupling, in
//! magnet·RHS-evaluations per second.

use crate::config::{Coupling, MagnetSpec, Material};
use crate::error::{ConfigError, Error};
use crate::geometry::Shape;
use crate::lattice::{self, square::Square, DisorderSpec, Grid};
use crate::llg::{LlgSystem, Motion};
use crate::macrospin::engine::initial_magnetisation;
use crate::macrospin::terms::term_field;
use crate::macrospin::MacrospinArray;
use crate::protocol::Protocol;
use nalgebra::Vector3;
use std::time::Instant;

/// Runs `nanomag bench` from its parsed command line (`cmd` is [`super::Command::Bench`]):
/// the readout, switching, micromagnetic or (by default) macrospin benchmark.
pub fn command(cmd: &super::Command, cli: &super::Cli) -> Result<(), Error> {
    let super::Command::Bench {
        cells,
        cutoff,
        seconds,
        micromag,
        runs,
        switching,
        flatspin,
        readout,
        numpy,
        max_features,
    } = cmd
    else {
        unreachable!("called for the bench command only")
    };
    if *readout {
        super::bench_readout::run(*runs, numpy.as_deref(), *max_features, cli.quiet)
    } else if *switching {
        super::bench_switching::run(cells.unwrap_or(708), *runs, flatspin.as_deref(), cli.quiet)
    } else if *micromag {
        super::bench_micromag::run(cells.unwrap_or(256), *seconds, *runs)
    } else {
        run(cells.unwrap_or(71), *cutoff, *seconds, cli.quiet)
    }
}

/// Result of one benchmark.
#[derive(Debug, Clone)]
pub struct BenchResult {
    pub magnets: usize,
    /// Descriptions of the terms' internal structure.
    pub structure: Vec<String>,
    pub evaluations: u64,
    pub seconds: f64,
    pub threads: usize,
    /// Time per call (µs) of each field term and of the whole RHS.
    pub parts: Vec<(String, f64)>,
}

impl BenchResult {
    pub fn magnet_evals_per_second(&self) -> f64 {
        self.magnets as f64 * self.evaluations as f64 / self.seconds
    }
}

/// Times RHS evaluations of a `cells` × `cells` square ice (a = 500 nm, 220×80×20 nm bars).
pub fn measure(cells: usize, cutoff: f64, seconds: f64) -> Result<BenchResult, Error> {
    if cells == 0 || cells > 2000 {
        return Err(ConfigError::new("--cells", cells, "must be in [1, 2000]").into());
    }
    if cutoff.is_nan() || cutoff < 0.5 {
        return Err(ConfigError::new("--cutoff", cutoff, "must be ≥ 0.5 lattice spacings (or inf)").into());
    }
    if !(seconds > 0.0 && seconds <= 600.0) {
        return Err(ConfigError::new("--seconds", seconds, "must be in (0, 600]").into());
    }
    let magnet = MagnetSpec { shape: Shape::Prism, length: 220e-9, width: 80e-9, thickness: 20e-9 };
    let lat = Square { grid: Grid { nx: cells, ny: cells, spacing: 500e-9 }, magnet };
    let islands = lattice::build(&lat, &DisorderSpec { width: 0.0, angle: 0.0, seed: 0 })?;
    let material = Material { ms: 8e5, alpha: 0.01, ku: 0.0 };
    let protocol = Protocol::constant(Vector3::new(0.01, 0.02, 0.0), 1e-9);
    let array = MacrospinArray::new(&islands, &material, Coupling::Dipole { cutoff }, 500e-9, protocol);
    let structure: Vec<String> = array.terms.iter().filter_map(|t| t.describe()).collect();
    let m0 = initial_magnetisation(&crate::config::Init::Random { seed: 1 }, &islands)?;
    let mut y = vec![0.0; array.state_len()];
    for (i, m) in m0.iter().enumerate() {
        y[3 * i..3 * i + 3].copy_from_slice(m.as_slice());
    }
    let mut dy = vec![0.0; y.len()];
    // Warm up, then time whole batches.
    for _ in 0..3 {
        array.rhs(0.0, &y, &mut dy, None, Motion::Llg);
    }
    let start = Instant::now();
    let mut evals = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        for _ in 0..10 {
            array.rhs(1e-12, &y, &mut dy, None, Motion::Llg);
        }
        evals += 10;
    }
    let seconds = start.elapsed().as_secs_f64();
    let parts = breakdown(&array, &y, 50);
    Ok(BenchResult {
        magnets: array.n,
        structure,
        evaluations: evals,
        seconds,
        threads: rayon::current_num_threads(),
        parts,
    })
}

pub fn run(cells: usize, cutoff: f64, seconds: f64, quiet: bool) -> Result<(), Error> {
    let r = measure(cells, cutoff, seconds)?;
    let rate = r.magnet_evals_per_second();
    println!(
        "bench: square lattice {cells}x{cells} cells = {} magnets, dipolar cutoff {cutoff} a, {} threads: {} RHS evaluations in {:.2} s = {:.3e} magnet·RHS-evaluations/s ({:.1} µs per evaluation)",
        r.magnets,
        r.threads,
        r.evaluations,
        r.seconds,
        rate,
        1e6 * r.seconds / r.evaluations as f64
    );
    let parts: Vec<String> = r.parts.iter().map(|(n, us)| format!("{n} {us:.1} µs")).collect();
    println!("bench: per call: {}", parts.join(", "));
    for d in &r.structure {
        println!("bench: {d}");
    }
    if !quiet && rate < 2e7 && cells >= 71 {
        eprintln!("bench: below the 2e7 target");
    }
    Ok(())
}

/// Time (µs) of one call of each field term and of the whole RHS, averaged over `reps`.
pub fn breakdown(array: &MacrospinArray, y: &[f64], reps: usize) -> Vec<(String, f64)> {
    let n3 = 3 * array.n;
    let mut b = vec![0.0; n3];
    let mut out = Vec::new();
    let time = |f: &mut dyn FnMut()| {
        let s = Instant::now();
        for _ in 0..reps {
            f();
        }
        1e6 * s.elapsed().as_secs_f64() / reps as f64
    };
    out.push(("zeeman".to_string(), time(&mut || term_field(&array.zeeman, 0.0, &y[..n3], &mut b))));
    for term in &array.terms {
        out.push((term.name().to_string(), time(&mut || term_field(term.as_ref(), 0.0, &y[..n3], &mut b))));
    }
    let mut dy = vec![0.0; y.len()];
    out.push(("rhs".to_string(), time(&mut || array.rhs(0.0, y, &mut dy, None, Motion::Llg))));
    out
}
