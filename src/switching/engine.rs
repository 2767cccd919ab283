//! [`SwitchingEngine`]: the switching model of [`super`] behind [`crate::engine::Engine`].
//! Quasi-static: each output interval is one field step — the applied field takes its value
//! at the end of the interval (its limit from the left, so a protocol of constant segments
//! one interval long applies one segment per step) and the array relaxes by the flip policy.
//! `table.csv` gets the flips of each step (the avalanche) and their running total.

use super::astroid::Astroid;
use super::dipolar::FrameDipolar;
use super::thermal::Thermal;
use super::{FlipPolicy, Switching};
use crate::binary::engine::BinaryEngine;
use crate::binary::setup::binary_array;
use crate::binary::BinaryArray;
use crate::config::checks::{in_range, one_of, seed};
use crate::config::plugin::Entry;
use crate::config::raw::RawConfig;
use crate::config::{Coupling, SimConfig};
use crate::constants::MU0;
use crate::engine::{Common, Engine, EngineSpec, Relaxed};
use crate::error::{ConfigError, Error, NumericalError};
use crate::geometry::Island;
use crate::protocol::Protocol;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;

/// `[switching]` of the switching model.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSwitching {
    /// Switching field along the easy axis (T). Default: each island's Stoner–Wohlfarth
    /// anisotropy field μ0Ms(N_w − N_l) + 2K_u/Ms.
    pub hc: Option<f64>,
    /// Astroid shape (flatspin's sw_b, sw_c, sw_beta, sw_gamma). Default 1, 1, 3, 3.
    pub b: Option<f64>,
    pub c: Option<f64>,
    pub beta: Option<f64>,
    pub gamma: Option<f64>,
    /// Relative standard deviation of h_c between islands. Default 0.
    pub disorder: Option<f64>,
    /// CSV with a column `hc_t`, one row per island: the islands' switching fields (T).
    pub thresholds: Option<String>,
    /// Flip policy: `max` (default), `max-rand`, `all`, `single`.
    pub flip: Option<String>,
    /// Seed of the disorder and of random flip policies. Default `lattice.seed`.
    pub seed: Option<i64>,
    /// Re-sum the neighbours' dipolar sums from scratch after every flip, in flatspin's
    /// order, so runs agree with flatspin bit for bit (slower). Default false.
    pub exact_sums: Option<bool>,
    /// At temperature.t > 0 (flatspin's thermal model, docs/switching.md): the time one field
    /// step stands for (s). Default 1 (flatspin's `therm_timescale`).
    pub therm_timescale: Option<f64>,
    /// The thermal nucleation moment m_th (A·m²). Default 0.2 Ms V of the first island
    /// (flatspin's default is that of its 220 × 80 × 25 nm, 860 kA/m magnet).
    pub m_therm: Option<f64>,
    /// Attempt frequency f0 (Hz) of the thermal model. Default 1e9 (flatspin's).
    pub attempt_freq: Option<f64>,
}

/// The registry entry.
pub const ENTRY: Entry = Entry {
    name: <SwitchingEngine as BinaryEngine>::KIND,
    about: "binary islands flipping at a generalised Stoner–Wohlfarth astroid (flatspin's model), quasi-static",
    owned_keys,
    init_kinds: &["easy", "random", "vector", "state"],
    methods: &[],
    validate,
    build,
    cost: crate::binary::engine::cost,
    example: "[solver]\nkind = \"switching\"\n\
              [lattice]\nkind = \"square\"\nnx = 3\nny = 3\nspacing = 500e-9\ndisorder = 0.05\n[coupling]\ncutoff = 3.0\n\
              [switching]\ndisorder = 0.05\n\
              [[field]]\nkind = \"ramp\"\nfrom = [0.1, 0.0, 0.0]\nto = [-0.1, -0.01, 0.0]\nduration = 1e-9\n\
              [output]\ninterval = 5e-11\n",
    precesses: false,
    sections: &["switching"],
    cells: false,
    no_islands: |_| None,
};

/// `[switching]` (and `[coupling]`, shared with the macrospin engine) is the switching engine's.
fn owned_keys(raw: &RawConfig) -> Vec<&'static str> {
    let mut k = Vec::new();
    if raw.sections.contains_key("switching") {
        k.push("switching");
    }
    if raw.coupling.kind.is_some() || raw.coupling.cutoff.is_some() {
        k.push("coupling");
    }
    k
}

/// The validated `[switching]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct SwitchingSpec {
    /// A single h_c (T); None: each island's Stoner–Wohlfarth anisotropy field.
    pub hc: Option<f64>,
    pub astroid: Astroid,
    pub disorder: f64,
    /// Per-island h_c (T) from `switching.thresholds`.
    pub thresholds: Option<Vec<f64>>,
    pub policy: FlipPolicy,
    pub seed: u64,
    /// Exact re-summation of the dipolar sums after each flip (flatspin bit for bit).
    pub exact_sums: bool,
    /// flatspin's thermal model, at T > 0.
    pub thermal: Option<ThermalSpec>,
}

/// The validated thermal settings of the switching engine.
#[derive(Debug, Clone, PartialEq)]
pub struct ThermalSpec {
    /// Temperature (K).
    pub t: f64,
    /// Thermal time step (s).
    pub timescale: f64,
    /// m_th (A·m²); None: 0.2 Ms V of the first island.
    pub m_therm: Option<f64>,
    /// f0 (Hz).
    pub attempt_freq: f64,
    pub seed: u64,
}

fn thresholds(base_dir: &Path, f: &str) -> Result<Vec<f64>, ConfigError> {
    let key = "switching.thresholds";
    let path = base_dir.join(f);
    let bad = |why: String| ConfigError::new(key, f, why);
    let mut r = csv::Reader::from_path(&path).map_err(|e| bad(format!("cannot be read: {e}")))?;
    let col = r
        .headers()
        .map_err(|e| bad(format!("has no header: {e}")))?
        .iter()
        .position(|h| h == "hc_t")
        .ok_or_else(|| bad("has no column hc_t (the switching field of each island, T)".into()))?;
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("row {}: {e}", k + 1)))?;
        let v: f64 = rec
            .get(col)
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|_| bad(format!("row {}: hc_t is not a number", k + 1)))?;
        if !(v.is_finite() && v > 0.0) {
            return Err(bad(format!("row {}: hc_t must be a number > 0 (T)", k + 1)));
        }
        out.push(v);
    }
    Ok(out)
}

/// Validates `[switching]`, filling its defaults into `res`.
fn validate(
    raw: &RawConfig,
    res: &mut RawConfig,
    base_dir: &Path,
    _common: &Common,
) -> Result<EngineSpec, ConfigError> {
    let r: RawSwitching = raw.section("switching")?.unwrap_or_default();
    let timescale = in_range("switching.therm_timescale", r.therm_timescale.unwrap_or(1.0), 1e-15, 1e15, "s")?;
    let m_therm = r.m_therm.map(|m| in_range("switching.m_therm", m, 1e-30, 1e-10, "A·m²")).transpose()?;
    let attempt_freq = in_range("switching.attempt_freq", r.attempt_freq.unwrap_or(1e9), 1e-3, 1e20, "Hz")?;
    let hc = r.hc.map(|v| in_range("switching.hc", v, 1e-6, 100.0, "T")).transpose()?;
    let astroid = Astroid {
        b: in_range("switching.b", r.b.unwrap_or(1.0), 1e-3, 1e3, "")?,
        c: in_range("switching.c", r.c.unwrap_or(1.0), 1e-3, 1e3, "")?,
        beta: in_range("switching.beta", r.beta.unwrap_or(3.0), 0.1, 100.0, "")?,
        gamma: in_range("switching.gamma", r.gamma.unwrap_or(3.0), 0.1, 100.0, "")?,
    };
    let disorder =
        in_range("switching.disorder", r.disorder.unwrap_or(0.0), 0.0, 1.0, "(relative standard deviation of hc)")?;
    let thresholds = r.thresholds.as_deref().map(|f| thresholds(base_dir, f)).transpose()?;
    if thresholds.is_some() && (hc.is_some() || disorder > 0.0) {
        return Err(ConfigError::new(
            "switching.thresholds",
            "(set)",
            "gives every island's hc: leave out switching.hc and switching.disorder",
        ));
    }
    let flip = one_of("switching.flip", r.flip.as_deref().unwrap_or("max"), &FlipPolicy::NAMES)?;
    let policy = FlipPolicy::parse(flip).expect("one of the names");
    let seed = seed("switching.seed", r.seed.unwrap_or(raw.lattice.seed.unwrap_or(1)))?;
    let thermal = match raw.temperature.t {
        Some(t) if t > 0.0 => Some(ThermalSpec {
            t,
            timescale,
            m_therm,
            attempt_freq,
            seed: crate::config::checks::seed("temperature.seed", raw.temperature.seed.unwrap_or(seed as i64))?,
        }),
        _ => None,
    };
    res.solver.kind = Some("switching".into());
    res.set_section(
        "switching",
        &RawSwitching {
            b: Some(astroid.b),
            c: Some(astroid.c),
            beta: Some(astroid.beta),
            gamma: Some(astroid.gamma),
            disorder: Some(disorder),
            flip: Some(flip.into()),
            seed: Some(seed as i64),
            exact_sums: Some(r.exact_sums.unwrap_or(false)),
            therm_timescale: Some(timescale),
            attempt_freq: Some(attempt_freq),
            ..r
        },
    );
    let exact_sums = r.exact_sums.unwrap_or(false);
    Ok(Some(Arc::new(SwitchingSpec { hc, astroid, disorder, thresholds, policy, seed, exact_sums, thermal })))
}

/// The Stoner–Wohlfarth anisotropy field of an island: μ0Ms(N_w − N_l) + 2K_u/Ms (T).
pub fn anisotropy_field(island: &Island, ms: f64, ku: f64) -> f64 {
    let [nl, nw, _] = island.demag_factors();
    MU0 * ms * (nw - nl) + 2.0 * ku / ms
}

#[derive(Clone)]
pub struct SwitchingEngine {
    pub model: Switching,
    t: f64,
    /// flatspin's coupling α = μ0 Ms V/(4π a³) (T), for the first island.
    pub alpha: f64,
}

impl SwitchingEngine {
    pub fn new(cfg: &SimConfig, protocol: Protocol) -> Result<Self, Error> {
        let spec: &SwitchingSpec = cfg
            .engine_spec
            .0
            .as_ref()
            .and_then(|s| s.downcast_ref())
            .ok_or_else(|| Error::Io("not a switching config".into()))?;
        let (array, islands) = binary_array(cfg, protocol, false)?;
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let hc: Vec<f64> = match (&spec.thresholds, spec.hc) {
            (Some(t), _) => {
                if t.len() != islands.len() {
                    return Err(ConfigError::new(
                        "switching.thresholds",
                        format!("{} rows", t.len()),
                        format!("must give one hc_t per island ({})", islands.len()),
                    )
                    .into());
                }
                t.clone()
            }
            (None, Some(h)) => Switching::disordered(h, spec.disorder, islands.len(), &mut rng),
            (None, None) => {
                let base: Vec<f64> =
                    crate::binary::per_shape(&islands, |i| anisotropy_field(i, cfg.material.ms, cfg.material.ku));
                let factor = Switching::disordered(1.0, spec.disorder, islands.len(), &mut rng);
                base.iter().zip(factor).map(|(b, f)| b * f).collect()
            }
        };
        let a = cfg.lattice.spacing();
        let alpha = array.moment.first().map_or(0.0, |mu| 1e-7 * mu / (a * a * a));
        let dipolar = match cfg.coupling {
            Coupling::Dipole { cutoff } if islands.len() > 1 => {
                let pos: Vec<(f64, f64)> = islands.iter().map(|i| (i.x, i.y)).collect();
                let mut d = FrameDipolar::new(&pos, &array.axis, &array.moment, a, cutoff);
                d.exact = spec.exact_sums;
                Some(d)
            }
            _ => None,
        };
        let mut model = Switching::new(array, dipolar, spec.astroid, hc, spec.policy, spec.seed.wrapping_add(1));
        if let Some(th) = &spec.thermal {
            let m = th.m_therm.unwrap_or_else(|| 0.2 * cfg.material.ms * islands.first().map_or(0.0, |i| i.volume()));
            let kt = crate::constants::KB * th.t;
            model.thermal =
                Some(Thermal::new(kt, m, th.timescale, th.attempt_freq, &spec.astroid, islands.len(), th.seed));
        }
        Ok(SwitchingEngine { model, t: 0.0, alpha })
    }
}

/// Builds the engine of a validated switching config, driven by `protocol`.
pub fn build(cfg: &SimConfig, protocol: Protocol) -> Result<Box<dyn Engine>, Error> {
    Ok(Box::new(SwitchingEngine::new(cfg, protocol)?))
}

crate::binary_engine!(SwitchingEngine);

impl BinaryEngine for SwitchingEngine {
    const KIND: &'static str = "switching";
    fn array(&self) -> &BinaryArray {
        &self.model.array
    }
    fn array_mut(&mut self) -> &mut BinaryArray {
        &mut self.model.array
    }
    fn clock(&self) -> f64 {
        self.t
    }
    fn reset_clock(&mut self) {
        self.t = 0.0;
    }
    /// One field step: the field at `t_end` (from the left), then relaxation.
    /// Quasi-static: every field level the protocol holds between now and `t_end` is a field
    /// step (the field just before each segment boundary, then at `t_end`), relaxed in turn.
    fn advance_to(&mut self, t_end: f64) -> Result<(), Error> {
        let eps = 1e-9 * (t_end - self.t).abs();
        let p = &self.model.array.protocol;
        let mut times: Vec<f64> = p.breaks().iter().copied().filter(|&b| b > self.t + eps && b < t_end - eps).collect();
        times.push(t_end);
        for t in times {
            let b = self.model.array.protocol.field((t - eps).max(0.0));
            self.model.array.set_applied(b);
            self.model.resample_thermal();
            self.model
                .relax()
                .map_err(|what| Error::from(NumericalError { t, what, advice: "see switching.flip".into() }))?;
        }
        self.t = t_end;
        Ok(())
    }
    fn relax_now(&mut self) -> Result<Relaxed, Error> {
        self.model.resample_thermal();
        let flips = self
            .model
            .relax()
            .map_err(|what| Error::from(NumericalError { t: self.t, what, advice: String::new() }))?;
        Ok(Relaxed { iterations: flips, evaluations: self.model.evaluations, max_torque: 0.0 })
    }
    fn describe_engine(&self) -> serde_json::Value {
        let m = &self.model;
        let hc_mean = m.hc.iter().sum::<f64>() / m.hc.len().max(1) as f64;
        json!({
            "astroid": { "b": m.astroid.b, "c": m.astroid.c, "beta": m.astroid.beta, "gamma": m.astroid.gamma },
            "hc_mean_t": hc_mean,
            "flip_policy": format!("{:?}", m.policy).to_lowercase(),
            "alpha_t": self.alpha,
            "alpha_note": "flatspin's coupling alpha = mu0 Ms V / (4 pi a^3) of island 0, a = lattice.spacing",
            "flips": m.array.flips,
        })
    }
    fn evaluations(&self) -> u64 {
        self.model.evaluations
    }
    fn energy_parts(&self) -> Vec<(&'static str, f64)> {
        self.model.energy_parts()
    }
    /// Every kept dipolar sum equals a fresh one: bit for bit with exact sums, to 1e-12 of
    /// the largest sum with incremental updates.
    fn check_fields(&self) -> Result<(), String> {
        let Some(d) = &self.model.dipolar else { return Ok(()) };
        let mut fresh = d.clone();
        fresh.resum_all(&self.model.array.spin);
        let scale = fresh.sums.iter().fold(1e-300f64, |a, v| a.max(v[0].abs()).max(v[1].abs()));
        let tol = if d.exact { 0.0 } else { 1e-12 * scale };
        let off = |i: usize| (0..2).any(|c| (fresh.sums[i][c] - d.sums[i][c]).abs() > tol);
        match (0..d.sums.len()).find(|&i| off(i)) {
            Some(i) => Err(format!("the dipolar sum of island {i} differs from a fresh one")),
            None => Ok(()),
        }
    }
}
