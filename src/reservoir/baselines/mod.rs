//! Software baselines with the same readout and split as the magnets, one file each behind
//! [`Software`]: a tanh echo state network ([`esn`]), a linear shift register
//! ([`delay_line`]) and next-generation reservoir computing ([`ngrc`]: polynomial features of
//! delay taps). `nanomag baselines` ([`crate::tune::baselines`]) tunes each on the validation
//! split at a given feature count.
//!
//! Adding a baseline: one file with a type implementing [`Software`] and a constructor, one
//! line in [`REGISTRY`] naming the `[reservoir]` keys it owns.

pub mod delay_line;
pub mod esn;
pub mod ngrc;

use super::Reservoir;
use crate::config::raw_run::RawReservoir;
use crate::error::ConfigError;
use std::sync::Arc;

/// A validated software reservoir: what it computes and what it costs in digital hardware.
pub trait Software: Send + Sync + std::fmt::Debug {
    /// Registry name (`reservoir.kind`).
    fn kind(&self) -> &'static str;
    /// A fresh reservoir.
    fn build(&self) -> Box<dyn Reservoir>;
    /// State values per input step.
    fn width(&self) -> usize;
    /// Multiply-accumulates per input step of the reservoir itself (the readout is counted
    /// apart).
    fn macs_per_step(&self) -> f64;
    /// Bits of state held between steps (32 per stored number).
    fn bits(&self) -> f64;
    /// Bytes of memory the reservoir needs (for the cost estimate).
    fn memory_bytes(&self) -> f64 {
        8.0 * self.width() as f64
    }
    /// The seed of its random weights, where it has any (recorded in results).
    fn seed(&self) -> Option<u64> {
        None
    }
    /// Whether the state already holds the current input u(t), so that the readout's input
    /// column would repeat it (`features.include_input` then defaults to false).
    fn holds_input(&self) -> bool {
        false
    }
}

/// Validates `[reservoir]` (whose keys the shared check has already matched to the kind) into
/// a baseline; `default_seed` is the default of its weight seed (the lattice seed, a disorder
/// seed of `--repeats`); fills `resolved` with every value used.
pub type Constructor =
    fn(raw: &RawReservoir, default_seed: u64, resolved: &mut RawReservoir) -> Result<Arc<dyn Software>, ConfigError>;

/// A registered baseline: its name, the `[reservoir]` keys it owns, its constructor.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub build: Constructor,
}

/// Every software baseline. Register a new one here.
pub const REGISTRY: &[Entry] = &[
    Entry { name: "esn", keys: esn::KEYS, build: esn::from_config },
    Entry { name: "delay_line", keys: delay_line::KEYS, build: delay_line::from_config },
    Entry { name: "ngrc", keys: ngrc::KEYS, build: ngrc::from_config },
];

/// The registered entry named `kind`, if any.
pub fn entry(kind: &str) -> Option<&'static Entry> {
    REGISTRY.iter().find(|e| e.name == kind)
}
