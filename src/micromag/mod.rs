//! Finite-difference micromagnetics (issue 5, in progress): a regular grid of cells
//! ([`mesh`]), one effective-field term per file ([`terms`]: exchange, demag by FFT with the
//! Newell tensor of [`demag_kernel`], uniaxial anisotropy, Zeeman), the system and its LL
//! equation ([`system`]), adaptive Dormand–Prince stepping ([`rk45`]) and damping-only
//! relaxation ([`relax`]). Not yet: thermal field, Heun, the CLI, OVF files.

pub mod demag_kernel;
pub mod engine;
pub mod heun;
pub mod mesh;
pub mod raster;
pub mod relax;
pub mod rk45;
pub mod system;
pub mod terms;
