//! Island geometry: shape, size, in-plane frame, and demagnetising factors.

pub mod demag_factors;
pub mod grid;
pub mod island;

pub use island::{Island, MagnetSpec, Shape};
pub mod mesh;
pub mod neighbours;
