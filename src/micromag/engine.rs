//! [`MicromagEngine`]: the finite-difference system of [`super::system`] on a box or on a
//! lattice's rasterised islands, driven by the shared LLG core ([`crate::llg::Dynamics`]),
//! behind [`Engine`]. Islands are read as the means of their cells; the cells themselves
//! are available for OVF output, cell maps and texture features.

use super::config::micro_spec;
use super::config::{MicroGeometry, MicroSpec};
use super::mesh::Mesh;
use super::raster;
use super::system::{MicroMaterial, MicroSystem};
use crate::config::plugin::Entry;
use crate::config::{Init, SimConfig, StateSource};
use crate::engine::Minimiser;
use crate::engine::{Cells, Engine, Texture};
use crate::error::{ConfigError, Error};
use crate::geometry::Island;
use crate::io::ovf;
use crate::llg::{self, Dynamics, LlgEngine};
use crate::protocol::Protocol;
use nalgebra::Vector3;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, UnitSphere};
use serde_json::json;

/// The registry entry.
pub const ENTRY: Entry = Entry {
    name: <MicromagEngine as LlgEngine>::KIND,
    about: "finite-difference micromagnetics: exchange, FFT demag, anisotropy, Zeeman, thermal",
    owned_keys: super::config::owned_keys,
    init_kinds: &["easy", "random", "vector", "state", "ovf", "vortex"],
    methods: &["rk45", "heun", "rk4", "dopri5"],
    validate: super::config::validate,
    build,
    cost,
    example: "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [10e-9, 10e-9, 10e-9]\n\
              [magnet]\nlength = 100e-9\nwidth = 40e-9\nthickness = 10e-9\n\
              [lattice]\nkind = \"custom\"\nmagnets = [{ x = 0.0, y = 0.0, angle = 10.0 }, { x = 0.0, y = 80e-9, angle = 80.0 }]\n\
              [material]\nalpha = 0.1\nku = 2e4\n\
              [[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.0]\nto = [-0.03, 0.01, 0.005]\nduration = 2e-11\n\
              [output]\ninterval = 5e-12\n",
    precesses: true,
    sections: &["mesh"],
    cells: true,
    no_islands: super::config::no_islands,
};

/// Core radius (m) of the vortices of `init.kind = "vortex"`: m_z = p·exp(−(r/r_c)²).
pub const VORTEX_CORE: f64 = 10e-9;

#[derive(Clone)]
pub struct MicromagEngine {
    pub dynamics: Dynamics<MicroSystem>,
    pub islands: Vec<Island>,
    pub spec: MicroSpec,
    minimiser: Minimiser,
}

/// Builds the engine of a validated micromagnetic config, driven by `protocol`.
pub fn build(cfg: &SimConfig, protocol: Protocol) -> Result<Box<dyn Engine>, Error> {
    Ok(Box::new(MicromagEngine::new(cfg, protocol)?))
}

/// Cost: cells from the box or the islands' bounding box; per cell ~24 B × (stages + 6) for m,
/// fields and stepper stages, plus the demag FFT (padded grid, complex: 6 kernel components,
/// 3 of m and 3 of h at 16 B). The step resolves exchange, 2A/(Ms·d²), beside the field scale.
fn cost(cfg: &SimConfig, islands: &[Island]) -> crate::engine::EngineCost {
    let Some(spec) = micro_spec(cfg) else { return crate::engine::EngineCost::default() };
    let n: Vec<f64> = match spec.geometry {
        MicroGeometry::Box { size, .. } => (0..3).map(|k| (size[k] / spec.cell[k]).round().max(1.0)).collect(),
        MicroGeometry::Lattice => {
            let span = |f: &dyn Fn(&Island) -> (f64, f64)| {
                let (lo, hi) =
                    islands.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |a, b| (a.0.min(b.0), a.1.max(b.1)));
                (hi - lo).max(0.0)
            };
            let r = |i: &Island| 0.5 * i.length.max(i.width);
            let x = span(&|i| (i.x - r(i), i.x + r(i)));
            let y = span(&|i| (i.y - r(i), i.y + r(i)));
            let z = islands.iter().map(|i| i.thickness).fold(0.0, f64::max);
            vec![
                (x / spec.cell[0]).ceil().max(1.0),
                (y / spec.cell[1]).ceil().max(1.0),
                (z / spec.cell[2]).ceil().max(1.0),
            ]
        }
    };
    let cells = n[0] * n[1] * n[2];
    let padded: f64 = n.iter().map(|&k| if k > 1.0 { 2.0 * k } else { 1.0 }).product();
    let stages = cfg.solver.method.stages();
    let d = spec.cell.iter().copied().fold(f64::INFINITY, f64::min);
    let b_ex = 2.0 * spec.a_ex / (cfg.material.ms * d * d);
    crate::engine::EngineCost {
        memory: cells * 24.0 * (stages + 6.0) + padded * 16.0 * 12.0,
        elements: cells + 2.0 * padded * padded.log2().max(1.0),
        stages,
        cells,
        step: Some(cfg.llg_step(b_ex)),
        ..Default::default()
    }
}

/// The grid of a config: a box cut into whole cells, or the rasterised islands.
pub fn build_mesh(cfg: &SimConfig, spec: &MicroSpec) -> Result<(Mesh, Vec<Island>), Error> {
    let ms = cfg.material.ms;
    match spec.geometry {
        MicroGeometry::Box { size, axis } => {
            let mut n = [0usize; 3];
            for k in 0..3 {
                let f = size[k] / spec.cell[k];
                n[k] = f.round() as usize;
                if (f - n[k] as f64).abs() > 1e-6 * f {
                    return Err(ConfigError::new(
                        format!("mesh.cell[{k}]"),
                        spec.cell[k],
                        format!("must divide mesh.box[{k}] = {:e} m into whole cells ({f:.4} now)", size[k]),
                    )
                    .into());
                }
            }
            let cells = n[0] * n[1] * n[2];
            if cells > raster::MAX_CELLS {
                return Err(ConfigError::new(
                    "mesh.cell",
                    format!("{:?}", spec.cell),
                    format!("gives {cells} cells: at most {}", raster::MAX_CELLS),
                )
                .into());
            }
            let mut mesh = Mesh::cuboid(n, spec.cell, ms);
            mesh.axis.iter_mut().for_each(|a| *a = axis);
            Ok((mesh, Vec::new()))
        }
        MicroGeometry::Lattice => {
            let islands = cfg.islands()?;
            let mesh = raster::rasterise(&islands, spec.cell, ms)?;
            Ok((mesh, islands))
        }
    }
}

/// The cells of an OVF file as the initial m, checked against the mesh.
fn from_ovf(file: &std::path::Path, mesh: &Mesh, m: &mut [f64]) -> Result<(), Error> {
    let f = ovf::read(file)?;
    let shown = file.display().to_string();
    let bad = |why: String| -> Error { ConfigError::new("init.file", &shown, why).into() };
    if f.n != mesh.n || f.dim != 3 {
        return Err(bad(format!(
            "holds a {:?} grid of {}-vectors: the mesh needs {:?} of 3-vectors",
            f.n, f.dim, mesh.n
        )));
    }
    if (0..3).any(|k| f.d[k].is_nan() || (f.d[k] - mesh.d[k]).abs() > 1e-6 * mesh.d[k]) {
        return Err(bad(format!("has cells of {:?} m: the mesh's are {:?} m", f.d, mesh.d)));
    }
    for c in 0..mesh.cells() {
        if mesh.ms[c] == 0.0 {
            continue;
        }
        let v = Vector3::new(f.data[3 * c], f.data[3 * c + 1], f.data[3 * c + 2]);
        if !(v.norm() > 0.0 && v.norm().is_finite()) {
            return Err(bad(format!("has a zero or non-finite vector in magnetic cell {:?}", mesh.coords(c))));
        }
        m[3 * c..3 * c + 3].copy_from_slice(v.normalize().as_slice());
    }
    Ok(())
}

/// A vortex around (x0, y0) at the cell centre (x, y): in-plane circulation c·ẑ×r̂ and a core
/// m_z = p·exp(−(r/r_c)²).
fn vortex_m(x: f64, y: f64, x0: f64, y0: f64, c: f64, p: f64) -> [f64; 3] {
    let (dx, dy) = (x - x0, y - y0);
    let r = dx.hypot(dy);
    let mz = p * (-(r / VORTEX_CORE).powi(2)).exp();
    if r == 0.0 {
        return [0.0, 0.0, p];
    }
    let s = (1.0 - mz * mz).sqrt() * c / r;
    [-dy * s, dx * s, mz]
}

/// The initial m of every cell (zero in empty cells).
pub fn initial_state(cfg: &SimConfig, mesh: &Mesh, islands: &[Island]) -> Result<Vec<f64>, Error> {
    let mut m = vec![0.0; 3 * mesh.cells()];
    if let Init::State(StateSource::Ovf(file)) = &cfg.init {
        from_ovf(file, mesh, &mut m)?;
        return Ok(m);
    }
    let mut rng = match cfg.init {
        Init::Random { seed } => Some(ChaCha8Rng::seed_from_u64(seed)),
        _ => None,
    };
    let centre = |k: usize| match islands.get(k) {
        Some(i) => (i.x, i.y),
        None => {
            (mesh.origin[0] + 0.5 * mesh.n[0] as f64 * mesh.d[0], mesh.origin[1] + 0.5 * mesh.n[1] as f64 * mesh.d[1])
        }
    };
    for c in 0..mesh.cells() {
        if mesh.ms[c] == 0.0 {
            continue;
        }
        let k = mesh.island[c] as usize;
        let v: [f64; 3] = match (&cfg.init, rng.as_mut()) {
            (Init::Vector(v), _) => [v.x, v.y, v.z],
            (Init::Random { .. }, Some(r)) => UnitSphere.sample(r),
            (Init::State(StateSource::Islands { m, .. }), _) => [m[k].x, m[k].y, m[k].z],
            (Init::Vortex { circulation, polarity }, _) if circulation[k.min(circulation.len() - 1)] != 0.0 => {
                let j = k.min(circulation.len() - 1);
                let [x, y, _] = mesh.centre(c);
                let (x0, y0) = centre(k);
                vortex_m(x, y, x0, y0, circulation[j], polarity[j])
            }
            _ => mesh.axis[c],
        };
        m[3 * c..3 * c + 3].copy_from_slice(&v);
    }
    Ok(m)
}

impl MicromagEngine {
    /// Mesh, initial state, system and stepper of a validated config; relaxes first if asked.
    pub fn new(cfg: &SimConfig, protocol: Protocol) -> Result<Self, Error> {
        let spec = micro_spec(cfg).ok_or_else(|| Error::Io("not a micromagnetic config".into()))?.clone();
        let (mesh, islands) = build_mesh(cfg, &spec)?;
        let m0 = initial_state(cfg, &mesh, &islands)?;
        let material = MicroMaterial { alpha: cfg.material.alpha, a_ex: spec.a_ex, ku: cfg.material.ku };
        let sys = MicroSystem::with_precision(mesh, material, protocol, spec.precision);
        let stepper = llg::stepper(&cfg.solver, &cfg.temperature, &sys);
        let minimiser = cfg.relax.map_or(Minimiser::BarzilaiBorwein, |r| r.minimiser);
        let mut e = MicromagEngine { dynamics: Dynamics::new(sys, &m0, stepper), islands, spec, minimiser };
        if let Some(r) = cfg.relax {
            e.dynamics.relax_in(r.field, r.max_torque, r.minimiser)?;
        }
        Ok(e)
    }

    pub fn mesh(&self) -> &Mesh {
        &self.dynamics.sys.mesh
    }
}

impl LlgEngine for MicromagEngine {
    type System = MicroSystem;
    const KIND: &'static str = "micromagnetic";
    fn dynamics(&self) -> &Dynamics<MicroSystem> {
        &self.dynamics
    }
    fn dynamics_mut(&mut self) -> &mut Dynamics<MicroSystem> {
        &mut self.dynamics
    }
    fn minimiser(&self) -> Minimiser {
        self.minimiser
    }
    fn llg_islands(&self) -> &[Island] {
        &self.islands
    }
    fn llg_island_m(&self) -> Vec<Vector3<f64>> {
        raster::island_means(self.mesh(), self.dynamics.m(), self.islands.len())
    }
    fn llg_island_moments(&self) -> Vec<f64> {
        raster::island_moments(self.mesh(), self.islands.len())
    }
    fn llg_island_textures(&self) -> Vec<Texture> {
        raster::island_textures(self.mesh(), self.dynamics.m(), &self.islands)
    }
    fn llg_cells(&self) -> Option<Cells<'_>> {
        Some(Cells { mesh: self.mesh(), m: self.dynamics.m() })
    }
    fn llg_describe(&self) -> serde_json::Value {
        let mesh = self.mesh();
        json!({
            "mesh": { "n": mesh.n, "cell_m": mesh.d, "origin_m": mesh.origin, "magnetic_cells": mesh.magnetic_cells() },
            "method": self.dynamics.stepper().name(),
            "demag_precision": format!("{:?}", self.spec.precision).to_lowercase(),
            "energy_terms": self.dynamics.sys.terms().map(|t| t.name()).collect::<Vec<_>>(),
        })
    }
}
