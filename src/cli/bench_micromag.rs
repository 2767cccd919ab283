//! `nanomag bench --micromag`: throughput of the micromagnetic effective field (exchange +
//! FFT demag + anisotropy + Zeeman) and of the LL torque on an n × n × 1 permalloy film
//! (5 × 5 × 3 nm cells), in cell-updates per second = field evaluations × cells / time.

use crate::error::{ConfigError, Error};
use crate::llg::{LlgSystem, Motion};
use crate::micromag::mesh::Mesh;
use crate::micromag::system::{MicroMaterial, MicroSystem};
use crate::micromag::terms::{demag::Demag, exchange};
use crate::protocol::Protocol;
use nalgebra::Vector3;
use std::time::Instant;

/// Mean time (s) of one call of `f` over at least `seconds` (after two warm-up calls).
fn time(seconds: f64, f: &mut dyn FnMut()) -> (u64, f64) {
    f();
    f();
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed().as_secs_f64() < seconds {
        f();
        calls += 1;
    }
    (calls, start.elapsed().as_secs_f64())
}

pub fn run(n: usize, seconds: f64) -> Result<(), Error> {
    if !(8..=2048).contains(&n) {
        return Err(ConfigError::new("--cells", n, "must be in [8, 2048] cells per side for --micromag").into());
    }
    if !(seconds > 0.0 && seconds <= 600.0) {
        return Err(ConfigError::new("--seconds", seconds, "must be in (0, 600]").into());
    }
    let mesh = Mesh::cuboid([n, n, 1], [5e-9, 5e-9, 3e-9], 8.0e5);
    let built = Instant::now();
    let material = MicroMaterial { alpha: 0.02, a_ex: 1.3e-11, ku: 0.0 };
    let sys = MicroSystem::new(mesh, material, Protocol::constant(Vector3::new(0.01, 0.0, 0.0), 1e-9));
    let kernel_s = built.elapsed().as_secs_f64();
    // A vortex-like swirl: every cell different, so no transform is trivially sparse.
    let c = n as f64 / 2.0;
    let mut m = Vec::with_capacity(3 * n * n);
    for j in 0..n {
        for i in 0..n {
            let (x, y) = (i as f64 + 0.5 - c, j as f64 + 0.5 - c);
            let v = Vector3::new(-y, x, 0.3 * c).normalize();
            m.extend_from_slice(v.as_slice());
        }
    }
    let cells = (n * n) as f64;
    let mut b = vec![0.0; m.len()];
    let y: Vec<f64> = m.iter().copied().chain([0.0, 0.0]).collect();
    let mut dy = vec![0.0; y.len()];
    let demag = Demag::new(&sys.mesh);
    // Timed inside the pool, as the integrators run.
    let ((calls, secs), (dc, ds), (ec, es)) = rayon::scope(|_| {
        let all = time(seconds, &mut || sys.rhs(0.0, &y, &mut dy, None, Motion::Llg));
        let d = time(seconds / 3.0, &mut || demag.add_field(&sys.mesh, &m, &mut b));
        let e = time(seconds / 3.0, &mut || exchange::add_field(&sys.mesh, 1.3e-11, &m, &mut b));
        (all, d, e)
    });
    let rate = cells * calls as f64 / secs;
    println!(
        "bench: micromagnetic {n}x{n}x1 mesh ({} cells), {} threads: {calls} field+torque evaluations in {secs:.2} s = {rate:.3e} cell-updates/s ({:.2} ms per evaluation)",
        n * n,
        rayon::current_num_threads(),
        1e3 * secs / calls as f64
    );
    println!(
        "bench: per call: demag {:.2} ms, exchange {:.2} ms; kernel set-up {kernel_s:.2} s",
        1e3 * ds / dc as f64,
        1e3 * es / ec as f64
    );
    Ok(())
}
