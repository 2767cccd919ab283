//! Feature kinds: what the readout sees of the array after each virtual node, behind
//! [`StateFeatures`]. One file per kind: [`magnet_state`] reads components of each island's
//! m at once; [`spectrum`] probes a snapshot of the state with an FMR ringdown of its own,
//! after the run and in parallel (the snapshots do not influence the reservoir); [`tiles`]
//! averages m over a grid of tiles (a fixed width for arrays of any size).

pub mod magnet_state;
pub mod spectrum;
pub mod tiles;

use crate::engine::Engine;
use crate::error::Error;
use nalgebra::Vector3;

/// The state at a read, for deferred kinds: the engine's full magnetisation (islands or
/// cells, 3 per element) and the applied field (T).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub m: Vec<f64>,
    pub bias: Vector3<f64>,
}

/// What a deferred read cost: Gilbert dissipation of its probe (J) and the field levels it
/// applied (B in T, duration in s), for the energy model.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProbeCost {
    pub q_diss: f64,
    pub levels: Vec<(Vector3<f64>, f64)>,
}

/// Reads features of the current state of a magnet reservoir.
pub trait StateFeatures: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    /// Features per read for an array of `n_magnets`.
    fn width(&self, n_magnets: usize) -> usize;
    /// Appends the features of the engine's current state to `out` (immediate kinds).
    fn read(&self, engine: &dyn Engine, out: &mut Vec<f64>) -> Result<(), Error>;
    /// True for kinds computed from [`Snapshot`]s after the run ([`StateFeatures::probe_snapshot`]).
    fn deferred(&self) -> bool {
        false
    }
    /// Simulated time (s) the probe of one snapshot runs (deferred kinds), for the cost
    /// estimate.
    fn probe_seconds(&self) -> f64 {
        0.0
    }
    /// Appends the features of a snapshot (deferred kinds), probed on a fork of `engine`, and
    /// returns what the probe cost.
    fn probe_snapshot(&self, _engine: &dyn Engine, _snap: &Snapshot, _out: &mut Vec<f64>) -> Result<ProbeCost, Error> {
        Err(Error::Io(format!("feature kind {} is read at once, not from snapshots", self.name())))
    }
}
