//! Finite-difference micromagnetics (issue 5, in progress): a regular grid of cells
//! ([`mesh`]), one effective-field term per file ([`terms`]) and the cell-averaged
//! demagnetising tensor ([`demag_kernel`], Newell et al. 1993).

pub mod demag_kernel;
pub mod mesh;
pub mod terms;
