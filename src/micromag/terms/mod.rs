//! Effective-field terms of the micromagnetic engine, one per file (fields in T, energies in J).
pub mod anisotropy;
pub mod demag;
pub mod exchange;
pub mod thermal;
pub mod zeeman;
