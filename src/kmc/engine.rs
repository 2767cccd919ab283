//! [`KmcEngine`]: the kinetic Monte Carlo model of [`super`] behind
//! [`crate::engine::Engine`]. The applied field is held over each output interval at its
//! value in the middle of the interval; `table.csv` gets the flips of each interval and their
//! running total.

use super::{prefactor, Kmc, Scheme, Settings};
use crate::binary::engine::BinaryEngine;
use crate::binary::setup::binary_array;
use crate::binary::BinaryArray;
use crate::config::checks::{in_range, one_of, seed};
use crate::config::plugin::Entry;
use crate::config::raw::RawConfig;
use crate::config::SimConfig;
use crate::constants::{GAMMA, KB, MU0};
use crate::engine::{Common, Engine, EngineSpec};
use crate::error::{ConfigError, Error};
use crate::geometry::Island;
use crate::protocol::Protocol;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

/// `[kmc]` of the kinetic Monte Carlo engine.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawKmc {
    /// Attempt frequency f0 (Hz). Default: from each island's parameters (docs/physics.md).
    pub f0: Option<f64>,
    /// `gillespie` (real time, default) or `metropolis` (sweeps, no time).
    pub scheme: Option<String>,
    /// Metropolis sweeps per output interval. Default 1.
    pub sweeps: Option<i64>,
    /// Seed of the event stream. Default `temperature.seed`.
    pub seed: Option<i64>,
    /// Effective uniaxial constant K (J/m³) of every island (e.g. from `nanomag calibrate`).
    /// Default: each island's K_u + ½μ0Ms²(N_w − N_l).
    pub k_eff: Option<f64>,
}

/// The registry entry.
pub const ENTRY: Entry = Entry {
    name: <KmcEngine as BinaryEngine>::KIND,
    about: "thermally activated binary islands, Néel–Arrhenius rates over Stoner–Wohlfarth barriers, real time",
    owned_keys,
    init_kinds: &["easy", "random", "vector", "state"],
    methods: &[],
    validate,
    build,
    cost,
    example: "[solver]\nkind = \"kmc\"\n\
              [lattice]\nkind = \"square\"\nnx = 3\nny = 3\nspacing = 300e-9\n\
              [magnet]\nlength = 100e-9\nwidth = 50e-9\nthickness = 3e-9\n[coupling]\ncutoff = 3.0\n\
              [temperature]\nt = 300.0\nseed = 3\n\
              [[field]]\nkind = \"ramp\"\nfrom = [0.02, 0.0, 0.0]\nto = [-0.02, -0.002, 0.0]\nduration = 1e-6\n\
              [output]\ninterval = 5e-8\n",
    precesses: false,
    sections: &["kmc"],
    cells: false,
    no_islands: |_| None,
};

/// `[kmc]` (and `[coupling]`, shared with the other engines of islands).
fn owned_keys(raw: &RawConfig) -> Vec<&'static str> {
    let mut k = Vec::new();
    if raw.sections.contains_key("kmc") {
        k.push("kmc");
    }
    if raw.coupling.kind.is_some() || raw.coupling.cutoff.is_some() {
        k.push("coupling");
    }
    k
}

/// The validated `[kmc]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct KmcSpec {
    /// A single attempt frequency (Hz); None: Brown's prefactor of each island.
    pub f0: Option<f64>,
    pub scheme: Scheme,
    pub sweeps: usize,
    pub seed: u64,
    /// A single effective K (J/m³); None: each island's own.
    pub k_eff: Option<f64>,
}

fn validate(raw: &RawConfig, res: &mut RawConfig, _base: &Path, _common: &Common) -> Result<EngineSpec, ConfigError> {
    let t = raw.temperature.t.unwrap_or(0.0);
    // Below 1 K every barrier is astronomically many k_BT (nothing switches) and the saddle
    // tables would need as many nodes: refused rather than allocated.
    if t.is_nan() || t < 1.0 {
        return Err(ConfigError::new(
            "temperature.t",
            t,
            "must be ≥ 1 K for the kmc engine (thermal activation): use [solver] kind = \"switching\" at T = 0",
        ));
    }
    let r: RawKmc = raw.section("kmc")?.unwrap_or_default();
    let f0 = r.f0.map(|v| in_range("kmc.f0", v, 1.0, 1e15, "Hz")).transpose()?;
    let k_eff = r.k_eff.map(|v| in_range("kmc.k_eff", v, 1e-3, 1e8, "J/m³")).transpose()?;
    let name = one_of("kmc.scheme", r.scheme.as_deref().unwrap_or("gillespie"), &Scheme::NAMES)?;
    let scheme = Scheme::parse(name).expect("one of the names");
    let sweeps = r.sweeps.unwrap_or(1);
    if !(1..=1_000_000).contains(&sweeps) {
        return Err(ConfigError::new("kmc.sweeps", sweeps, "must be an integer in [1, 1000000]"));
    }
    let seed = seed("kmc.seed", r.seed.unwrap_or(raw.temperature.seed.unwrap_or(1)))?;
    res.set_section("kmc", &RawKmc { scheme: Some(name.into()), sweeps: Some(sweeps), seed: Some(seed as i64), ..r });
    Ok(Some(Arc::new(KmcSpec { f0, scheme, sweeps: sweeps as usize, seed, k_eff })))
}

/// The effective uniaxial constant of an island: K_u + ½ μ0 Ms² (N_w − N_l) (J/m³).
/// Cost: a binary array ([`crate::binary::engine::cost`]) plus, for Gillespie's method, its
/// events: Σ_i f0_i·e^{−K_i V_i/k_BT} per second (every island's zero-field rate; a
/// superparamagnetic array flips at nearly f0 ≈ 1e9–1e11 Hz per island), each touching the
/// island and its neighbours.
fn cost(cfg: &SimConfig, islands: &[Island]) -> crate::engine::EngineCost {
    let mut c = crate::binary::engine::cost(cfg, islands);
    let Some(spec) = cfg.engine_spec.0.as_ref().and_then(|s| s.downcast_ref::<KmcSpec>()) else { return c };
    let kt = KB * cfg.temperature.t;
    if spec.scheme != Scheme::Gillespie || kt <= 0.0 || islands.is_empty() {
        return c;
    }
    let (ms, ku) = (cfg.material.ms, cfg.material.ku);
    c.events_per_second = islands
        .iter()
        .map(|i| {
            let k = spec.k_eff.unwrap_or_else(|| effective_k(i, ms, ku)).max(0.0);
            let f0 = spec.f0.unwrap_or_else(|| prefactor::f0(cfg.material.alpha, GAMMA, k, i.volume(), ms, kt));
            let r = f0 * (-k * i.volume() / kt).exp();
            if r.is_finite() {
                r
            } else {
                f64::INFINITY
            }
        })
        .sum();
    // An event recomputes the barriers of the island and its neighbours (exp, square roots,
    // the block sums): about five element updates each.
    c.per_event = 5.0 * (1.0 + 2.0 * cfg.pairs(islands) / islands.len() as f64);
    c
}

pub fn effective_k(island: &Island, ms: f64, ku: f64) -> f64 {
    let [nl, nw, _] = island.demag_factors();
    ku + 0.5 * MU0 * ms * ms * (nw - nl)
}

/// The out-of-plane hard-axis constant of an island: ½ μ0 Ms² (N_z − N_w) (J/m³; 0 for a cube).
pub fn hard_axis_k(island: &Island, ms: f64) -> f64 {
    let [_, nw, nz] = island.demag_factors();
    0.5 * MU0 * ms * ms * (nz - nw)
}

#[derive(Clone)]
pub struct KmcEngine {
    pub model: Kmc,
}

impl KmcEngine {
    pub fn new(cfg: &SimConfig, protocol: Protocol) -> Result<Self, Error> {
        let spec: &KmcSpec = cfg
            .engine_spec
            .0
            .as_ref()
            .and_then(|s| s.downcast_ref())
            .ok_or_else(|| Error::Io("not a kmc config".into()))?;
        let (array, islands) = binary_array(cfg, protocol, true)?;
        let (ms, ku) = (cfg.material.ms, cfg.material.ku);
        let k: Vec<f64> = crate::binary::per_shape(&islands, |i| spec.k_eff.unwrap_or_else(|| effective_k(i, ms, ku)));
        let kz: Vec<f64> = crate::binary::per_shape(&islands, |i| hard_axis_k(i, ms));
        if let Some((i, &bad)) = k.iter().enumerate().find(|(_, &k)| k <= 0.0) {
            return Err(ConfigError::new(
                "material.ku",
                ku,
                format!(
                    "leaves island {i} without an easy axis (K_u + ½μ0Ms²(N_w − N_l) = {bad:.3e} J/m³): the kmc engine needs K > 0"
                ),
            )
            .into());
        }
        let kt = KB * cfg.temperature.t;
        let f0: Vec<f64> = islands
            .iter()
            .zip(&k)
            .map(|(i, &k)| spec.f0.unwrap_or_else(|| prefactor::f0(cfg.material.alpha, GAMMA, k, i.volume(), ms, kt)))
            .collect();
        if let Some(i) = f0.iter().position(|f| !(*f > 0.0 && f.is_finite())) {
            return Err(ConfigError::new(
                "material.alpha",
                cfg.material.alpha,
                format!(
                    "gives island {i} no attempt frequency (Brown's f0 ∝ α/(1 + α²)): set material.alpha > 0 or kmc.f0"
                ),
            )
            .into());
        }
        Ok(KmcEngine {
            model: Kmc::new(
                array,
                k,
                &kz,
                ms,
                f0,
                Settings { kt, scheme: spec.scheme, sweeps: spec.sweeps, seed: spec.seed, axial: spec.f0.is_none() },
            ),
        })
    }
}

/// Builds the engine of a validated kmc config, driven by `protocol`.
pub fn build(cfg: &SimConfig, protocol: Protocol) -> Result<Box<dyn Engine>, Error> {
    Ok(Box::new(KmcEngine::new(cfg, protocol)?))
}

crate::binary_engine!(KmcEngine);

impl BinaryEngine for KmcEngine {
    const KIND: &'static str = "kmc";
    fn array(&self) -> &BinaryArray {
        &self.model.array
    }
    fn array_mut(&mut self) -> &mut BinaryArray {
        &mut self.model.array
    }
    fn clock(&self) -> f64 {
        self.model.t
    }
    fn reset_clock(&mut self) {
        self.model.t = 0.0;
    }
    /// One interval: the field at the interval's middle, held; events up to `t_end`
    /// (gillespie) or `sweeps` sweeps (metropolis, glauber).
    fn advance_to(&mut self, t_end: f64) -> Result<(), Error> {
        let m = &mut self.model;
        let b = m.array.protocol.field(0.5 * (m.t + t_end));
        let changed = b != m.array.b_ext;
        m.array.set_applied(b);
        match m.scheme {
            Scheme::Gillespie => {
                if changed {
                    m.refresh_rates();
                }
                m.gillespie_to(t_end);
            }
            _ => {
                m.sweep();
                m.t = t_end;
            }
        }
        Ok(())
    }
    /// The array's fields (recomputed) replace the stream's; every rate and bound is redone.
    fn state_changed(&mut self) {
        self.model.reload_fields();
    }
    fn describe_engine(&self) -> serde_json::Value {
        let m = &self.model;
        let n = m.k.len().max(1) as f64;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / n;
        let sigma0: Vec<f64> = m.k.iter().zip(&m.volume).map(|(k, v)| k * v / m.kt).collect();
        json!({
            "scheme": format!("{:?}", m.scheme).to_lowercase(),
            "temperature_k": m.kt / KB,
            "k_eff_mean_j_per_m3": mean(&m.k),
            "f0_mean_hz": mean(&m.f0),
            "zero_field_barrier_mean_kt": mean(&sigma0),
            "flips": m.array.flips,
        })
    }
    fn evaluations(&self) -> u64 {
        self.model.evaluations
    }
}
