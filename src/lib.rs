//! nanomag: a simulator for nanomagnetic reservoir computing.
//!
//! Data flows one way: config → lattice → engine (dynamics) → observables → output and
//! figures. See the README's "Architecture" section for the module map.

pub mod cli;
pub mod config;
pub mod constants;
pub mod energy;
pub mod engine;
pub mod error;
pub mod geometry;
pub mod io;
pub mod lattice;
pub mod macrospin;
pub mod micromag;
pub mod plot;
pub mod protocol;
pub mod reservoir;
pub mod spectrum;
pub mod sweep;

pub use engine::{Engine, Observables};
pub use error::{ConfigError, Error, NumericalError};
