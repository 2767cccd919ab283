//! [`MacrospinEngine`]: a macrospin array, its state and its integrator, behind [`Engine`].

use super::integrate::{self, Integrator};
use super::terms::get3;
use super::MacrospinArray;
use crate::config::{Init, SimConfig, Solver, Temperature};
use crate::engine::{Engine, Observables};
use crate::error::Error;
use crate::geometry::Island;
use nalgebra::Vector3;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

pub struct MacrospinEngine {
    pub array: MacrospinArray,
    pub islands: Vec<Island>,
    y: Vec<f64>,
    t: f64,
    integrator: Box<dyn Integrator>,
}

/// Initial unit vectors: along each long axis, uniform on the sphere (seeded), or one vector.
pub fn initial_magnetisation(init: &Init, islands: &[Island]) -> Vec<Vector3<f64>> {
    match *init {
        Init::Easy => islands.iter().map(Island::long_axis).collect(),
        Init::Vector(m) => vec![m.normalize(); islands.len()],
        Init::Random { seed } => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
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
    }
}

impl MacrospinEngine {
    /// Builds islands, array and integrator from a validated config.
    pub fn from_config(cfg: &SimConfig) -> Result<Self, Error> {
        let islands = cfg.islands()?;
        let array =
            MacrospinArray::new(&islands, &cfg.material, cfg.coupling, cfg.lattice.spacing(), cfg.protocol.clone());
        let m0 = initial_magnetisation(&cfg.init, &islands);
        Ok(Self::new(array, islands, &m0, &cfg.solver, &cfg.temperature))
    }

    /// An engine at t = 0 with magnetisation `m0` (normalised here).
    pub fn new(
        array: MacrospinArray,
        islands: Vec<Island>,
        m0: &[Vector3<f64>],
        solver: &Solver,
        temperature: &Temperature,
    ) -> Self {
        let mut y = vec![0.0; array.state_len()];
        for (i, m) in m0.iter().enumerate() {
            let m = m.normalize();
            y[3 * i..3 * i + 3].copy_from_slice(m.as_slice());
        }
        let integrator = integrate::from_config(solver, temperature, &array);
        MacrospinEngine { array, islands, y, t: 0.0, integrator }
    }

    /// The full integrated state [m, W_ext/e_ref, Q/e_ref].
    pub fn state(&self) -> &[f64] {
        &self.y
    }
}

impl Engine for MacrospinEngine {
    fn time(&self) -> f64 {
        self.t
    }
    fn observables(&self) -> Observables {
        self.array.observables(self.t, &self.y)
    }
    fn advance(
        &mut self,
        h_out: f64,
        n: usize,
        observer: &mut dyn FnMut(&Observables) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let array = &self.array;
        let t0 = self.t;
        let mut emit = |t: f64, y: &[f64]| observer(&array.observables(t, y));
        self.integrator.advance(array, t0, &mut self.y, h_out, n, &mut emit)?;
        self.t = t0 + n as f64 * h_out;
        Ok(())
    }
    fn magnetisation(&self) -> Vec<Vector3<f64>> {
        (0..self.array.n).map(|i| get3(&self.y, i)).collect()
    }
    fn evaluations(&self) -> u64 {
        self.integrator.evaluations()
    }
}
