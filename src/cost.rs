//! The cost of a run, estimated before anything is allocated or stepped: memory (islands and
//! their pair kernels, cells and FFT buffers, states and the readout's matrices), disk
//! (history and snapshots) and work (element updates = steps × elements × stages). Each
//! engine estimates its own share ([`crate::config::plugin::Entry::cost`]); this module adds the
//! run's share and checks the total against soft limits, which `--allow-large` lifts.
//! Definitions and limits: docs/cost.md.

use crate::config::SimConfig;
use crate::error::ConfigError;
use crate::geometry::Island;
use serde::Serialize;

pub use crate::engine::cost::{llg_step, pairs, EngineCost};

/// Soft limit on memory: the smaller of this and 80 % of the machine's memory (bytes).
pub const MAX_MEMORY: f64 = 16.0 * GIB;
/// Soft limit on files written (history, snapshots, states), bytes.
pub const MAX_DISK: f64 = 50.0 * GIB;
/// Soft limit on work (element updates): about a day on one core at 1e8 updates/s.
pub const MAX_WORK: f64 = 1e13;
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// A run's estimated cost.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Estimate {
    pub memory_bytes: f64,
    pub disk_bytes: f64,
    /// Time steps (or output rows for engines without a time step).
    pub steps: f64,
    /// Element updates in all.
    pub work: f64,
}

impl Estimate {
    /// Adds another part of the run.
    pub fn add(&mut self, o: &Estimate) {
        self.memory_bytes += o.memory_bytes;
        self.disk_bytes += o.disk_bytes;
        self.steps += o.steps;
        self.work += o.work;
    }

    /// One line: "12.3 GB memory, 1.0 GB files, 2.0e9 steps, 5.0e12 element updates".
    pub fn describe(&self) -> String {
        format!(
            "{} memory, {} of files, {} time steps, {} element updates",
            bytes(self.memory_bytes),
            bytes(self.disk_bytes),
            brief(self.steps),
            brief(self.work)
        )
    }
}

/// Bytes in a short human form (kB, MB, GB, TB; powers of 1000).
pub fn bytes(b: f64) -> String {
    if !b.is_finite() {
        return "unbounded".into();
    }
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut v = b.max(0.0);
    let mut k = 0;
    while v >= 1000.0 && k + 1 < units.len() {
        v /= 1000.0;
        k += 1;
    }
    if k + 1 == units.len() && v >= 1000.0 {
        return format!("{:.1e} B", b);
    }
    format!("{v:.1} {}", units[k])
}

/// A count in a short form: whole numbers below 1e6, else 3 significant digits.
pub fn brief(x: f64) -> String {
    if !x.is_finite() {
        "unbounded".into()
    } else if x.abs() < 1e6 {
        format!("{}", x.round())
    } else {
        format!("{x:.2e}")
    }
}

/// The machine's memory (bytes) from /proc/meminfo, if known.
pub fn machine_memory() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

/// The memory soft limit on this machine: min(16 GiB, 80 % of its memory).
pub fn memory_limit() -> f64 {
    machine_memory().map_or(MAX_MEMORY, |m| (0.8 * m).min(MAX_MEMORY))
}

/// x < limit (false for NaN).
fn below(x: f64, limit: f64) -> bool {
    x.partial_cmp(&limit) == Some(std::cmp::Ordering::Less)
}

/// x ≤ limit (false for NaN).
fn at_most(x: f64, limit: f64) -> bool {
    matches!(x.partial_cmp(&limit), Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal))
}

/// Refuses an estimate above the soft limits (unless `allow_large`); memory above the
/// machine's own memory is refused even then.
pub fn check(e: &Estimate, allow_large: bool) -> Result<(), ConfigError> {
    let machine = machine_memory().unwrap_or(f64::INFINITY);
    let what = e.describe();
    if !below(e.memory_bytes, machine) {
        return Err(ConfigError::new(
            "estimated cost",
            what,
            format!(
                "needs more memory than this machine has ({}): make the array, mesh, cutoff or run smaller",
                bytes(machine)
            ),
        ));
    }
    if !below(e.work, 1e18) {
        return Err(ConfigError::new(
            "estimated cost",
            what,
            "is beyond any machine (over 1e18 element updates): shorten the run or coarsen dt",
        ));
    }
    if allow_large {
        return Ok(());
    }
    let over = [
        (e.memory_bytes > memory_limit(), format!("memory above {}", bytes(memory_limit()))),
        (!at_most(e.disk_bytes, MAX_DISK), format!("files above {}", bytes(MAX_DISK))),
        (!at_most(e.work, MAX_WORK), format!("work above {} element updates (about a day)", brief(MAX_WORK))),
    ];
    match over.iter().find(|(o, _)| *o) {
        Some((_, why)) => Err(ConfigError::new(
            "estimated cost",
            what,
            format!("{why}: shorten the run, coarsen dt or the mesh, shrink the array or coupling.cutoff, or pass --allow-large to run it anyway"),
        )),
        None => Ok(()),
    }
}

/// The field scale of a config (T): largest applied field + μ0·Ms + 2|K_u|/Ms
/// ([`SimConfig::field_scale`]).
pub fn field_scale(cfg: &SimConfig) -> f64 {
    cfg.field_scale()
}

/// The cost of running `cfg`'s engine for `duration` s with `rows` output rows.
pub fn simulate(cfg: &SimConfig, islands: &[Island], duration: f64, rows: f64) -> Estimate {
    let c = crate::registry::entry(cfg.engine).map_or_else(EngineCost::default, |e| (e.cost)(cfg, islands));
    let steps = match c.step {
        Some(dt) => (duration / dt).ceil().max(rows),
        None => rows,
    };
    let events = c.events_per_second * duration;
    // A relaxation (LLG engines) may take up to its iteration cap: counted at that bound.
    let relax = match (cfg.relax, c.step) {
        (Some(_), Some(_)) => crate::config::MAX_RELAX_ITERATIONS as f64,
        _ => 0.0,
    };
    let n = islands.len() as f64;
    let history = match cfg.history {
        crate::config::History::None => 0.0,
        _ => rows * n * 3.0 * 8.0,
    };
    let snapshots = if c.cells > 0.0 {
        let width = if cfg.snapshots.format == crate::io::ovf::OvfFormat::Binary8 { 8.0 } else { 4.0 };
        cfg.snapshots.interval.map_or(0.0, |s| (duration / s).floor() + 1.0) * c.cells * 3.0 * width
    } else {
        0.0
    };
    Estimate {
        memory_bytes: c.memory,
        disk_bytes: history + snapshots + rows * 200.0,
        steps: steps + events + relax,
        work: (steps * c.stages + relax) * c.elements + events * c.per_event,
    }
}

/// Iterations a damping-only relaxation typically takes at the quasi-static searches' torque
/// (calibrate, switching): counted per field step. Not a bound (a relaxation may take up to
/// [`crate::config::MAX_RELAX_ITERATIONS`]); docs/cost.md.
pub const TYPICAL_RELAX_ITERATIONS: f64 = 5e3;

/// Field steps of one quasi-static switching search in the worst case: every step up to
/// `b_max`, then a bisection from `step` down to `resolution`.
pub fn search_steps(step: f64, resolution: f64, b_max: f64) -> f64 {
    (b_max / step).ceil() + (step / resolution).log2().ceil().max(0.0)
}

/// The cost of `searches` quasi-static switching searches of `steps` field steps each on
/// `cfg`'s engine, a relaxation of [`TYPICAL_RELAX_ITERATIONS`] iterations per step.
pub fn quasi_static(cfg: &SimConfig, islands: &[Island], searches: f64, steps: f64) -> Estimate {
    let c = crate::registry::entry(cfg.engine).map_or_else(EngineCost::default, |e| (e.cost)(cfg, islands));
    let n = searches * steps * TYPICAL_RELAX_ITERATIONS;
    Estimate { memory_bytes: c.memory, disk_bytes: 0.0, steps: n, work: n * c.elements }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms() {
        assert_eq!(bytes(1.5e9), "1.5 GB");
        assert_eq!(bytes(512.0), "512.0 B");
        assert_eq!(brief(12345.0), "12345");
        assert_eq!(brief(2.5e13), "2.50e13");
        assert_eq!(brief(f64::INFINITY), "unbounded");
    }

    #[test]
    fn pairs_cover_the_array_at_infinite_cutoff() {
        let isl = |x: f64| Island {
            x,
            y: 0.0,
            angle: 0.0,
            shape: crate::geometry::Shape::Prism,
            length: 1e-7,
            width: 5e-8,
            thickness: 1e-8,
            sublattice: 0,
        };
        let islands: Vec<Island> = (0..10).map(|k| isl(k as f64 * 5e-7)).collect();
        assert_eq!(pairs(&islands, f64::INFINITY, 5e-7), 45.0);
        assert!(pairs(&islands, 1.0, 5e-7) < 45.0);
    }

    #[test]
    fn limits_refuse_and_the_flag_lifts_them() {
        let e = Estimate { work: 1e15, ..Default::default() };
        let err = check(&e, false).unwrap_err().to_string();
        assert!(err.starts_with("estimated cost = ") && err.contains("--allow-large"), "{err}");
        assert!(check(&e, true).is_ok());
        let huge = Estimate { memory_bytes: 1e30, ..Default::default() };
        assert!(check(&huge, true).is_err());
        assert!(check(&Estimate { work: 1e20, ..Default::default() }, true).is_err());
    }
}
