//! What an engine costs per step, and the estimates engines share: the adaptive LLG step for a
//! field scale and the dipolar pairs within a cutoff ([`crate::cost`] adds the run's share).

use crate::constants::GAMMA;
use crate::geometry::Island;

/// What one engine costs per time step of a config.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EngineCost {
    /// Resident memory of the engine (bytes).
    pub memory: f64,
    /// Elements updated per stage (islands + pairs, or cells + FFT work).
    pub elements: f64,
    /// Stages (field evaluations) per step.
    pub stages: f64,
    /// Cells written per OVF snapshot (engines with cells).
    pub cells: f64,
    /// Events per second of simulated time (kinetic Monte Carlo), each costing `per_event`
    /// element updates.
    pub events_per_second: f64,
    pub per_event: f64,
    /// The time step (s): the fixed step, or an estimate for adaptive steppers; None for
    /// engines that step per output row (quasi-static, kinetic Monte Carlo).
    pub step: Option<f64>,
}

/// The step an adaptive LLG stepper takes for fields up to `b_scale` (T): a tenth of a
/// precession period, 2π/(10·γ·B).
pub fn llg_step(b_scale: f64) -> f64 {
    2.0 * std::f64::consts::PI / (10.0 * GAMMA * b_scale.max(1e-3))
}

/// Pairs of islands within `cutoff` lattice spacings `a` (an estimate from the array's mean
/// density; N(N−1)/2 once the cutoff covers the array).
pub fn pairs(islands: &[Island], cutoff: f64, a: f64) -> f64 {
    let n = islands.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for i in islands {
        lo = [lo[0].min(i.x), lo[1].min(i.y)];
        hi = [hi[0].max(i.x), hi[1].max(i.y)];
    }
    let r = cutoff * a;
    let (w, h) = ((hi[0] - lo[0]).max(a), (hi[1] - lo[1]).max(a));
    let neighbours =
        if r * r >= w * w + h * h { n - 1.0 } else { (n / (w * h) * std::f64::consts::PI * r * r).min(n - 1.0) };
    n * neighbours / 2.0
}
