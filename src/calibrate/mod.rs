//! Calibration of the switching engines from the LLG engines (`nanomag calibrate`): the T = 0
//! switching field of one island over field angles ψ, found quasi-statically with the
//! macrospin or the micromagnetic engine ([`find_switch`]); the generalised Stoner–Wohlfarth
//! astroid fitted to those points ([`fit::fit_astroid`]); and the Néel–Arrhenius barrier and
//! prefactor the KMC engine uses: K_eff = h_c Ms/2 (J/m³), the uniaxial constant of the
//! Stoner–Wohlfarth particle whose switching field along the axis is the fitted h_c, and
//! f0 from [`crate::kmc::prefactor::f0`].

pub mod fit;

use crate::config::{self, Coupling, Init, Method, SimConfig};
use crate::engine::Engine;
use crate::engine::Minimiser;
use crate::error::{ConfigError, Error};
use crate::llg::LlgSystem;
use crate::macrospin::MacrospinEngine;
use crate::micromag::engine::MicromagEngine;
use crate::protocol::Protocol;
use nalgebra::Vector3;

/// Largest torque (T) at which a micromagnetic relaxation counts as converged.
pub const TORQUE: f64 = 1e-4;

/// Relaxes from a state in a field (T); returns the new state and whether it switched.
pub type RelaxAt<'a, S> = dyn FnMut(f64, &S) -> Result<(S, bool), Error> + 'a;

/// The quasi-static search of the field steps: B = step, 2·step, … up to `b_max` until
/// `relax_at(B, state)` reports a reversed state, then bisection of the last interval down to
/// `resolution` (each trial from the last unswitched state). Returns the switching field (T)
/// and the last unswitched state.
pub fn find_switch<S: Clone>(
    step: f64,
    b_max: f64,
    resolution: f64,
    mut state: S,
    relax_at: &mut RelaxAt<S>,
) -> Result<(f64, S), Error> {
    let mut lo = 0.0;
    let mut hi = None;
    let mut b = step;
    while b <= b_max + 1e-12 {
        let (next, switched) = relax_at(b, &state)?;
        if switched {
            hi = Some(b);
            break;
        }
        (lo, state) = (b, next);
        b += step;
    }
    let mut hi = hi.ok_or_else(|| ConfigError::new("--b-max", b_max, "is below the switching field: raise it"))?;
    while hi - lo > resolution {
        let mid = 0.5 * (lo + hi);
        let (next, switched) = relax_at(mid, &state)?;
        if switched {
            hi = mid;
        } else {
            (lo, state) = (mid, next);
        }
    }
    Ok((0.5 * (lo + hi), state))
}

/// The quasi-static search: field step, bisection resolution and largest field (T).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search {
    pub step: f64,
    pub resolution: f64,
    pub b_max: f64,
}

/// The cost of the searches of `calibrate` or `switching` ([`crate::cost::quasi_static`]):
/// `angles` searches with the macrospin engine (10 ns of dynamics of one island per field step) when
/// `macrospin`, and with the micromagnetic engine of `cfg` (a relaxation per step) when
/// `micromagnetic`.
pub fn estimate(
    cfg: &SimConfig,
    search: Search,
    angles: usize,
    macrospin: bool,
    micromagnetic: bool,
) -> Result<crate::cost::Estimate, Error> {
    let islands = cfg.islands()?;
    let one = &islands[..islands.len().min(1)];
    let steps = crate::cost::search_steps(search.step, search.resolution, search.b_max);
    let mut e = crate::cost::Estimate::default();
    if macrospin {
        // One island, 10 ns at α = 1: a few thousand adaptive steps of 6 stages at most.
        let n = angles as f64 * steps * 1e4;
        e.add(&crate::cost::Estimate { memory_bytes: 1e5, disk_bytes: 0.0, steps: n, work: 6.0 * n });
    }
    if micromagnetic {
        // One more relaxation: the remanent state of each search.
        e.add(&crate::cost::quasi_static(cfg, one, angles as f64, steps + 1.0));
    }
    Ok(e)
}

/// The model `nanomag calibrate --engine` takes switching fields from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// A single-domain macrospin of island 0 (shape anisotropy from its demagnetising
    /// factors), stepped in time ([`macrospin_switching_field`]).
    Macrospin,
    /// The config's own engine with cells, relaxed at each field step
    /// ([`micromagnetic_switching_field`]).
    Cells,
}

impl Reference {
    /// The `--engine` values and the model each names.
    pub const ALL: [(&'static str, Reference); 2] =
        [("macrospin", Reference::Macrospin), ("micromagnetic", Reference::Cells)];

    /// The model a `--engine` value names.
    pub fn parse(s: &str) -> Option<Reference> {
        Self::ALL.iter().find(|(name, _)| *name == s).map(|p| p.1)
    }

    /// The `--engine` value of this model.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|p| p.1 == self).map_or("", |p| p.0)
    }

    /// The switching field (T) of island 0 of `cfg` at ψ (rad) from its axis.
    pub fn switching_field(self, cfg: SimConfig, psi: f64, search: Search) -> Result<f64, Error> {
        match self {
            Reference::Macrospin => macrospin_switching_field(cfg, psi, search),
            Reference::Cells => Ok(micromagnetic_switching_field(&cfg, psi, search, false)?.b_sw),
        }
    }
}

/// The unit vectors of island 0: long axis u, and the field direction −(u cos ψ + v sin ψ)
/// opposing m = u at ψ from the axis (v the in-plane short axis).
fn directions(cfg: &SimConfig, psi: f64) -> Result<(Vector3<f64>, Vector3<f64>), Error> {
    let islands = cfg.islands()?;
    let island = islands.first().ok_or_else(|| ConfigError::new("lattice", 0, "must hold an island"))?;
    let (u, v) = (island.long_axis(), island.short_axis());
    Ok((u, -(u * psi.cos() + v * psi.sin())))
}

/// The macrospin switching field (T) of island 0 of `cfg` at ψ (rad) from its axis: each
/// field step relaxes for 10 ns with α = 1 (dopri5), uncoupled. Takes any validated config of
/// the island (its engine settings are replaced).
pub fn macrospin_switching_field(mut mcfg: SimConfig, psi: f64, search: Search) -> Result<f64, Error> {
    let (u, dir) = directions(&mcfg, psi)?;
    mcfg.engine = "macrospin";
    mcfg.engine_spec = Default::default();
    mcfg.coupling = Coupling::None;
    mcfg.material.alpha = 1.0;
    mcfg.solver.method = Method::Dopri5;
    mcfg.temperature.t = 0.0;
    mcfg.relax = None;
    let mut relax = |b: f64, m: &Vector3<f64>| -> Result<(Vector3<f64>, bool), Error> {
        mcfg.init = Init::Vector(*m);
        mcfg.protocol = Protocol::constant(dir * b, 10e-9);
        let mut e = MacrospinEngine::from_config(&mcfg)?;
        e.advance(10e-9, 1, &mut |_| Ok(()))?;
        let m = e.island_m()[0];
        Ok((m, m.dot(&u) < 0.0))
    };
    Ok(find_switch(search.step, search.b_max, search.resolution, u, &mut relax)?.0)
}

/// A micromagnetic switching field and what it leaves.
pub struct MicroSwitch {
    /// Switching field (T).
    pub b_sw: f64,
    /// The cell state at the last field below switching.
    pub before: Vec<f64>,
    /// ⟨m⟩ of the relaxed remanent state.
    pub remanent: Vector3<f64>,
    pub engine: MicromagEngine,
}

/// The micromagnetic switching field (T) of the island of a micromagnetic `cfg` at ψ (rad):
/// from the relaxed remanent state, damping-only descent at each field step. Returns the
/// field, the last unswitched state and the engine (for its mesh). `log` prints each step.
pub fn micromagnetic_switching_field(
    cfg: &SimConfig,
    psi: f64,
    search: Search,
    log: bool,
) -> Result<MicroSwitch, Error> {
    let (u, dir) = directions(cfg, psi)?;
    let mut engine = MicromagEngine::new(cfg, Protocol::constant(Vector3::zeros(), 1.0))?;
    engine.dynamics.relax(TORQUE, Minimiser::Descent, config::MAX_RELAX_ITERATIONS)?;
    let m0 = engine.state_m();
    let remanent = engine.dynamics.sys.average(&m0);
    let mut relax = |b: f64, m: &Vec<f64>| -> Result<(Vec<f64>, bool), Error> {
        engine.set_protocol(Protocol::constant(dir * b, 1.0));
        engine.set_state_m(m)?;
        engine.dynamics.relax(TORQUE, Minimiser::Descent, config::MAX_RELAX_ITERATIONS)?;
        let mean = engine.dynamics.sys.average(engine.dynamics.m());
        if log {
            eprintln!(
                "micromagnetic, ψ = {:.1}°, B = {:.2} mT: <m>·u = {:.4}",
                psi.to_degrees(),
                b * 1e3,
                mean.dot(&u)
            );
        }
        Ok((engine.state_m(), mean.dot(&u) < 0.0))
    };
    let (b_sw, before) = find_switch(search.step, search.b_max, search.resolution, m0, &mut relax)?;
    Ok(MicroSwitch { b_sw, before, remanent, engine })
}
