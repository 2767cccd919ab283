//! Effective-field terms of the micromagnetic engine, one per file.
pub mod demag;
pub mod exchange;
