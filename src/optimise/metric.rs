//! What a search can minimise or bound: metrics of a run that never touch the test split,
//! each the mean over a design's runs. The surrogate models log10 of each (all are positive,
//! and span decades: NRMSE from 0.01 to 10, energy from fJ to µJ).

use crate::error::ConfigError;
use crate::reservoir::config::ExperimentConfig;
use crate::reservoir::experiment::Outcome;

/// The default objective.
pub const VALIDATION: &str = "nrmse_validation";

/// Metrics (name, unit, what it is).
pub const METRICS: &[(&str, &str, &str)] = &[
    ("nrmse_validation", "", "NRMSE on the validation split, readout fitted on the training split (first output)"),
    ("energy_per_input_j", "J", "total energy per input step (array, field source, sensing, digital readout)"),
    ("energy_dissipated_j", "J", "Gilbert dissipation in the array per input step"),
    ("energy_field_source_j", "J", "field source per input step"),
    ("energy_readout_j", "J", "sensing per input step"),
    ("energy_cmos_j", "J", "digital arithmetic per input step"),
    ("n_features", "", "features of the readout (known before the run)"),
    ("features_read_per_input", "", "sensor reads per input step"),
];

/// Metrics measured on the test split: never an objective or a constraint.
const TEST_METRICS: &[&str] = &["nrmse_test", "mse_test", "r2_test", "memory_capacity", "test"];

/// A bound on a metric: `metric ≤ bound` (`upper`) or `metric ≥ bound`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Constraint {
    pub metric: String,
    pub bound: f64,
    pub upper: bool,
}

impl Constraint {
    /// g = log10(m / bound) for an upper bound, log10(bound / m) for a lower one: g ≤ 0 is
    /// feasible.
    pub fn g(&self, m: f64) -> f64 {
        let r = (m.max(f64::MIN_POSITIVE) / self.bound).log10();
        if self.upper {
            r
        } else {
            -r
        }
    }

    /// `metric ≤ bound` in words.
    pub fn describe(&self) -> String {
        format!("{} {} {}", self.metric, if self.upper { "≤" } else { "≥" }, crate::config::checks::show(self.bound))
    }
}

/// Checks that `name` is a metric a search may use (`key` names the setting).
pub fn check(key: &str, name: &str) -> Result<(), ConfigError> {
    if TEST_METRICS.iter().any(|t| name.contains(t)) {
        return Err(ConfigError::new(key, name, "is measured on the test split: a search sees validation scores only"));
    }
    if !METRICS.iter().any(|m| m.0 == name) {
        let all: Vec<&str> = METRICS.iter().map(|m| m.0).collect();
        return Err(ConfigError::new(key, name, format!("must be one of {}", all.join(", "))));
    }
    Ok(())
}

/// The metrics of one run (none of them from the test split).
pub fn of_run(o: &Outcome) -> Vec<(&'static str, f64)> {
    let e = &o.energy.per_step;
    vec![
        ("nrmse_validation", o.outputs[0].nrmse_validation),
        ("energy_per_input_j", e.total),
        ("energy_dissipated_j", e.dissipated),
        ("energy_field_source_j", e.field_source),
        ("energy_readout_j", e.readout),
        ("energy_cmos_j", e.cmos),
        ("n_features", o.n_features as f64),
        ("features_read_per_input", o.energy.features_read_per_step as f64),
    ]
}

/// Metrics known before a design runs (for constraints that spare the runs of an
/// infeasible design).
pub fn before_run(cfg: &ExperimentConfig) -> Vec<(&'static str, f64)> {
    cfg.n_features().map(|n| vec![("n_features", n as f64)]).unwrap_or_default()
}

/// The value the surrogate models: log10 of the metric (floored at 1e-300).
pub fn surrogate(v: f64) -> f64 {
    if v.is_finite() {
        v.max(1e-300).log10()
    } else {
        f64::NAN
    }
}
