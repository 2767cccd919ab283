//! Signal transformation of the multilayer spin-reservoir work (Stenning et al. 2024): input
//! u(t) = sin θ(t), target y(t) = cos 2θ(t) · sin 3θ(t) — harmonics the input does not
//! contain, which the reservoir must make.
//!
//! Since cos 2θ · sin 3θ = ½ sin θ + ½ sin 5θ and sin 5θ = 5 sin θ − 20 sin³θ + 16 sin⁵θ,
//! the target is the memoryless quintic y = 3u − 10u³ + 8u⁵ of the current input, whatever
//! the phase: no linear or quadratic function of the input history can reach it (the best
//! linear one leaves NRMSE ≈ 0.7).
//!
//! Two forms, one file:
//! - `signal_transform` (the headline form): the phase advances by a seeded, slowly wandering
//!   frequency, θ(t+1) = θ(t) + 2π/P(t), with ln P(t) = ½(ln P_min + ln P_max) +
//!   ½(ln P_max − ln P_min)·tanh z(t) and z an Ornstein–Uhlenbeck process of unit variance and
//!   correlation time `correlation` steps; θ(0) ~ U[0, 2π), z(0) ~ N(0, 1). The input never
//!   repeats, so the test split cannot be memorised from the training split.
//! - `signal_transform_periodic` (the literature's fixed-period form): θ(t) = 2πt/P + φ with a
//!   seeded phase φ ~ U[0, 2π). It is periodic, so a reservoir with about P independent
//!   features can fit it from one period of training data: a weak test. Periods at which the
//!   fifth harmonic aliases, at integer steps, onto the input's own frequency, DC or the
//!   Nyquist frequency (P = 4, 5, 6, 10) make the target (almost) a linear function of the
//!   input and are refused.

use super::{Task, TaskData};
use crate::config::checks::in_range;
use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::{PI, TAU};

/// The target as a function of the phase: cos 2θ · sin 3θ.
pub fn target(theta: f64) -> f64 {
    (2.0 * theta).cos() * (3.0 * theta).sin()
}

/// The `[task]` keys of the wandering form.
pub const KEYS: &[&str] = &["period_min", "period_max", "correlation"];
/// The `[task]` keys of the periodic form.
pub const PERIODIC_KEYS: &[&str] = &["period"];

/// The headline form: a wandering period in [P_min, P_max].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalTransform {
    pub period_min: f64,
    pub period_max: f64,
    /// Correlation time of z (steps).
    pub correlation: f64,
}

pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    let period_min = in_range("task.period_min", raw.period_min.unwrap_or(10.0), 2.0, 1e4, "steps")?;
    let period_max =
        in_range("task.period_max", raw.period_max.unwrap_or(40.0), period_min, 1e4, "steps (≥ period_min)")?;
    let correlation = in_range("task.correlation", raw.correlation.unwrap_or(50.0), 1.0, 1e6, "steps")?;
    Ok(Box::new(SignalTransform { period_min, period_max, correlation }))
}

impl Task for SignalTransform {
    fn name(&self) -> &'static str {
        "signal_transform"
    }
    fn input_range(&self) -> (f64, f64) {
        (-1.0, 1.0)
    }
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        let (lo, hi) = (self.period_min.ln(), self.period_max.ln());
        let a = (-1.0 / self.correlation).exp();
        let kick = (1.0 - a * a).sqrt();
        let mut theta = rng.random_range(0.0..TAU);
        let mut z: f64 = StandardNormal.sample(rng);
        let (mut u, mut y) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
        for _ in 0..steps {
            u.push(theta.sin());
            y.push(target(theta));
            let period = (0.5 * (lo + hi) + 0.5 * (hi - lo) * z.tanh()).exp();
            theta = (theta + TAU / period) % TAU;
            let n: f64 = StandardNormal.sample(rng);
            z = a * z + kick * n;
        }
        TaskData { u, y: vec![y], names: vec!["y".into()] }
    }
    fn resolve(&self, t: &mut RawTask) {
        (t.period_min, t.period_max, t.correlation) =
            (Some(self.period_min), Some(self.period_max), Some(self.correlation));
    }
}

/// The literature's fixed-period form with a seeded phase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignalTransformPeriodic {
    /// Period P of the input in steps.
    pub period: f64,
}

/// Where, at integer steps, the fifth harmonic of ω = 2π/P lands: folded into [0, π].
fn alias(period: f64) -> f64 {
    let f = (5.0 * TAU / period).rem_euclid(TAU);
    if f > PI {
        TAU - f
    } else {
        f
    }
}

pub fn periodic_from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    let period = in_range("task.period", raw.period.unwrap_or(20.0), 4.0, 1e4, "steps")?;
    let (w, a, tol) = (TAU / period, alias(period), 1e-3 * TAU / period);
    let onto = if a < tol {
        Some("DC")
    } else if (a - w).abs() < tol {
        Some("the input's own frequency")
    } else if (PI - a) < tol {
        Some("the Nyquist frequency")
    } else {
        None
    };
    if let Some(onto) = onto {
        return Err(ConfigError::new(
            "task.period",
            crate::config::checks::show(period),
            format!(
                "at this period the target's fifth harmonic falls on {onto} at integer steps, so the target is \
                 (almost) a linear function of the input: choose another period (the literature uses 20), or \
                 kind = \"signal_transform\""
            ),
        ));
    }
    Ok(Box::new(SignalTransformPeriodic { period }))
}

impl Task for SignalTransformPeriodic {
    fn name(&self) -> &'static str {
        "signal_transform_periodic"
    }
    fn input_range(&self) -> (f64, f64) {
        (-1.0, 1.0)
    }
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData {
        let (w, phi) = (TAU / self.period, rng.random_range(0.0..TAU));
        let u = (0..steps).map(|t| (w * t as f64 + phi).sin()).collect();
        let y = (0..steps).map(|t| target(w * t as f64 + phi)).collect();
        TaskData { u, y: vec![y], names: vec!["y".into()] }
    }
    fn resolve(&self, t: &mut RawTask) {
        t.period = Some(self.period);
    }
}
