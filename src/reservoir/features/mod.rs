//! Feature kinds: what the readout sees of the array after each virtual node, behind
//! [`StateFeatures`]. One file per kind; [`magnet_state`] reads components of each island's m.
//! (An FMR-spectrum kind slots in here: it gets the engine and may run a ringdown from it.)

pub mod magnet_state;

use crate::error::Error;
use crate::macrospin::MacrospinEngine;

/// Reads features of the current state of a magnet reservoir.
pub trait StateFeatures: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    /// Features per read for an array of `n_magnets`.
    fn width(&self, n_magnets: usize) -> usize;
    /// Appends the features of the engine's current state to `out`.
    fn read(&self, engine: &MacrospinEngine, out: &mut Vec<f64>) -> Result<(), Error>;
}
