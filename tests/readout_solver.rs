//! The faer ridge solver against references: nalgebra's Cholesky of the normal equations and
//! linfa-linear's least squares on the Tikhonov-augmented system, on well- and ill-conditioned
//! problems, primal (q ≤ n) and dual (q > n), every λ of a path, several targets. Streamed
//! moments against the batch fit; standardisation on the training rows only; thread-count
//! independence.

use linfa::prelude::*;
use linfa_linear::LinearRegression;
use nalgebra::DMatrix;
use nanomag::reservoir::readout::moments::SplitMoments;
use nanomag::reservoir::readout::ridge::{fit_one, fit_ridge, Ridge};
use nanomag::reservoir::readout::solve::{Form, Method, System};
use nanomag::reservoir::readout::{LinearModel, Readout};
use ndarray::{s, Array1, Array2, ArrayView2};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const PATH: [f64; 8] = [1e-9, 1e-7, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 10.0];

/// n rows, p uncentred, unequally scaled columns; `collinear` > 0 makes every column
/// z₀ + collinear·z_j (κ(Xs) ~ 1/collinear); K targets.
fn problem(n: usize, p: usize, k: usize, collinear: f64, seed: u64) -> (Array2<f64>, Array2<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = Array2::from_shape_fn((n, p + 1), |_| rng.random_range(-1.0..1.0));
    let x = Array2::from_shape_fn((n, p), |(i, j)| {
        let v = if collinear > 0.0 { z[[i, 0]] + collinear * z[[i, j + 1]] } else { z[[i, j + 1]] };
        2.0 + (j % 7) as f64 + (1.0 + j as f64 / 10.0) * v
    });
    let y = Array2::from_shape_fn((n, k), |(i, t)| {
        let lin: f64 = (0..p).map(|j| x[[i, j]] * ((j + t) as f64).sin()).sum();
        1.0 + t as f64 + lin + 0.1 * rng.random_range(-1.0..1.0)
    });
    (x, y)
}

/// Standardised columns and centred targets (nalgebra), as the solver defines them.
fn standardise(x: &Array2<f64>, y: &Array2<f64>) -> (DMatrix<f64>, DMatrix<f64>, Vec<f64>, Vec<f64>) {
    let (n, p) = x.dim();
    let mean: Vec<f64> = (0..p).map(|j| x.column(j).mean().unwrap()).collect();
    let std: Vec<f64> = (0..p).map(|j| x.column(j).std(0.0)).collect();
    let xs = DMatrix::from_fn(n, p, |i, j| (x[[i, j]] - mean[j]) / std[j]);
    let yc = DMatrix::from_fn(n, y.ncols(), |i, t| y[[i, t]] - y.column(t).mean().unwrap());
    (xs, yc, mean, std)
}

/// Standardised weights of a model (w_j σ_j).
fn std_weights(m: &LinearModel, std: &[f64]) -> Vec<f64> {
    m.weights.iter().zip(std).map(|(w, s)| w * s).collect()
}

fn rel(a: &[f64], b: &[f64]) -> f64 {
    let d: f64 = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt();
    d / b.iter().map(|y| y * y).sum::<f64>().sqrt()
}

/// linfa-linear least squares on [Xs; √(nλ) I] w ≈ [yc; 0].
fn linfa_reference(xs: &DMatrix<f64>, yc: &DMatrix<f64>, t: usize, lambda: f64) -> Vec<f64> {
    let (n, p) = xs.shape();
    let a = Array2::from_shape_fn((n + p, p), |(i, j)| {
        if i < n {
            xs[(i, j)]
        } else if i - n == j {
            (n as f64 * lambda).sqrt()
        } else {
            0.0
        }
    });
    let b = Array1::from_shape_fn(n + p, |i| if i < n { yc[(i, t)] } else { 0.0 });
    LinearRegression::new().with_intercept(false).fit(&Dataset::new(a, b)).unwrap().params().to_vec()
}

/// By nalgebra's Cholesky: primal (XsᵀXs + nλI) w = Xsᵀ yc for p ≤ n, dual
/// w = Xsᵀ (XsXsᵀ + nλI)⁻¹ yc for p > n.
fn normal_equations(xs: &DMatrix<f64>, yc: &DMatrix<f64>, t: usize, lambda: f64) -> Vec<f64> {
    let (n, p) = xs.shape();
    let w = if p <= n {
        let a = xs.transpose() * xs + DMatrix::identity(p, p) * (n as f64 * lambda);
        a.cholesky().unwrap().solve(&(xs.transpose() * yc.column(t)))
    } else {
        let k = xs * xs.transpose() + DMatrix::identity(n, n) * (n as f64 * lambda);
        xs.transpose() * k.cholesky().unwrap().solve(&yc.column(t).into_owned())
    };
    w.iter().copied().collect()
}

/// Relative residual of the normal equations ‖Xsᵀ(yc − Xs w) − nλw‖ / ‖Xsᵀ yc‖.
fn normal_residual(xs: &DMatrix<f64>, yc: &DMatrix<f64>, t: usize, lambda: f64, w: &[f64]) -> f64 {
    let n = xs.nrows() as f64;
    let wv = nalgebra::DVector::from_column_slice(w);
    let r = xs.transpose() * (yc.column(t) - xs * &wv) - wv * (n * lambda);
    r.norm() / (xs.transpose() * yc.column(t)).norm()
}

fn check_path(n: usize, p: usize, collinear: f64, seed: u64, expect: Form) -> Vec<Method> {
    let (x, y) = problem(n, p, 3, collinear, seed);
    let (xs, yc, _, std) = standardise(&x, &y);
    let mut methods = vec![];
    for lambda in PATH {
        let models = fit_ridge(x.view(), y.view(), &[lambda; 3]).unwrap();
        for (t, m) in models.iter().enumerate() {
            let w = std_weights(m, &std);
            let lin = linfa_reference(&xs, &yc, t, lambda);
            let e = rel(&w, &lin);
            assert!(e < 1e-8, "n {n} p {p} collinear {collinear} λ {lambda} target {t}: vs linfa-linear {e:e}");
            let r = normal_residual(&xs, &yc, t, lambda, &w);
            assert!(r < 1e-8, "n {n} p {p} λ {lambda} target {t}: normal-equations residual {r:e}");
            if collinear == 0.0 {
                let ne = rel(&w, &normal_equations(&xs, &yc, t, lambda));
                assert!(ne < 1e-8, "n {n} p {p} λ {lambda} target {t}: vs normal equations {ne:e}");
            }
        }
        let sys = System::new(faer::Mat::from_fn(n, p, |i, j| xs[(i, j)]), faer::Mat::from_fn(n, 3, |i, t| yc[(i, t)]));
        assert_eq!(sys.form(), expect);
        methods.push(sys.solve(lambda).1);
    }
    methods
}

#[test]
fn primal_well_conditioned_equals_normal_equations_and_linfa() {
    let m = check_path(300, 40, 0.0, 1, Form::Primal);
    assert!(m.iter().all(|m| matches!(m, Method::Cholesky { .. })), "{m:?}");
}

#[test]
fn dual_well_conditioned_equals_normal_equations_and_linfa() {
    let m = check_path(60, 150, 0.0, 2, Form::Dual);
    assert!(m.iter().all(|m| matches!(m, Method::Cholesky { .. })), "{m:?}");
}

#[test]
fn primal_ill_conditioned_uses_the_stable_fallback_and_still_agrees() {
    let m = check_path(300, 40, 1e-5, 3, Form::Primal);
    assert!(m.contains(&Method::Qr), "the smallest λ must need the QR fallback: {m:?}");
    assert!(m.iter().any(|m| matches!(m, Method::Cholesky { .. })), "{m:?}");
}

#[test]
fn dual_ill_conditioned_uses_the_stable_fallback_and_still_agrees() {
    let m = check_path(60, 150, 1e-5, 4, Form::Dual);
    assert!(m.contains(&Method::Qr), "{m:?}");
}

fn fit(r: &Ridge, x: ArrayView2<f64>, y: ArrayView2<f64>, a: usize, b: usize) -> nanomag::reservoir::readout::Fitted {
    r.fit(x.slice(s![..a, ..]), y.slice(s![..a, ..]), x.slice(s![a..b, ..]), y.slice(s![a..b, ..])).unwrap()
}

#[test]
fn streamed_moments_equal_the_batch_fit() {
    let (x, y) = problem(1200, 30, 2, 0.0, 5);
    let (wash, a, b) = (100, 700, 1000);
    let r = Ridge { lambdas: PATH.to_vec() };
    let batch = fit(&r, x.slice(s![wash.., ..]), y.slice(s![wash.., ..]), a - wash, b - wash);
    let mut m = SplitMoments::new(30, 2, wash, a - wash, b - a);
    for i in 0..1200 {
        m.push(x.row(i).as_slice().unwrap(), y.row(i).as_slice().unwrap());
    }
    let streamed = r.fit_streamed(&mut m).unwrap();
    assert_eq!(m.splits.iter().map(|s| s.n).collect::<Vec<_>>(), vec![600, 300, 200]);
    for t in 0..2 {
        let (bm, sm) = (&batch.models[t], &streamed.models[t]);
        assert_eq!(bm.lambda, sm.lambda);
        let e = rel(sm.weights.as_slice().unwrap(), bm.weights.as_slice().unwrap());
        assert!(e < 1e-10, "target {t}: weights {e:e}");
        assert!((sm.intercept - bm.intercept).abs() < 1e-10 * (1.0 + bm.intercept.abs()));
        let dv = (streamed.validation_nrmse[t] - batch.validation_nrmse[t]).abs();
        assert!(dv < 1e-10, "target {t}: validation NRMSE {dv:e}");
    }
}

#[test]
fn standardisation_and_selection_use_the_training_rows_only() {
    let (x, y) = problem(600, 20, 1, 0.0, 6);
    let r = Ridge { lambdas: PATH.to_vec() };
    let f = fit(&r, x.view(), y.view(), 400, 500);
    // The validation score is that of the fit on the training rows alone.
    let lambda = f.models[0].lambda;
    let m = fit_one(x.slice(s![..400, ..]), y.column(0).slice(s![..400]), lambda).unwrap();
    let pred = m.predict(x.slice(s![400..500, ..]));
    let e = nanomag::reservoir::metrics::nrmse(y.column(0).slice(s![400..500]), pred.view());
    assert!((e - f.validation_nrmse[0]).abs() < 1e-12, "{e} vs {}", f.validation_nrmse[0]);
    // Scaling one validation feature changes the validation score but not the way the
    // training rows were standardised: the train-only fit, and so its weights, are unchanged.
    let mut x2 = x.clone();
    x2.slice_mut(s![400..500, 3]).mapv_inplace(|v| 5.0 * v + 1.0);
    let m2 = fit_one(x2.slice(s![..400, ..]), y.column(0).slice(s![..400]), lambda).unwrap();
    assert_eq!(m2, m);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            let r = Ridge { lambdas: PATH.to_vec() };
            let (x, y) = problem(900, 500, 2, 1e-3, 7);
            let primal = fit(&r, x.view(), y.view(), 700, 800);
            let (x, y) = problem(400, 900, 2, 0.0, 8);
            let dual = fit(&r, x.view(), y.view(), 300, 350);
            // Ill-conditioned: the QR fallbacks.
            let (x, y) = problem(400, 900, 2, 1e-6, 9);
            let dual_qr = fit(&r, x.view(), y.view(), 300, 350);
            let (x, y) = problem(900, 400, 2, 1e-6, 10);
            let primal_qr = fit(&r, x.view(), y.view(), 700, 800);
            (primal, dual, dual_qr, primal_qr)
        })
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one, two, "1 and 2 threads differ");
}
