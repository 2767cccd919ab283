//! Relaxation to a ground state: damping-only descent at α = 1 (the fastest rate),
//! $\dot m = -\frac{\gamma\alpha}{1+\alpha^2}\, m\times(m\times B_{eff})$ (precession off, time
//! frozen for the applied field), integrated with RK45 until the largest torque
//! $\max_i|m_i\times B_{eff,i}|$ falls below `max_torque` (T). Along this path the energy can
//! only decrease: $\dot E = -\sum_i M_s V \frac{\gamma\alpha}{1+\alpha^2}|m_i\times B_i|^2$.

use super::rk45::Rk45;
use super::system::MicroSystem;
use crate::error::{Error, NumericalError};

/// Relaxes m in place; `observer(step, m)` is called after every accepted step. Returns the
/// number of steps.
pub fn relax(
    sys: &MicroSystem,
    m: &mut [f64],
    t: f64,
    max_torque: f64,
    max_steps: u64,
    observer: &mut dyn FnMut(u64, &[f64]),
) -> Result<u64, Error> {
    let mut rk = Rk45::new(m.len(), 1e-4);
    let mut tau = 0.0;
    for n in 0..max_steps {
        // precession = false: the applied field stays at its value at t; τ is pseudo-time.
        let h = rk.step(sys, t, m, f64::INFINITY, false)?;
        tau += h;
        observer(n + 1, m);
        if rk.torque < max_torque {
            return Ok(n + 1);
        }
    }
    Err(NumericalError {
        t: tau,
        what: format!(
            "relax did not reach a torque below {max_torque:e} T in {max_steps} steps (now {:e} T)",
            rk.torque
        ),
        advice: "raise the torque threshold or max steps, or raise the damping".into(),
    }
    .into())
}
