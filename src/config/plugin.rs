//! What an engine registers: its name, the keys it owns, the `init.kind`s and methods it takes,
//! its validator, builder and cost estimate. Engines fill one [`Entry`] each; the list of them
//! lives above the engines, in [`crate::registry`], and is handed to validation
//! ([`super::validate_with`]), so configuration never names an engine.

use super::raw::RawConfig;
use super::SimConfig;
use crate::engine::{Common, Engine, EngineCost, EngineSpec};
use crate::error::{ConfigError, Error};
use crate::geometry::Island;
use crate::protocol::Protocol;
use std::path::Path;

/// Builds an engine for a validated config and a protocol.
pub type Builder = fn(&SimConfig, Protocol) -> Result<Box<dyn Engine>, Error>;
/// Checks an engine's own keys, filling defaults into the resolved config.
pub type Validator = fn(&RawConfig, &mut RawConfig, &Path, &Common) -> Result<EngineSpec, ConfigError>;

/// One engine: name, what it is, its keys and constructor.
pub struct Entry {
    pub name: &'static str,
    pub about: &'static str,
    /// Config keys only this engine reads that `raw` sets (other engines refuse them).
    pub owned_keys: fn(&RawConfig) -> Vec<&'static str>,
    /// `init.kind` values it supports.
    pub init_kinds: &'static [&'static str],
    /// `solver.method` values it supports.
    pub methods: &'static [&'static str],
    pub validate: Validator,
    pub build: Builder,
    /// Its memory and work per step for a config and its islands, before anything is built
    /// ([`crate::engine::cost`]).
    pub cost: fn(&SimConfig, &[Island]) -> EngineCost,
    /// A small `simulate` config (TOML) the shared engine tests run on.
    pub example: &'static str,
    /// Whether its moments precess (LLG engines): it then has FMR spectra and ringdowns.
    /// Binary engines (islands as ±1 spins) do not.
    pub precesses: bool,
    /// The top-level config sections it owns and parses itself (e.g. `["switching"]`), from
    /// [`RawConfig::sections`] with [`RawConfig::section`]; no other engine may own them. A
    /// `seed` key in such a section is a disorder seed: repeats shift it, network layers
    /// derive it from the network's.
    pub sections: &'static [&'static str],
    /// Whether it simulates a grid of cells (`Engine::cells`): it then writes OVF snapshots
    /// (`output.snapshot_interval`, `output.ovf_format`, validated into
    /// [`SimConfig::snapshots`]) and mode maps.
    pub cells: bool,
    /// The key by which a config of this engine replaces the islands with something else
    /// (e.g. a plain box of cells), when it is set: pipelines that read islands refuse it.
    pub no_islands: fn(&RawConfig) -> Option<&'static str>,
}
