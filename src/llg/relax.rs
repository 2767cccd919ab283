//! Energy minimisers in a fixed applied field (time frozen), for any [`LlgSystem`]:
//!
//! - [`descent`]: damping-only motion at α = 1, $\dot m = -\frac{\gamma}{2} m\times(m\times B)$,
//!   integrated with RK45; along this path E can only fall,
//!   $\dot E = -\sum_i \mu_i \frac{\gamma}{2}|m_i\times B_i|^2$. Near the minimum the torque stops
//!   falling at a fixed error bound; as MuMax3 does, the bound is halved whenever the torque
//!   has not reached a new minimum for [`STALL_STEPS`] steps (down to 1e-10), and a step whose
//!   truncation error would raise E is undone and retried smaller, so the path is monotone.
//! - [`barzilai_borwein`]: steepest descent on the sphere with Barzilai–Borwein step sizes
//!   (as MuMax3's `minimize` and magnum.np's minimiser): with $g_i = m_i\times(m_i\times B_i)$,
//!   $m_i \leftarrow (m_i - \tau g_i)/|\cdot|$, and τ alternating
//!   $\tau_1 = \frac{s\cdot s}{s\cdot y}$, $\tau_2 = \frac{s\cdot y}{y\cdot y}$ from the last
//!   change s of m and y of g. One field evaluation per iteration; the energy may rise on the
//!   way (the method is non-monotone), so it stops on the torque alone.
//!
//! Both stop when $\max_i |m_i\times B_i|$ < `max_torque` (T).

use super::{LlgSystem, Motion, Ode};
use crate::constants::GAMMA;
use crate::engine::Relaxed;
use crate::error::{Error, NumericalError};
use crate::integrate::rk45::Rk45;
use crate::integrate::Integrator;
use crate::par::get3;

/// Steps without a new torque minimum before the error bound is tightened.
pub const STALL_STEPS: u64 = 50;

fn not_reached(what: &str, max_torque: f64, iterations: u64, now: f64) -> Error {
    NumericalError {
        t: 0.0,
        what: format!(
            "{what} did not reach a torque below {max_torque:e} T in {iterations} iterations (now {now:e} T)"
        ),
        advice: "raise init.relax_torque, or check that the field and material values allow a static state".into(),
    }
    .into()
}

/// Damping-only descent of m (3 per element) at time `t`; see the module doc.
pub fn descent(sys: &dyn LlgSystem, m: &mut [f64], t: f64, max_torque: f64, max_steps: u64) -> Result<Relaxed, Error> {
    descent_observed(sys, m, t, max_torque, max_steps, &mut |_| {})
}

/// [`descent`], calling `observer(m)` after every accepted step.
pub fn descent_observed(
    sys: &dyn LlgSystem,
    m: &mut [f64],
    t: f64,
    max_torque: f64,
    max_steps: u64,
    observer: &mut (dyn FnMut(&[f64]) + Send),
) -> Result<Relaxed, Error> {
    rayon::scope(|_| {
        let ode = Ode { sys, motion: Motion::Descent, frozen: Some(t) };
        let mut rk = Rk45::new(1e-4);
        let mut y: Vec<f64> = m.iter().copied().chain([0.0, 0.0]).collect();
        let mut previous = y.clone();
        let (mut best, mut since_best) = (f64::INFINITY, 0u64);
        let mut e_prev = sys.energy(t, m);
        let n3 = m.len();
        for n in 0..max_steps {
            let h = rk.step(&ode, 0.0, &mut y, f64::INFINITY)?;
            // |ṁ| = (γ/2)|m × B| at α = 1.
            let torque = 2.0 * rk.max_rate / GAMMA;
            let e = sys.energy(t, &y[..n3]);
            if e > e_prev {
                y.copy_from_slice(&previous);
                rk.h = 0.5 * h;
                rk.max_err = (0.5 * rk.max_err).max(1e-10);
                continue;
            }
            e_prev = e;
            previous.copy_from_slice(&y);
            observer(&y[..n3]);
            if torque < max_torque {
                m.copy_from_slice(&y[..n3]);
                return Ok(Relaxed { iterations: n + 1, evaluations: rk.evaluations() + n + 1, max_torque: torque });
            }
            if torque < 0.99 * best {
                best = torque;
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= STALL_STEPS && rk.max_err > 1e-10 {
                    rk.max_err *= 0.5;
                    since_best = 0;
                }
            }
        }
        m.copy_from_slice(&y[..n3]);
        Err(not_reached("relax (descent)", max_torque, max_steps, 2.0 * rk.max_rate / GAMMA))
    })
}

/// g_i = m_i × (m_i × B_i) into `g`; returns max_i |m_i × B_i| (T).
fn descent_direction(sys: &dyn LlgSystem, m: &[f64], b: &[f64], g: &mut [f64]) -> f64 {
    let mu = sys.moments();
    let mut max: f64 = 0.0;
    for i in 0..mu.len() {
        if mu[i] == 0.0 {
            g[3 * i..3 * i + 3].iter_mut().for_each(|x| *x = 0.0);
            continue;
        }
        let mi = get3(m, i);
        let mxb = mi.cross(&get3(b, i));
        max = max.max(mxb.norm());
        let gi = mi.cross(&mxb);
        g[3 * i..3 * i + 3].copy_from_slice(gi.as_slice());
    }
    max
}

/// Largest rotation (rad) of any element in one BB iteration.
const MAX_ROTATION: f64 = 0.2;

/// Barzilai–Borwein steepest descent of m at time `t`; see the module doc.
pub fn barzilai_borwein(
    sys: &dyn LlgSystem,
    m: &mut [f64],
    t: f64,
    max_torque: f64,
    max_iterations: u64,
) -> Result<Relaxed, Error> {
    rayon::scope(|_| {
        let n = m.len();
        let (mut b, mut g, mut g_new, mut m_new) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        sys.field(t, m, &mut b);
        let mut torque = descent_direction(sys, m, &b, &mut g);
        let mut evaluations = 1;
        // First step: a rotation of 0.01 rad for the fastest element.
        let mut tau = 0.01 / torque.max(1e-300);
        for k in 0..max_iterations {
            if torque < max_torque {
                return Ok(Relaxed { iterations: k, evaluations, max_torque: torque });
            }
            if !torque.is_finite() {
                return Err(NumericalError {
                    t,
                    what: "NaN in the magnetisation during relaxation".into(),
                    advice: "check the material and field values".into(),
                }
                .into());
            }
            let tau_step = tau.min(MAX_ROTATION / torque);
            for i in 0..n / 3 {
                let s = &mut m_new[3 * i..3 * i + 3];
                let mut norm = 0.0;
                for c in 0..3 {
                    s[c] = m[3 * i + c] - tau_step * g[3 * i + c];
                    norm += s[c] * s[c];
                }
                let norm = norm.sqrt();
                if norm > 0.0 {
                    s.iter_mut().for_each(|x| *x /= norm);
                }
            }
            sys.field(t, &m_new, &mut b);
            evaluations += 1;
            let torque_new = descent_direction(sys, &m_new, &b, &mut g_new);
            let (mut ss, mut sy, mut yy) = (0.0, 0.0, 0.0);
            for i in 0..n {
                let (s, y) = (m_new[i] - m[i], g_new[i] - g[i]);
                ss += s * s;
                sy += s * y;
                yy += y * y;
            }
            tau = if k % 2 == 0 {
                if sy > 0.0 {
                    ss / sy
                } else {
                    tau_step
                }
            } else if yy > 0.0 && sy > 0.0 {
                sy / yy
            } else {
                tau_step
            };
            m.copy_from_slice(&m_new);
            std::mem::swap(&mut g, &mut g_new);
            torque = torque_new;
        }
        if torque < max_torque {
            return Ok(Relaxed { iterations: max_iterations, evaluations, max_torque: torque });
        }
        Err(not_reached("relax (Barzilai–Borwein)", max_torque, max_iterations, torque))
    })
}
