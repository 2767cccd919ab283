//! Finite-difference micromagnetics: a regular grid of cells ([`mesh`]) with islands
//! rasterised onto it ([`raster`]), one effective-field term per file ([`terms`]: exchange,
//! demag by FFT with the Newell tensor of [`demag_kernel`], uniaxial anisotropy, Zeeman,
//! anisotropy, Zeeman; Brown's thermal field is the shared [`crate::llg::thermal`]), the
//! system as an [`crate::llg::LlgSystem`] ([`system`]), its own keys ([`config`]) and the
//! engine behind [`crate::engine::Engine`] ([`engine`]). Time steppers and minimisers are the
//! shared ones of [`crate::integrate`] and [`crate::llg::relax`]; OVF files are `io::ovf`.

pub mod config;
pub mod demag_kernel;
pub mod engine;
pub use crate::geometry::mesh;
pub mod raster;
pub mod system;
pub mod terms;
