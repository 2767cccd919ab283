//! `nanomag bench --micromag`: throughput of the micromagnetic right-hand side (exchange +
//! FFT demag + anisotropy + Zeeman, then the LL torque with its bookkeeping) on an n × n × 1
//! permalloy film (5 × 5 × 3 nm cells, a swirl state), in cell-updates per second = field
//! evaluations × cells / time. Each configuration (demag precision f64/f32 × 1 and 2
//! threads) is timed `runs` times; the median, minimum and maximum are printed.

use crate::error::{ConfigError, Error};
use crate::llg::{LlgSystem, Motion};
use crate::micromag::config::Precision;
use crate::micromag::mesh::Mesh;
use crate::micromag::system::{MicroMaterial, MicroSystem};
use crate::protocol::Protocol;
use nalgebra::Vector3;
use std::time::Instant;

/// Evaluations per second of `f` over at least `seconds` (after two warm-up calls).
fn rate(seconds: f64, f: &mut dyn FnMut()) -> f64 {
    f();
    f();
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        f();
        calls += 1;
    }
    calls as f64 / start.elapsed().as_secs_f64()
}

/// The swirl state on n × n cells: every cell different, so no transform is trivially sparse.
fn swirl(n: usize) -> Vec<f64> {
    let c = n as f64 / 2.0;
    let mut y = Vec::with_capacity(3 * n * n + 2);
    for j in 0..n {
        for i in 0..n {
            let (x, yy) = (i as f64 + 0.5 - c, j as f64 + 0.5 - c);
            y.extend_from_slice(Vector3::new(-yy, x, 0.3 * c).normalize().as_slice());
        }
    }
    y.extend([0.0, 0.0]);
    y
}

/// The median of `v` (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let k = v.len() / 2;
    if v.len() % 2 == 1 {
        v[k]
    } else {
        0.5 * (v[k - 1] + v[k])
    }
}

pub fn run(n: usize, seconds: f64, runs: usize) -> Result<(), Error> {
    if !(8..=2048).contains(&n) {
        return Err(ConfigError::new("--cells", n, "must be in [8, 2048] cells per side for --micromag").into());
    }
    if !(seconds > 0.0 && seconds <= 600.0) {
        return Err(ConfigError::new("--seconds", seconds, "must be in (0, 600]").into());
    }
    if !(1..=50).contains(&runs) {
        return Err(ConfigError::new("--runs", runs, "must be a whole number in [1, 50]").into());
    }
    let y = swirl(n);
    let cells = (n * n) as f64;
    println!("bench: micromagnetic {n}x{n}x1 film ({} cells), {runs} runs of {seconds} s each; cell-updates/s:", n * n);
    for precision in [Precision::F64, Precision::F32] {
        let mesh = Mesh::cuboid([n, n, 1], [5e-9, 5e-9, 3e-9], 8.0e5);
        let built = Instant::now();
        let material = MicroMaterial { alpha: 0.02, a_ex: 1.3e-11, ku: 0.0 };
        let protocol = Protocol::constant(Vector3::new(0.01, 0.0, 0.0), 1e-9);
        let sys = MicroSystem::with_precision(mesh, material, protocol, precision);
        let kernel_s = built.elapsed().as_secs_f64();
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| Error::io("thread pool", e))?;
            let mut dy = vec![0.0; y.len()];
            let mut rates: Vec<f64> = pool.install(|| {
                (0..runs)
                    .map(|_| {
                        rayon::scope(|_| cells * rate(seconds, &mut || sys.rhs(0.0, &y, &mut dy, None, Motion::Llg)))
                    })
                    .collect()
            });
            let (lo, hi) =
                (rates.iter().copied().fold(f64::INFINITY, f64::min), rates.iter().copied().fold(0.0, f64::max));
            let med = median(&mut rates);
            println!(
                "bench:   demag {:?}, {threads} thread(s): median {med:.3e} (min {lo:.3e}, max {hi:.3e}); {:.2} ms per evaluation; kernel set-up {kernel_s:.2} s",
                precision,
                1e3 * cells / med
            );
        }
    }
    Ok(())
}
