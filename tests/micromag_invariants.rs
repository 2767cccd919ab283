//! Invariants of the micromagnetic engine on random small meshes and states (proptest):
//! the total effective field is −∂E/∂(Ms V m) (so the demag kernel is symmetric,
//! N_ab(r) = N_ba(−r), and exchange, anisotropy and Zeeman are consistent with their
//! energies); an RK45 step keeps |m| = 1; damping-only relaxation never raises the energy.

use nalgebra::Vector3;
use nanomag::integrate::rk45::Rk45;
use nanomag::llg::relax::descent_observed;
use nanomag::llg::{LlgSystem, Motion, Ode};
use nanomag::micromag::mesh::Mesh;
use nanomag::micromag::system::{MicroMaterial, MicroSystem};
use nanomag::protocol::Protocol;
use proptest::prelude::*;

fn system(n: [usize; 3], ku: f64) -> MicroSystem {
    let mut mesh = Mesh::cuboid(n, [4e-9, 5e-9, 3e-9], 8.0e5);
    // An empty cell, to exercise free boundaries inside the grid.
    if mesh.cells() > 2 {
        mesh.ms[1] = 0.0;
    }
    let material = MicroMaterial { alpha: 0.1, a_ex: 1.3e-11, ku };
    MicroSystem::new(mesh, material, Protocol::constant(Vector3::new(0.01, -0.02, 0.005), 1e-9))
}

fn state(seed: &[f64], cells: usize, mesh: &Mesh) -> Vec<f64> {
    let mut m = vec![0.0; 3 * cells];
    for c in 0..cells {
        if mesh.ms[c] == 0.0 {
            continue;
        }
        let v = Vector3::new(
            seed[(3 * c) % seed.len()],
            seed[(3 * c + 1) % seed.len()],
            0.5 + seed[(3 * c + 2) % seed.len()],
        );
        m[3 * c..3 * c + 3].copy_from_slice(v.normalize().as_slice());
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn field_is_minus_the_energy_gradient(nx in 1usize..6, ny in 1usize..5, nz in 1usize..3, seed in prop::collection::vec(-1.0f64..1.0, 7..40)) {
        let sys = system([nx, ny, nz], 3e4);
        let cells = sys.mesh.cells();
        let m = state(&seed, cells, &sys.mesh);
        let mut b = vec![0.0; m.len()];
        sys.field(0.0, &m, &mut b);
        let v = sys.mesh.cell_volume();
        let h = 1e-6;
        for c in (0..cells).filter(|&c| sys.mesh.ms[c] > 0.0).take(4) {
            for k in 0..3 {
                let (mut p, mut q) = (m.clone(), m.clone());
                p[3 * c + k] += h;
                q[3 * c + k] -= h;
                let de = (sys.energy(0.0, &p) - sys.energy(0.0, &q)) / (2.0 * h);
                let expect = -de / (sys.mesh.ms[c] * v);
                let scale = b[3 * c..3 * c + 3].iter().map(|x| x.abs()).fold(1e-3, f64::max);
                prop_assert!((b[3 * c + k] - expect).abs() < 1e-5 * scale, "cell {c} comp {k}: {} vs {expect}", b[3 * c + k]);
            }
        }
    }

    #[test]
    fn steps_keep_unit_length_and_relaxation_never_raises_the_energy(nx in 2usize..6, ny in 1usize..4, seed in prop::collection::vec(-1.0f64..1.0, 7..40)) {
        let sys = system([nx, ny, 1], 0.0);
        let mut m = state(&seed, sys.mesh.cells(), &sys.mesh);
        let mut rk = Rk45::new(1e-5);
        let mut t = 0.0;
        let mut y: Vec<f64> = m.iter().copied().chain([0.0, 0.0]).collect();
        rk.advance_to(&Ode { sys: &sys, motion: Motion::Llg, frozen: None }, &mut t, &mut y, 2e-12, &[]).unwrap();
        let n3 = m.len();
        m.copy_from_slice(&y[..n3]);
        for c in (0..sys.mesh.cells()).filter(|&c| sys.mesh.ms[c] > 0.0) {
            let n = (m[3 * c].powi(2) + m[3 * c + 1].powi(2) + m[3 * c + 2].powi(2)).sqrt();
            prop_assert!((n - 1.0).abs() < 1e-12, "|m| = {n}");
        }
        let mut energies = vec![sys.energy(t, &m)];
        descent_observed(&sys, &mut m, t, 1e-3, 5_000, &mut |m| energies.push(sys.energy(t, m))).unwrap();
        for w in energies.windows(2) {
            prop_assert!(w[1] <= w[0], "energy rose from {:e} to {:e}", w[0], w[1]);
        }
    }
}
