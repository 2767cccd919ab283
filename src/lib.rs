//! nanomag: a simulator for nanomagnetic reservoir computing.
//!
//! Data flows one way: config → lattice → engine (dynamics) → observables → output and
//! figures. The module map and the dependency layers: docs/architecture.md.

pub mod binary;
pub mod calibrate;
pub mod cli;
pub mod config;
pub mod constants;
pub mod cost;
pub mod energy;
pub mod engine;
pub mod error;
pub mod geometry;
pub mod integrate;
pub mod io;
pub mod kmc;
pub mod lattice;
pub mod llg;
pub mod macrospin;
pub mod micromag;
pub mod optimise;
pub mod par;
pub mod plot;
pub mod progress;
pub mod protocol;
pub mod registry;
pub mod reservoir;
pub mod search;
pub mod simulate;
pub mod spectrum;
pub mod sweep;
pub mod switching;
pub mod terms;
pub mod tune;

pub use engine::{Engine, Observables};
pub use error::{ConfigError, Error, NumericalError};
pub use llg::LlgSystem;
