//! Relaxation to a ground state: damping-only descent at α = 1 (the fastest rate),
//! $\dot m = -\frac{\gamma\alpha}{1+\alpha^2}\, m\times(m\times B_{eff})$ (precession off, time
//! frozen for the applied field), integrated with RK45 until the largest torque
//! $\max_i|m_i\times B_{eff,i}|$ falls below `max_torque` (T). Along this path the energy can
//! only decrease: $\dot E = -\sum_i M_s V \frac{\gamma\alpha}{1+\alpha^2}|m_i\times B_i|^2$.
//!
//! Near the minimum the error of a step is dominated by round-off and the torque stops
//! falling at a fixed `max_err`; as MuMax3 does, whenever the torque has not reached a new
//! minimum for [`STALL_STEPS`] steps the error bound is halved (down to 1e-10). A step whose
//! truncation error would raise the energy (possible near the minimum, where the descent
//! lowers E by less than the error bound) is undone and retried with half the step and half
//! the error bound, so the returned path is monotone in E.

use super::rk45::Rk45;
use super::system::MicroSystem;
use crate::error::{Error, NumericalError};

/// Steps without a new torque minimum before the error bound is tightened.
pub const STALL_STEPS: u64 = 50;

/// Relaxes m in place; `observer(step, m)` is called after every accepted step. Returns the
/// number of steps.
pub fn relax(
    sys: &MicroSystem,
    m: &mut [f64],
    t: f64,
    max_torque: f64,
    max_steps: u64,
    observer: &mut (dyn FnMut(u64, &[f64]) + Send),
) -> Result<u64, Error> {
    // Inside the pool, the unsplit parallel loops of small meshes cost a plain call.
    rayon::scope(|_| {
        let mut rk = Rk45::new(m.len(), 1e-4);
        let mut tau = 0.0;
        let (mut best, mut since_best) = (f64::INFINITY, 0u64);
        let mut previous = m.to_vec();
        let mut e_prev = sys.energy(t, m).total();
        for n in 0..max_steps {
            // precession = false: the applied field stays at its value at t; τ is pseudo-time.
            let h = rk.step(sys, t, m, f64::INFINITY, false)?;
            let e = sys.energy(t, m).total();
            if e > e_prev {
                m.copy_from_slice(&previous);
                rk.h = 0.5 * h;
                rk.max_err = (0.5 * rk.max_err).max(1e-10);
                continue;
            }
            e_prev = e;
            previous.copy_from_slice(m);
            tau += h;
            observer(n + 1, m);
            if rk.torque < max_torque {
                return Ok(n + 1);
            }
            if rk.torque < 0.99 * best {
                best = rk.torque;
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= STALL_STEPS && rk.max_err > 1e-10 {
                    rk.max_err *= 0.5;
                    since_best = 0;
                }
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
    })
}
