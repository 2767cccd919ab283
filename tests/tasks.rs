//! Task generators against hand-computed values and closed forms.

use nanomag::config::raw::RawTask;
use nanomag::reservoir::tasks::{self, mackey_glass, narma};

fn task(kind: &str, f: impl FnOnce(&mut RawTask)) -> Box<dyn tasks::Task> {
    let mut raw = RawTask { kind: Some(kind.into()), ..Default::default() };
    f(&mut raw);
    tasks::from_config(&raw).unwrap()
}

#[test]
fn narma10_first_values_by_hand() {
    let u = [0.2, 0.4, 0.1, 0.3, 0.0, 0.5, 0.25, 0.35, 0.45, 0.15, 0.05];
    let y = narma::narma_series(10, &u);
    // y(1) = 0.1 (y(0) = 0, u(−9) = 0); y(2) = 0.3·0.1 + 0.05·0.1·0.1 + 0.1;
    // y(3) = 0.3·0.1305 + 0.05·0.1305·(0.1305 + 0.1) + 0.1.
    assert!((y[0] - 0.1).abs() < 1e-15);
    assert!((y[1] - 0.1305).abs() < 1e-15);
    assert!((y[2] - 0.1406540125).abs() < 1e-14);
    // From t = 9 on, the product term 1.5 u(t−9) u(t) enters: y(10) − its recursion part.
    let t = 9;
    let sum: f64 = (0..10).map(|i| if t > i { y[t - i - 1] } else { 0.0 }).sum();
    let expect = 0.3 * y[t - 1] + 0.05 * y[t - 1] * sum + 1.5 * u[0] * u[9] + 0.1;
    assert!((y[t] - expect).abs() < 1e-15, "{} vs {expect}", y[t]);
}

#[test]
fn narma2_first_values_by_hand() {
    let u = [0.5, 0.2, 0.4];
    let y = narma::narma_series(2, &u);
    let y1 = 0.6 * 0.125 + 0.1;
    let y2 = 0.4 * y1 + 0.6 * 0.008 + 0.1;
    let y3 = 0.4 * y2 + 0.4 * y2 * y1 + 0.6 * 0.064 + 0.1;
    for (a, b) in y.iter().zip([y1, y2, y3]) {
        assert!((a - b).abs() < 1e-15);
    }
}

#[test]
fn narma10_stays_bounded() {
    let t = task("narma10", |_| {});
    assert_eq!(t.input_range(), (0.0, 0.5));
    for seed in 0..20 {
        let d = tasks::generate(t.as_ref(), 20_000, seed);
        assert!(d.u.iter().all(|&u| (0.0..0.5).contains(&u)));
        let max = d.y[0].iter().cloned().fold(0.0, f64::max);
        assert!(d.y[0].iter().all(|y| y.is_finite() && *y > 0.0) && max < 1.0, "seed {seed}: max {max}");
    }
}

#[test]
fn mackey_glass_starts_as_linear_relaxation() {
    // For t ≤ 17 the delayed value is the history x0 = 1.2, so dx/dt = c − 0.1 x with
    // c = 0.2·1.2/(1 + 1.2¹⁰): RK4 gives x(n+1) − x* = (x(n) − x*)·R(−0.1), x* = 10c,
    // R(z) = 1 + z + z²/2 + z³/6 + z⁴/24; the exact solution is x* + (x0 − x*) e^{−0.1 t}.
    let c = 0.2 * 1.2 / (1.0 + 1.2f64.powi(10));
    let xs = 10.0 * c;
    let z: f64 = -0.1;
    let r = 1.0 + z + z * z / 2.0 + z.powi(3) / 6.0 + z.powi(4) / 24.0;
    let x = mackey_glass::series(40);
    for (n, xn) in x.iter().enumerate().take(18) {
        let rk4 = xs + (1.2 - xs) * r.powi(n as i32);
        assert!((xn - rk4).abs() < 1e-14, "n = {n}");
        let exact = xs + (1.2 - xs) * (-0.1 * n as f64).exp();
        assert!((xn - exact).abs() < 1e-6, "n = {n}");
    }
    // After t = 17 the feedback switches on and the series leaves that curve.
    let exact = xs + (1.2 - xs) * (-0.1f64 * 30.0).exp();
    assert!((x[30] - exact).abs() > 1e-3);
    let long = mackey_glass::series(20_000);
    let (lo, hi) = long.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    assert!(lo > 0.2 && hi < 1.4, "attractor within the documented input range: [{lo}, {hi}]");
}

#[test]
fn mackey_glass_target_is_the_series_ahead() {
    let t = task("mackey_glass", |r| {
        r.subsample = Some(3);
        r.horizon = Some(5);
    });
    let d = tasks::generate(t.as_ref(), 100, 1);
    let x = mackey_glass::series(400);
    for k in 0..100 {
        assert_eq!(d.u[k], x[3 * k]);
        assert_eq!(d.y[0][k], x[3 * (k + 5)]);
    }
}

#[test]
fn memory_capacity_targets_are_delayed_inputs() {
    let t = task("memory_capacity", |r| r.delays = Some(4));
    let d = tasks::generate(t.as_ref(), 50, 3);
    assert_eq!(d.y.len(), 4);
    for k in 1..=4 {
        for s in k..50 {
            assert_eq!(d.y[k - 1][s], d.u[s - k]);
        }
    }
    assert!(d.u.iter().all(|&u| (-1.0..1.0).contains(&u)));
}

#[test]
fn parity_and_sine_square_by_hand() {
    let t = task("parity", |r| r.order = Some(3));
    let d = tasks::generate(t.as_ref(), 200, 7);
    for s in 2..200 {
        let ones = (d.u[s] + d.u[s - 1] + d.u[s - 2]) as usize;
        assert_eq!(d.y[0][s], (ones % 2) as f64);
    }
    let t = task("sine_square", |r| r.period = Some(8.0));
    let d = tasks::generate(t.as_ref(), 16, 0);
    let y: Vec<f64> = d.y[0].clone();
    assert_eq!(y[..8], [1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0]);
    assert!((d.u[2] - 1.0).abs() < 1e-15 && (d.u[6] + 1.0).abs() < 1e-15);
}

#[test]
fn signal_transform_by_hand() {
    // P = 12: at t = 1 (ωt = 30°) u = 1/2 and y = cos 60° · sin 90° = 1/2; at t = 3 (90°)
    // u = 1, y = cos 180° · sin 270° = 1.
    let t = task("signal_transform", |r| r.period = Some(12.0));
    let d = tasks::generate(t.as_ref(), 24, 0);
    assert!((d.u[1] - 0.5).abs() < 1e-15 && (d.y[0][1] - 0.5).abs() < 1e-15);
    assert!((d.u[3] - 1.0).abs() < 1e-15 && (d.y[0][3] - 1.0).abs() < 1e-15);
    assert!(d.y[0].iter().zip(&d.y[0][12..]).all(|(a, b)| (a - b).abs() < 1e-12), "period P");
}

#[test]
fn same_seed_same_series_other_seed_other_series() {
    let t = task("narma10", |_| {});
    assert_eq!(tasks::generate(t.as_ref(), 500, 4), tasks::generate(t.as_ref(), 500, 4));
    assert_ne!(tasks::generate(t.as_ref(), 500, 4).u, tasks::generate(t.as_ref(), 500, 5).u);
}
