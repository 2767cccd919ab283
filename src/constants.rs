//! Physical constants (SI), as in docs/physics.md and MuMax3/OOMMF.

/// Vacuum permeability μ0 (T·m/A).
pub const MU0: f64 = 4.0e-7 * std::f64::consts::PI;
/// Boltzmann constant k_B (J/K).
pub const KB: f64 = 1.380649e-23;
/// Gyromagnetic ratio γ (rad/(s·T)), the MuMax3/OOMMF value; γ/2π ≈ 28.0 GHz/T.
pub const GAMMA: f64 = 1.7595e11;
/// μ0/4π (T·m/A), the prefactor of dipolar fields.
pub const MU0_OVER_4PI: f64 = 1.0e-7;
