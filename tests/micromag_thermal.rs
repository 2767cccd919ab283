//! Thermal field of the micromagnetic engine (Brown's definition per cell volume, Heun): one
//! 2 nm cube in a field B ẑ at 300 K samples the Boltzmann distribution of a moment
//! μ = Ms V, whose mean along the field is the Langevin function
//! ⟨m_z⟩ = coth(a) − 1/a, a = μB/(k_B T). (A single cubic cell has an isotropic
//! demagnetising tensor, so the demag field exerts no torque.)

use nalgebra::Vector3;
use nanomag::integrate::heun::Heun;
use nanomag::integrate::FixedStep;
use nanomag::llg::thermal::Thermal;
use nanomag::llg::{LlgSystem, Motion, Ode};
use nanomag::micromag::mesh::Mesh;
use nanomag::micromag::system::{MicroMaterial, MicroSystem};
use nanomag::protocol::Protocol;

const KB: f64 = 1.380649e-23;

fn mean_mz(a: f64, seed: u64) -> (f64, f64) {
    let (ms, d, t) = (8.0e5, 2e-9, 300.0);
    let v = d * d * d;
    let b = a * KB * t / (ms * v);
    let mesh = Mesh::cuboid([1, 1, 1], [d; 3], ms);
    let material = MicroMaterial { alpha: 1.0, a_ex: 1.3e-11, ku: 0.0 };
    let sys = MicroSystem::new(mesh, material, Protocol::constant(Vector3::new(0.0, 0.0, b), 1.0));
    let thermal = Thermal::new(t, 1.0, sys.moments(), seed);
    let mut heun = Heun::new(dt_step(), Some(Box::new(thermal)));
    let ode = Ode { sys: &sys, motion: Motion::Llg, frozen: None };
    let mut m = vec![0.0, 0.0, 1.0, 0.0, 0.0];
    let dt = dt_step();
    let (burn, steps) = (20_000, 600_000);
    // Batch means: 40 blocks, each many correlation times long, give the standard error.
    let blocks = 40;
    let mut block_means = vec![0.0; blocks];
    for k in 0..burn + steps {
        heun.step(&ode, k as f64 * dt, dt, &mut m);
        let n = (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]).sqrt();
        m[..3].iter_mut().for_each(|c| *c /= n);
        if k >= burn {
            block_means[(k - burn) * blocks / steps] += m[2] / (steps / blocks) as f64;
        }
    }
    let mean = block_means.iter().sum::<f64>() / blocks as f64;
    let var = block_means.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / (blocks - 1) as f64;
    (mean, (var / blocks as f64).sqrt())
}

fn dt_step() -> f64 {
    5e-14
}

#[test]
fn one_cell_at_300_k_follows_the_langevin_function() {
    for a in [2.0, 5.0] {
        let (mz, se) = mean_mz(a, 7);
        let langevin = 1.0 / a.tanh() - 1.0 / a;
        eprintln!("a = {a}: <m_z> = {mz:.4} ± {se:.4} (standard error) vs Langevin {langevin:.4}");
        // Sharp enough to tell a factor 2 in the noise variance (⟨m_z⟩ would move by > 10 %)...
        assert!(se < 0.02 * langevin, "a = {a}: standard error {se} too large for a sharp test");
        // ...and within 3 standard errors of the Langevin value.
        assert!((mz - langevin).abs() < 3.0 * se, "a = {a}: {mz} ± {se} vs {langevin}");
    }
}
