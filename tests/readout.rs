//! The ridge readout against the normal equations, and the reservoir pipeline against
//! known results: a delay line's memory capacity, an exactly linear target, an ESN on NARMA10.

use nalgebra::{DMatrix, DVector};
use nanomag::config::parse_toml;
use nanomag::reservoir::baselines::esn::{spectral_radius, Esn, EsnSpec};
use nanomag::reservoir::config::validate;
use nanomag::reservoir::experiment;
use nanomag::reservoir::readout::ridge::{fit_one, Ridge};
use nanomag::reservoir::readout::Readout;
use ndarray::{Array1, Array2};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;

fn random_problem(n: usize, p: usize, seed: u64) -> (Array2<f64>, Array1<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Uncentred, unequally scaled, correlated columns: what an intercept-naive ridge gets wrong.
    let base = Array2::from_shape_fn((n, p), |_| rng.random_range(-1.0..1.0));
    let x =
        Array2::from_shape_fn((n, p), |(i, j)| 3.0 + (j as f64 + 1.0) * (base[[i, j]] + 0.5 * base[[i, (j + 1) % p]]));
    let y = Array1::from_shape_fn(n, |i| {
        2.0 + x.row(i).iter().enumerate().map(|(j, v)| v * (j as f64 - 2.0)).sum::<f64>() + rng.random_range(-0.5..0.5)
    });
    (x, y)
}

/// (Xsᵀ Xs + nλ I) w = Xsᵀ (y − ȳ) on standardised columns, by Cholesky, mapped back.
fn normal_equations(x: &Array2<f64>, y: &Array1<f64>, lambda: f64) -> (Vec<f64>, f64) {
    let (n, p) = x.dim();
    let mean: Vec<f64> = (0..p).map(|j| x.column(j).mean().unwrap()).collect();
    let std: Vec<f64> = (0..p).map(|j| x.column(j).std(0.0)).collect();
    let xs = DMatrix::from_fn(n, p, |i, j| (x[[i, j]] - mean[j]) / std[j]);
    let ym = y.mean().unwrap();
    let yc = DVector::from_iterator(n, y.iter().map(|v| v - ym));
    let a = xs.transpose() * &xs + DMatrix::identity(p, p) * (n as f64 * lambda);
    let w = a.cholesky().unwrap().solve(&(xs.transpose() * yc));
    let w: Vec<f64> = (0..p).map(|j| w[j] / std[j]).collect();
    let b = ym - (0..p).map(|j| w[j] * mean[j]).sum::<f64>();
    (w, b)
}

#[test]
fn ridge_equals_the_normal_equations() {
    for (lambda, seed) in [(1e-6, 1), (1e-3, 2), (0.1, 3), (10.0, 4)] {
        let (x, y) = random_problem(300, 8, seed);
        let m = fit_one(x.view(), y.view(), lambda).unwrap();
        let (w, b) = normal_equations(&x, &y, lambda);
        for (j, wj) in w.iter().enumerate().take(8) {
            assert!(
                (m.weights[j] - wj).abs() < 1e-8 * (1.0 + wj.abs()),
                "λ {lambda}: w{j} {} vs {}",
                m.weights[j],
                w[j]
            );
        }
        assert!((m.intercept - b).abs() < 1e-8 * (1.0 + b.abs()), "λ {lambda}: b {} vs {b}", m.intercept);
    }
}

#[test]
fn ridge_learns_an_exactly_linear_target() {
    let (x, _) = random_problem(400, 6, 9);
    let y = Array1::from_shape_fn(400, |i| {
        -1.5 + x.row(i).iter().enumerate().map(|(j, v)| v * (0.3 * j as f64 - 1.0)).sum::<f64>()
    });
    let r = Ridge { lambdas: vec![1e-12, 1e-6, 1e-2] };
    let y2 = y.clone().insert_axis(ndarray::Axis(1));
    let m = r
        .fit(
            x.slice(ndarray::s![..300, ..]),
            y2.slice(ndarray::s![..300, ..]),
            x.slice(ndarray::s![300..350, ..]),
            y2.slice(ndarray::s![300..350, ..]),
        )
        .unwrap()
        .models;
    let pred = m[0].predict(x.slice(ndarray::s![350.., ..]));
    let e = nanomag::reservoir::metrics::nrmse(y.slice(ndarray::s![350..]), pred.view());
    assert!(e < 1e-6, "NRMSE {e}");
    assert_eq!(m[0].lambda, 1e-12, "the validation picks the smallest λ for a noiseless target");
}

fn experiment(toml: &str) -> experiment::Outcome {
    let raw = parse_toml(toml, Path::new("t.toml")).unwrap();
    let cfg = validate(&raw, Path::new(".")).unwrap();
    experiment::run(&cfg, false, &mut |_| {}).unwrap()
}

#[test]
fn delay_line_memory_capacity_is_its_tap_count() {
    for k in [3, 10] {
        let o = experiment(&format!(
            "[reservoir]\nkind = \"delay_line\"\ntaps = {k}\n[features]\ninclude_input = false\n\
             [task]\nkind = \"memory_capacity\"\ndelays = 20\nwashout = 20\ntrain = 5000\nvalidation = 500\ntest = 5000\n"
        ));
        let mc = o.memory_capacity.unwrap();
        assert!((mc - k as f64).abs() < 0.05, "{k} taps: MC {mc}");
        for (d, out) in o.outputs.iter().enumerate() {
            if d < k {
                assert!(out.r2_test > 0.999999, "delay {}: r² {}", d + 1, out.r2_test);
            }
        }
    }
}

#[test]
fn esn_of_100_nodes_beats_0_4_on_narma10() {
    let o = experiment("[reservoir]\nkind = \"esn\"\nn = 100\n[task]\nkind = \"narma10\"\ntrain = 3000\ntest = 1000\n");
    let e = o.outputs[0].nrmse_test;
    assert!(e < 0.4, "ESN-100 NARMA10 test NRMSE {e}");
    assert_eq!(o.n_features, 101);
}

#[test]
fn esn_is_scaled_to_its_spectral_radius_and_seeded() {
    let spec = EsnSpec { n: 60, spectral_radius: 0.8, input_scaling: 0.1, bias_scaling: 0.1, leak: 1.0, seed: 5 };
    let e = Esn::new(spec.clone());
    assert!((spectral_radius(e.weights()) - 0.8).abs() < 1e-9);
    assert_eq!(Esn::new(spec).weights(), e.weights());
}
