//! What the two Landau–Lifshitz–Gilbert engines (macrospin, micromagnetic) share: the
//! equation of motion with its energy bookkeeping, Brown's thermal field ([`thermal`]), the
//! engine core that drives a system with any stepper of [`crate::integrate`]
//! ([`dynamics`]), and the energy minimisers ([`relax`]). An engine supplies an
//! [`LlgSystem`]: its elements (islands or cells) with moments μ_i = Ms,i V_i, its field
//! terms — each registering its own energy — and its applied-field protocol.
//!
//! The Landau–Lifshitz form of the LLG equation, per element,
//! $$ \dot m_i = -\frac{\gamma}{1+\alpha^2}\left[m_i\times B_i + \alpha\, m_i\times(m_i\times B_i)\right], $$
//! is integrated together with the Gilbert dissipation and the work of the applied field,
//! $$ \dot Q = \sum_i \frac{\alpha\gamma}{1+\alpha^2}\mu_i |m_i\times B_i|^2, \qquad
//!    \dot W_{ext} = -\sum_i \mu_i\, m_i\cdot \dot B_{ext}, $$
//! so that E(t) − E(0) = W_ext − Q at T = 0. The state is y = [m (3 per element),
//! W_ext/e_ref, Q/e_ref] with e_ref = Σ μ_i × 1 T, so adaptive error control sees numbers of
//! order one. At T > 0 the thermal field drives the torque but not the dissipation integrand.

pub mod check;
pub mod dynamics;
pub mod engine;
pub mod relax;
pub mod thermal;
pub mod zeeman;

use crate::constants::GAMMA;
use crate::integrate::OdeSystem;
use crate::par::{fold_chunks, get3};
use crate::protocol::Protocol;
use nalgebra::Vector3;

pub use dynamics::Dynamics;
pub use engine::LlgEngine;

/// Which right-hand side to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// The LL equation of motion with the system's damping α.
    Llg,
    /// Damping-only descent at α = 1 (the fastest damping-only rate γα/(1+α²)),
    /// $\dot m = -\frac{\gamma}{2} m\times(m\times B)$: E can only fall. W and Q are not
    /// integrated.
    Descent,
}

/// A system of moments the LLG engines can integrate.
pub trait LlgSystem: Send + Sync {
    /// Moments μ_i = Ms,i V_i (A·m²) of the elements (0 marks an empty cell).
    fn moments(&self) -> &[f64];
    /// Gilbert damping α.
    fn alpha(&self) -> f64;
    fn protocol(&self) -> &Protocol;
    fn set_protocol(&mut self, p: Protocol);
    /// The deterministic effective field B_eff,i (T) at time t into `b` (3 per element,
    /// overwritten).
    fn field(&self, t: f64, m: &[f64], b: &mut [f64]);
    /// The energy of every registered term (name, J) at (t, m); their sum is E_total.
    fn energy_parts(&self, t: f64, m: &[f64]) -> Vec<(&'static str, f64)>;
    /// dy/dt of y = [m, W/e_ref, Q/e_ref] (see the module doc). A thermal field `noise` (T, 3
    /// per element), if given, drives the torque but not the dissipation integrand.
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64], noise: Option<&[f64]>, motion: Motion);

    /// The field (T, 3 per element) of every registered term at (t, m), for
    /// [`check::check_terms`].
    fn term_fields(&self, t: f64, m: &[f64]) -> check::TermFields;

    /// Number of elements.
    fn elements(&self) -> usize {
        self.moments().len()
    }
    /// Energy unit (J) in which W_ext and Q are carried in y: Σ μ_i × 1 T.
    fn e_ref(&self) -> f64 {
        self.moments().iter().sum::<f64>().max(f64::MIN_POSITIVE)
    }
    /// Total energy E (J).
    fn energy(&self, t: f64, m: &[f64]) -> f64 {
        self.energy_parts(t, m).iter().map(|p| p.1).sum()
    }
    /// Moment-weighted average ⟨m⟩ = Σ μ_i m_i / Σ μ_i.
    fn average(&self, m: &[f64]) -> Vector3<f64> {
        let mu = self.moments();
        let mut s = Vector3::zeros();
        let mut w = 0.0;
        for (i, &mi) in mu.iter().enumerate() {
            if mi != 0.0 {
                s += get3(m, i) * mi;
                w += mi;
            }
        }
        if w > 0.0 {
            s / w
        } else {
            s
        }
    }
}

/// The LL rate of one element and its |m × B_det|² (for Q): with thermal field `noise`,
/// m × B uses B + B_th in the torque and B alone in the dissipation.
#[inline(always)]
pub fn ll_rate(
    mi: &Vector3<f64>,
    bi: &Vector3<f64>,
    noise: Option<Vector3<f64>>,
    alpha: f64,
    g: f64,
    motion: Motion,
) -> (Vector3<f64>, f64) {
    let mxb_det = mi.cross(bi);
    let mxb = match noise {
        Some(nz) => mi.cross(&(bi + nz)),
        None => mxb_det,
    };
    match motion {
        Motion::Llg => (-(mxb + mi.cross(&mxb) * alpha) * g, mxb_det.norm_squared()),
        Motion::Descent => (-(mi.cross(&mxb)) * (0.5 * GAMMA), 0.0),
    }
}

/// The LL torque of elements first.. into `dyc`, with B_eff of the chunk in `b`; returns this
/// chunk's Σ μ_i|m_i × B_i|² and −Σ μ_i m_i·dB_ext/dt.
#[allow(clippy::too_many_arguments)]
#[inline]
pub fn torque_chunk(
    m: &[f64],
    b: &[f64],
    first: usize,
    dyc: &mut [f64],
    noise: Option<&[f64]>,
    moments: &[f64],
    alpha: f64,
    rate: &Vector3<f64>,
    motion: Motion,
) -> (f64, f64) {
    let g = GAMMA / (1.0 + alpha * alpha);
    if noise.is_none() && motion == Motion::Llg {
        return torque_chunk_llg(m, b, first, dyc, moments, alpha, g, rate);
    }
    let (mut dq, mut dw) = (0.0, 0.0);
    for (k, d) in dyc.chunks_exact_mut(3).enumerate() {
        let i = first + k;
        if moments[i] == 0.0 {
            d.iter_mut().for_each(|x| *x = 0.0);
            continue;
        }
        let mi = get3(m, i);
        let (dm, t2) = ll_rate(&mi, &get3(b, k), noise.map(|nz| get3(nz, i)), alpha, g, motion);
        d[0] = dm.x;
        d[1] = dm.y;
        d[2] = dm.z;
        dq += moments[i] * t2;
        dw -= moments[i] * mi.dot(rate);
    }
    (dq, dw)
}

/// [`torque_chunk`] without noise, for the LLG motion, in plain arithmetic on the flat
/// slices (the same equations as [`ll_rate`]: ṁ = −g[m × B + α m × (m × B)], g = γ/(1+α²)).
#[allow(clippy::too_many_arguments)]
#[inline]
fn torque_chunk_llg(
    m: &[f64],
    b: &[f64],
    first: usize,
    dyc: &mut [f64],
    moments: &[f64],
    alpha: f64,
    g: f64,
    rate: &Vector3<f64>,
) -> (f64, f64) {
    let (mut dq, mut dw) = (0.0, 0.0);
    let n = dyc.len() / 3;
    let (m, mu) = (&m[3 * first..3 * (first + n)], &moments[first..first + n]);
    for (((d, mi), bi), &mu) in dyc.chunks_exact_mut(3).zip(m.chunks_exact(3)).zip(b.chunks_exact(3)).zip(mu) {
        if mu == 0.0 {
            d.iter_mut().for_each(|x| *x = 0.0);
            continue;
        }
        let (mx, my, mz) = (mi[0], mi[1], mi[2]);
        let (tx, ty, tz) = (my * bi[2] - mz * bi[1], mz * bi[0] - mx * bi[2], mx * bi[1] - my * bi[0]);
        let (ux, uy, uz) = (my * tz - mz * ty, mz * tx - mx * tz, mx * ty - my * tx);
        d[0] = -(tx + ux * alpha) * g;
        d[1] = -(ty + uy * alpha) * g;
        d[2] = -(tz + uz * alpha) * g;
        dq += mu * (tx * tx + ty * ty + tz * tz);
        dw -= mu * (mx * rate.x + my * rate.y + mz * rate.z);
    }
    (dq, dw)
}

/// dy/dt for a system whose field `b` (3 per element) has already been computed: the torque
/// over fixed chunks in parallel, then the bookkeeping rates (see the module doc).
#[allow(clippy::too_many_arguments)]
pub fn rhs_from_field(
    sys: &dyn LlgSystem,
    t: f64,
    y: &[f64],
    b: &[f64],
    dy: &mut [f64],
    noise: Option<&[f64]>,
    motion: Motion,
) {
    let n3 = 3 * sys.elements();
    let (alpha, moments) = (sys.alpha(), sys.moments());
    let rate = sys.protocol().field_rate(t);
    let m = &y[..n3];
    let (dq, dw) = fold_chunks(
        &mut dy[..n3],
        (0.0, 0.0),
        |first, dyc| {
            torque_chunk(m, &b[3 * first..3 * first + dyc.len()], first, dyc, noise, moments, alpha, &rate, motion)
        },
        |a, p| (a.0 + p.0, a.1 + p.1),
    );
    bookkeeping(sys, dy, n3, dq, dw, motion);
}

/// Sets the two bookkeeping rates at the end of dy from the chunk sums.
pub fn bookkeeping(sys: &dyn LlgSystem, dy: &mut [f64], n3: usize, dq: f64, dw: f64, motion: Motion) {
    let e_ref = sys.e_ref();
    let alpha = sys.alpha();
    let g = GAMMA / (1.0 + alpha * alpha);
    (dy[n3], dy[n3 + 1]) = match motion {
        Motion::Llg => (dw / e_ref, alpha * g * dq / e_ref),
        Motion::Descent => (0.0, 0.0),
    };
}

/// The stepper a validated solver section asks for; at T > 0 the Heun scheme gets Brown's
/// thermal field for the system's elements.
pub fn stepper(
    solver: &crate::config::Solver,
    temperature: &crate::config::Temperature,
    sys: &dyn LlgSystem,
) -> Box<dyn crate::integrate::Integrator> {
    use crate::config::Method;
    use crate::integrate::{dopri5::Dopri5, heun::Heun, rk4::Rk4, rk45::Rk45, Noise};
    match solver.method {
        Method::Dopri5 => Box::new(Dopri5::new(solver.rtol, solver.atol)),
        Method::Rk45 => match solver.norm {
            crate::config::StepNorm::MaxDm => Box::new(Rk45::new(solver.max_err)),
            crate::config::StepNorm::Mixed => Box::new(Rk45::mixed(solver.rtol, solver.atol)),
        },
        Method::Rk4 => Box::new(Rk4::new(solver.dt)),
        Method::Heun => {
            let noise = (temperature.t > 0.0).then(|| {
                Box::new(thermal::Thermal::new(temperature.t, sys.alpha(), sys.moments(), temperature.seed))
                    as Box<dyn Noise>
            });
            Box::new(Heun::new(solver.dt, noise))
        }
    }
}

/// The ODE the integrators see: a system, its motion, and (for relaxation) the time at which
/// the applied field is frozen.
pub struct Ode<'a> {
    pub sys: &'a dyn LlgSystem,
    pub motion: Motion,
    pub frozen: Option<f64>,
}

impl OdeSystem for Ode<'_> {
    fn dim(&self) -> usize {
        3 * self.sys.elements() + 2
    }
    fn vectors(&self) -> usize {
        self.sys.elements()
    }
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64], noise: Option<&[f64]>) {
        self.sys.rhs(self.frozen.unwrap_or(t), y, dy, noise, self.motion);
    }
}
