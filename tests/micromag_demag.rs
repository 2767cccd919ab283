//! The cell-averaged demagnetising tensor (Newell et al. 1993) summed over a uniformly
//! magnetised box gives the box's demagnetising factors (Aharoni, J. Appl. Phys. 83, 3432
//! (1998)): ⟨H_a⟩ = −Ms N_a, averaged over the cells; tolerance 1 % (issue 5).

use nanomag::geometry::demag_factors::prism;
use nanomag::micromag::demag_kernel::tensor;

fn box_factors(n: [usize; 3], d: [f64; 3]) -> [f64; 3] {
    let mut sum = [0.0; 3];
    let cells = n[0] * n[1] * n[2];
    for i in 0..n[0] as i64 {
        for j in 0..n[1] as i64 {
            for k in 0..n[2] as i64 {
                for a in 0..n[0] as i64 {
                    for b in 0..n[1] as i64 {
                        for c in 0..n[2] as i64 {
                            let t = tensor((i - a) as f64 * d[0], (j - b) as f64 * d[1], (k - c) as f64 * d[2], d);
                            sum[0] += t[0];
                            sum[1] += t[1];
                            sum[2] += t[2];
                        }
                    }
                }
            }
        }
    }
    sum.map(|s| s / cells as f64)
}

#[test]
fn uniformly_magnetised_boxes_give_aharoni_factors() {
    // (cells, cell size): the 220 × 80 × 20 nm island, the SP4 film (coarse), a cube, and a
    // box long enough that the far-field (point-dipole) branch is used.
    let cases: [([usize; 3], [f64; 3]); 4] = [
        ([22, 8, 2], [10e-9, 10e-9, 10e-9]),
        ([50, 12, 1], [10e-9, 125e-9 / 12.0, 3e-9]),
        ([6, 6, 6], [1.0, 1.0, 1.0]),
        ([60, 3, 1], [5e-9, 5e-9, 5e-9]),
    ];
    for (n, d) in cases {
        let size = [n[0] as f64 * d[0], n[1] as f64 * d[1], n[2] as f64 * d[2]];
        let aharoni = prism(size[0], size[1], size[2]);
        let got = box_factors(n, d);
        eprintln!("{size:?}: Newell sum {got:?}, Aharoni {aharoni:?}");
        for k in 0..3 {
            assert!(
                (got[k] - aharoni[k]).abs() <= 0.01 * aharoni[k],
                "{size:?} axis {k}: {} vs {}",
                got[k],
                aharoni[k]
            );
        }
        assert!((got.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    }
}

/// Exchange energy of a planar spiral m = (cos kx, sin kx, 0) along a 500-cell bar equals
/// A k² V within 1 % (discretisation −(k dx)²/12 and one missing link at the free ends), and
/// the field is −∂E/∂(Ms V m) (finite differences).
#[test]
fn exchange_energy_of_a_spiral() {
    use nanomag::micromag::mesh::Mesh;
    use nanomag::micromag::terms::exchange;
    let (a, ms, dx) = (1.3e-11, 8e5, 1e-9);
    let mesh = Mesh::cuboid([500, 2, 1], [dx, 2e-9, 3e-9], ms);
    let k = 2.0 * std::f64::consts::PI / 100e-9;
    let mut m = vec![0.0; 3 * mesh.cells()];
    for c in 0..mesh.cells() {
        let x = mesh.centre(c)[0];
        m[3 * c] = (k * x).cos();
        m[3 * c + 1] = (k * x).sin();
    }
    let e = exchange::energy(&mesh, a, &m);
    let analytic = a * k * k * mesh.cell_volume() * mesh.cells() as f64;
    eprintln!("spiral: E_ex = {e:e} J, A k² V = {analytic:e} J");
    assert!((e - analytic).abs() < 0.01 * analytic);
    // B_ex = −∂E/∂(μ m) at a few cells.
    let mut b = vec![0.0; m.len()];
    exchange::add_field(&mesh, a, &m, &mut b);
    let mu = ms * mesh.cell_volume();
    for c in [0usize, 7, 250, 999] {
        for comp in 0..3 {
            let h = 1e-6;
            let mut mp = m.clone();
            mp[3 * c + comp] += h;
            let mut mm = m.clone();
            mm[3 * c + comp] -= h;
            let de = (exchange::energy(&mesh, a, &mp) - exchange::energy(&mesh, a, &mm)) / (2.0 * h);
            let field = -de / mu;
            assert!(
                (field - b[3 * c + comp]).abs() <= 1e-6 * b.iter().map(|x| x.abs()).fold(0.0, f64::max),
                "cell {c} comp {comp}: {field} vs {}",
                b[3 * c + comp]
            );
        }
    }
}

/// The FFT convolution equals the direct sum Σ_j N(r_i − r_j)·M_j for a random state, in 3D
/// and in a film, and a uniform box's mean field is −μ0 Ms N (Aharoni).
#[test]
fn fft_demag_equals_the_direct_sum() {
    use nanomag::micromag::mesh::Mesh;
    use nanomag::micromag::terms::demag::Demag;
    use rand::{RngExt, SeedableRng};
    const MU0: f64 = 4.0e-7 * std::f64::consts::PI;
    let ms = 8e5;
    for (n, d) in
        [([7usize, 5, 3], [3e-9, 4e-9, 5e-9]), ([9, 4, 1], [5e-9, 5e-9, 3e-9]), ([1, 6, 2], [2e-9, 3e-9, 4e-9])]
    {
        let mesh = Mesh::cuboid(n, d, ms);
        let demag = Demag::new(&mesh);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let m: Vec<f64> = (0..mesh.cells())
            .flat_map(|_| {
                let v = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0f64)];
                let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
                v.map(|x| x / r)
            })
            .collect();
        let mut b = vec![0.0; m.len()];
        demag.add_field(&mesh, &m, &mut b);
        let scale = MU0 * ms;
        for i in 0..mesh.cells() {
            let ri = mesh.centre(i);
            let mut h = [0.0; 3];
            for j in 0..mesh.cells() {
                let rj = mesh.centre(j);
                let t = tensor(ri[0] - rj[0], ri[1] - rj[1], ri[2] - rj[2], d);
                let nm = [[t[0], t[3], t[4]], [t[3], t[1], t[5]], [t[4], t[5], t[2]]];
                for a in 0..3 {
                    for bb in 0..3 {
                        h[a] -= nm[a][bb] * ms * m[3 * j + bb];
                    }
                }
            }
            for a in 0..3 {
                assert!(
                    (MU0 * h[a] - b[3 * i + a]).abs() < 1e-10 * scale,
                    "{n:?} cell {i} comp {a}: {} vs {}",
                    MU0 * h[a],
                    b[3 * i + a]
                );
            }
        }
        // Uniform along x: mean B_x = −μ0 Ms N_x.
        let ux: Vec<f64> = (0..mesh.cells()).flat_map(|_| [1.0, 0.0, 0.0]).collect();
        let mut bu = vec![0.0; ux.len()];
        demag.add_field(&mesh, &ux, &mut bu);
        let mean = (0..mesh.cells()).map(|i| bu[3 * i]).sum::<f64>() / mesh.cells() as f64;
        let nx_aharoni = prism(n[0] as f64 * d[0], n[1] as f64 * d[1], n[2] as f64 * d[2])[0];
        assert!(
            (mean + MU0 * ms * nx_aharoni).abs() < 0.01 * MU0 * ms * nx_aharoni,
            "{n:?}: {mean} vs {}",
            -MU0 * ms * nx_aharoni
        );
    }
}
