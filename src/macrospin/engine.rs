//! [`MacrospinEngine`]: a macrospin array driven by the shared LLG core
//! ([`crate::llg::Dynamics`]) behind [`Engine`].

use super::MacrospinArray;
use crate::config::plugin::Entry;
use crate::config::{Init, SimConfig, StateSource};
use crate::engine::Minimiser;
use crate::engine::{Common, Engine, EngineSpec};
use crate::error::{ConfigError, Error};
use crate::geometry::Island;
use crate::llg::{self, Dynamics, LlgEngine, LlgSystem};
use crate::par::get3;
use crate::protocol::Protocol;
use nalgebra::Vector3;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde_json::json;
use std::path::Path;

/// The registry entry.
pub const ENTRY: Entry = Entry {
    name: <MacrospinEngine as LlgEngine>::KIND,
    about: "one moment per island: shape and uniaxial anisotropy, point-dipole coupling, Zeeman, thermal",
    owned_keys,
    init_kinds: &["easy", "random", "vector", "state"],
    methods: &["dopri5", "rk45", "rk4", "heun"],
    validate,
    build,
    cost,
    example: "[magnet]\nlength = 220e-9\nwidth = 80e-9\nthickness = 20e-9\n\
              [lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 500e-9\nangle_disorder = 5.0\n\
              [material]\nalpha = 0.05\nku = 1e3\n[coupling]\ncutoff = inf\n\
              [[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.0]\nto = [-0.06, 0.02, 0.01]\nduration = 1e-10\n\
              [output]\ninterval = 1e-11\n",
    precesses: true,
    sections: &[],
    cells: false,
    no_islands: |_| None,
};

/// `[coupling]` is the macrospin engine's (point dipoles between islands).
/// Memory: ~600 B per island and 64 B per dipolar pair (its tensor and index); work per
/// stage: islands + pairs.
fn cost(cfg: &SimConfig, islands: &[Island]) -> crate::engine::EngineCost {
    let (n, p) = (islands.len() as f64, cfg.pairs(islands));
    crate::engine::EngineCost {
        memory: 600.0 * n + 64.0 * p,
        elements: n + p,
        stages: cfg.solver.method.stages(),
        cells: 0.0,
        step: Some(cfg.llg_step(0.0)),
        ..Default::default()
    }
}

fn owned_keys(raw: &crate::config::raw::RawConfig) -> Vec<&'static str> {
    let c = &raw.coupling;
    if c.kind.is_some() || c.cutoff.is_some() {
        vec!["coupling"]
    } else {
        Vec::new()
    }
}

/// The macrospin engine has no keys beyond the common ones.
fn validate(
    _raw: &crate::config::raw::RawConfig,
    _res: &mut crate::config::raw::RawConfig,
    _base_dir: &Path,
    _common: &Common,
) -> Result<EngineSpec, ConfigError> {
    Ok(None)
}

#[derive(Clone)]
pub struct MacrospinEngine {
    pub dynamics: Dynamics<MacrospinArray>,
    pub islands: Vec<Island>,
    minimiser: Minimiser,
}

/// Builds the engine of a validated config, driven by `protocol`.
pub fn build(cfg: &SimConfig, protocol: Protocol) -> Result<Box<dyn Engine>, Error> {
    Ok(Box::new(MacrospinEngine::with_protocol(cfg, protocol)?))
}

/// Initial unit vectors: along each long axis, uniform on the sphere (seeded), one vector, or
/// a previous run's state.
pub fn initial_magnetisation(init: &Init, islands: &[Island]) -> Result<Vec<Vector3<f64>>, ConfigError> {
    Ok(match init {
        Init::Easy => islands.iter().map(Island::long_axis).collect(),
        Init::Vector(m) => vec![m.normalize(); islands.len()],
        Init::Random { seed } => {
            let mut rng = ChaCha8Rng::seed_from_u64(*seed);
            (0..islands.len())
                .map(|_| loop {
                    let v: [f64; 3] = [0; 3].map(|_| StandardNormal.sample(&mut rng));
                    let v = Vector3::from(v);
                    if v.norm() > 1e-9 {
                        break v.normalize();
                    }
                })
                .collect()
        }
        Init::State(StateSource::Islands { m, .. }) => m.clone(),
        Init::State(StateSource::Ovf(f)) => {
            return Err(ConfigError::new(
                "init.file",
                f.display(),
                "is an OVF file of cells: the macrospin engine restarts from a magnets.csv",
            ))
        }
        Init::Vortex { .. } => {
            return Err(ConfigError::new("init.kind", "\"vortex\"", "needs the micromagnetic engine"))
        }
    })
}

impl MacrospinEngine {
    /// Builds islands, array and integrator from a validated config and its protocol.
    pub fn from_config(cfg: &SimConfig) -> Result<Self, Error> {
        Self::with_protocol(cfg, cfg.protocol.clone())
    }

    /// Builds islands, array and integrator from a validated config, driven by `protocol`;
    /// relaxes first if the config asks.
    pub fn with_protocol(cfg: &SimConfig, protocol: Protocol) -> Result<Self, Error> {
        let islands = cfg.islands()?;
        let array = MacrospinArray::new(&islands, &cfg.material, cfg.coupling, cfg.lattice.spacing(), protocol);
        let m0 = initial_magnetisation(&cfg.init, &islands)?;
        let mut e = Self::new(array, islands, &m0, &cfg.solver, &cfg.temperature);
        if let Some(r) = cfg.relax {
            e.minimiser = r.minimiser;
            e.dynamics.relax_in(r.field, r.max_torque, r.minimiser)?;
        }
        Ok(e)
    }

    /// An engine at t = 0 with magnetisation `m0` (normalised here).
    pub fn new(
        array: MacrospinArray,
        islands: Vec<Island>,
        m0: &[Vector3<f64>],
        solver: &crate::config::Solver,
        temperature: &crate::config::Temperature,
    ) -> Self {
        let flat: Vec<f64> = m0.iter().flat_map(|m| [m.x, m.y, m.z]).collect();
        let stepper = llg::stepper(solver, temperature, &array);
        MacrospinEngine {
            dynamics: Dynamics::new(array, &flat, stepper),
            islands,
            minimiser: Minimiser::BarzilaiBorwein,
        }
    }

    /// The array and its terms.
    pub fn array(&self) -> &MacrospinArray {
        &self.dynamics.sys
    }

    /// The full integrated state [m, W_ext/e_ref, Q/e_ref].
    pub fn state(&self) -> &[f64] {
        self.dynamics.state()
    }
}

impl LlgEngine for MacrospinEngine {
    type System = MacrospinArray;
    const KIND: &'static str = "macrospin";
    fn dynamics(&self) -> &Dynamics<MacrospinArray> {
        &self.dynamics
    }
    fn dynamics_mut(&mut self) -> &mut Dynamics<MacrospinArray> {
        &mut self.dynamics
    }
    fn minimiser(&self) -> Minimiser {
        self.minimiser
    }
    fn llg_islands(&self) -> &[Island] {
        &self.islands
    }
    fn llg_island_m(&self) -> Vec<Vector3<f64>> {
        let y = self.dynamics.m();
        (0..self.islands.len()).map(|i| get3(y, i)).collect()
    }
    fn llg_island_moments(&self) -> Vec<f64> {
        self.dynamics.sys.moments().to_vec()
    }
    fn llg_describe(&self) -> serde_json::Value {
        let terms: Vec<&str> = self.dynamics.sys.all_terms().map(|t| t.name()).collect();
        json!({ "n_magnets": self.islands.len(), "method": self.dynamics.stepper().name(), "energy_terms": terms })
    }
}
