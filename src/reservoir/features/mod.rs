//! Feature kinds: what the readout sees of the array after each virtual node, behind
//! [`StateFeatures`]. One file per kind: [`magnet_state`] reads components of each island's
//! m at once; [`spectrum`] probes a snapshot of the state with an FMR ringdown of its own,
//! after the run and in parallel (the snapshots do not influence the reservoir); [`tiles`]
//! averages m over a grid of tiles (a fixed width for arrays of any size).

pub mod magnet_state;
pub mod spectrum;
pub mod tiles;

use crate::config::raw::RawConfig;
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use nalgebra::Vector3;
use std::sync::Arc;

/// What a feature kind's constructor returns: the kind, and for spectral kinds what the
/// spectrum sensor needs.
pub type Built = (Arc<dyn StateFeatures>, Option<super::sensors::Spectral>);

/// Builds a validated feature kind from the experiment (`[features]`, and `[spectrum]` for
/// the probe), filling the resolved `res`; `binary` says the engine has binary islands.
pub type Constructor = fn(raw: &RawConfig, res: &mut RawConfig, binary: bool) -> Result<Built, ConfigError>;

/// A registered feature kind: its name, the `[features]` keys it owns beyond
/// [`COMMON_KEYS`], its constructor.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub build: Constructor,
}

/// `[features]` keys of every kind.
pub const COMMON_KEYS: &[&str] = &["kind", "include_input"];

/// Every feature kind. Register a new one here.
pub const REGISTRY: &[Entry] = &[
    Entry { name: "magnet_state", keys: magnet_state::KEYS, build: magnet_state::from_config },
    Entry { name: "tiles", keys: tiles::KEYS, build: tiles::from_config },
    Entry { name: "spectrum", keys: spectrum::KEYS, build: spectrum::from_config },
];

/// Validates `[features]` of a magnet reservoir (default `magnet_state`); a key of another
/// kind, or of none, is refused.
pub fn from_config(raw: &RawConfig, res: &mut RawConfig, binary: bool) -> Result<Built, ConfigError> {
    let rf = raw.features.clone().unwrap_or_default();
    let kind = rf.kind.as_deref().unwrap_or("magnet_state");
    let names: Vec<&str> = REGISTRY.iter().map(|e| e.name).collect();
    crate::config::checks::one_of("features.kind", kind, &names)?;
    let owners: Vec<(&str, &[&str])> = REGISTRY.iter().map(|e| (e.name, e.keys)).collect();
    crate::config::checks::owned_keys("features", &rf, kind, &owners, COMMON_KEYS)?;
    (REGISTRY.iter().find(|e| e.name == kind).expect("checked by one_of").build)(raw, res, binary)
}

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
