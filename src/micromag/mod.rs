//! Finite-difference micromagnetics: a regular grid of cells ([`mesh`]) with islands
//! rasterised onto it ([`raster`]), one effective-field term per file ([`terms`]: exchange,
//! demag by FFT with the Newell tensor of [`demag_kernel`], uniaxial anisotropy, Zeeman,
//! thermal), the system and its LL equation ([`system`]), adaptive Dormand–Prince stepping
//! ([`rk45`]), fixed-step Heun for T > 0 ([`heun`]), damping-only relaxation ([`relax`]) and a
//! run with its observables ([`engine`]). The command line is `cli::simulate_micromag`; OVF
//! files are `io::ovf`.

pub mod demag_kernel;
pub mod engine;
pub mod heun;
pub mod mesh;
pub mod raster;
pub mod relax;
pub mod rk45;
pub mod system;
pub mod terms;
