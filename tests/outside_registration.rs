//! Extension from outside the library: this file is a downstream crate's view of nanomag. It
//! defines a toy engine (non-interacting Ising islands in a field: each island's moment lies
//! along its long axis, s = ±1, and flips when the field along that axis passes its own
//! threshold b_c) and a toy lattice (a line of islands at alternating angles), registers both
//! through the public API — no nanomag file edited — and runs `simulate` and a reservoir `run`
//! on them through the library.
//!
//! Energy: E = −Σ μ_i s_i u_i·B. A field change at fixed spins does work
//! W_ext += −Σ μ s u·ΔB; a flip lowers E by 2μ|u·B| − …, dissipated as heat Q; so
//! E(t) − E(0) = W_ext − Q holds exactly, and the test checks it.

use nalgebra::Vector3;
use nanomag::config::plugin::Entry;
use nanomag::config::raw::{RawConfig, RawLattice};
use nanomag::config::SimConfig;
use nanomag::engine::{Common, Cost, Engine, EngineCost, EngineSpec, Observables, Saved};
use nanomag::error::{ConfigError, Error};
use nanomag::geometry::{Island, MagnetSpec};
use nanomag::lattice::{self, Lattice};
use nanomag::protocol::Protocol;
use nanomag::registry;
use std::path::Path;
use std::sync::Once;

#[derive(Clone)]
struct Ising {
    islands: Vec<Island>,
    mu: Vec<f64>,
    b_c: Vec<f64>,
    s: Vec<f64>,
    protocol: Protocol,
    t: f64,
    w: f64,
    q: f64,
    steps: u64,
}

impl Ising {
    fn build(cfg: &SimConfig, protocol: Protocol) -> Result<Box<dyn Engine>, Error> {
        let islands = cfg.islands()?;
        let mu = islands.iter().map(|i| cfg.material.ms * i.volume()).collect();
        // Thresholds 5…15 mT, fixed by the island index (a deterministic "disorder").
        let b_c = (0..islands.len()).map(|k| 5e-3 + 1e-2 * ((k * 7) % 11) as f64 / 10.0).collect();
        let s = vec![1.0; islands.len()];
        Ok(Box::new(Ising { islands, mu, b_c, s, protocol, t: 0.0, w: 0.0, q: 0.0, steps: 0 }))
    }

    fn energy(&self, b: Vector3<f64>) -> f64 {
        self.islands.iter().zip(&self.mu).zip(&self.s).map(|((i, mu), s)| -mu * s * i.long_axis().dot(&b)).sum()
    }

    /// Moves to time t1: the work of the field change at fixed spins, then every flip.
    fn step_to(&mut self, t1: f64) {
        let (b0, b1) = (self.protocol.field(self.t), self.protocol.field(t1));
        self.w += self.energy(b1) - self.energy(b0);
        for k in 0..self.s.len() {
            let h = self.islands[k].long_axis().dot(&b1);
            if h * self.s[k] < -self.b_c[k] {
                self.q += 2.0 * self.mu[k] * h.abs();
                self.s[k] = -self.s[k];
            }
        }
        (self.t, self.steps) = (t1, self.steps + 1);
    }
}

impl Engine for Ising {
    fn kind(&self) -> &'static str {
        "toy_ising"
    }
    fn time(&self) -> f64 {
        self.t
    }
    fn observables(&self) -> Observables {
        let b = self.protocol.field(self.t);
        let total: f64 = self.mu.iter().sum();
        let m = self.island_m().iter().zip(&self.mu).map(|(m, mu)| m * *mu).sum::<Vector3<f64>>() / total;
        Observables::new(self.t, m, b, vec![("zeeman", self.energy(b))], self.w, self.q)
    }
    fn advance(
        &mut self,
        h_out: f64,
        n: usize,
        observer: &mut dyn FnMut(&Observables) -> Result<(), Error>,
    ) -> Result<(), Error> {
        for _ in 0..n {
            self.step_to(self.t + h_out);
            observer(&self.observables())?;
        }
        Ok(())
    }
    fn run_for(&mut self, duration: f64) -> Result<(), Error> {
        self.step_to(self.t + duration);
        Ok(())
    }
    fn work_and_heat(&self) -> (f64, f64) {
        (self.w, self.q)
    }
    fn state_m(&self) -> Vec<f64> {
        self.island_m().iter().flat_map(|m| [m.x, m.y, m.z]).collect()
    }
    fn set_state_m(&mut self, m: &[f64]) -> Result<(), Error> {
        for (k, i) in self.islands.iter().enumerate() {
            self.s[k] =
                if Vector3::new(m[3 * k], m[3 * k + 1], m[3 * k + 2]).dot(&i.long_axis()) >= 0.0 { 1.0 } else { -1.0 };
        }
        Ok(())
    }
    fn islands(&self) -> &[Island] {
        &self.islands
    }
    fn island_m(&self) -> Vec<Vector3<f64>> {
        self.islands.iter().zip(&self.s).map(|(i, s)| i.long_axis() * *s).collect()
    }
    fn island_moments(&self) -> Vec<f64> {
        self.mu.clone()
    }
    fn protocol(&self) -> &Protocol {
        &self.protocol
    }
    fn set_protocol(&mut self, p: Protocol) {
        self.protocol = p;
    }
    fn save(&self) -> Saved {
        Saved { engine: "toy_ising", t: self.t, data: Box::new(self.clone()) }
    }
    fn restore(&mut self, s: &Saved) -> Result<(), Error> {
        let saved: &Ising = s.data.downcast_ref().ok_or_else(|| Error::Io("not a toy_ising state".into()))?;
        *self = saved.clone();
        Ok(())
    }
    fn cost(&self) -> Cost {
        Cost { evaluations: self.steps, steps: self.steps, elements: self.s.len() }
    }
    fn describe(&self) -> serde_json::Value {
        serde_json::json!({ "model": "non-interacting Ising islands (test engine)" })
    }
    fn fork(&self) -> Box<dyn Engine> {
        Box::new(self.clone())
    }
    fn check_terms(&self) -> Result<(), String> {
        Ok(())
    }
}

fn no_keys(_: &RawConfig) -> Vec<&'static str> {
    Vec::new()
}
fn no_spec(_: &RawConfig, _: &mut RawConfig, _: &Path, _: &Common) -> Result<EngineSpec, ConfigError> {
    Ok(None)
}
fn cost(_: &SimConfig, islands: &[Island]) -> EngineCost {
    EngineCost {
        memory: 64.0 * islands.len() as f64,
        elements: islands.len() as f64,
        stages: 1.0,
        ..Default::default()
    }
}

static TOY_ENGINE: Entry = Entry {
    name: "toy_ising",
    about: "non-interacting Ising islands with per-island thresholds (a downstream test engine)",
    owned_keys: no_keys,
    init_kinds: &["easy"],
    methods: &[],
    validate: no_spec,
    build: Ising::build,
    cost,
    example: "[solver]\nkind = \"toy_ising\"\n[lattice]\nkind = \"toy_line\"\nnx = 6\nspacing = 400e-9\n\
              [[field]]\nkind = \"constant\"\nb = [0.0, 0.0, 0.0]\nduration = 1e-9\n",
    precesses: false,
    sections: &[],
    cells: false,
    no_islands: |_| None,
};

/// A line of `nx` islands along x, alternately at 0° and 90°.
#[derive(Debug)]
struct ToyLine {
    n: usize,
    a: f64,
    magnet: MagnetSpec,
}

impl Lattice for ToyLine {
    fn name(&self) -> &'static str {
        "toy_line"
    }
    fn islands(&self) -> Vec<Island> {
        let angle = |k: usize| if k.is_multiple_of(2) { 0.0 } else { std::f64::consts::FRAC_PI_2 };
        (0..self.n).map(|k| self.magnet.island(k as f64 * self.a, 0.0, angle(k), (k % 2) as u8)).collect()
    }
    fn spacing(&self) -> f64 {
        self.a
    }
}

fn toy_line(raw: &RawLattice, magnet: &MagnetSpec, _: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    Ok(Box::new(ToyLine { n: raw.nx.unwrap_or(6) as usize, a: raw.spacing.unwrap_or(400e-9), magnet: *magnet }))
}

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        registry::register(&TOY_ENGINE).unwrap();
        lattice::register(lattice::Entry { name: "toy_line", keys: &["nx", "spacing"], build: toy_line }).unwrap();
    });
}

fn raw(text: &str) -> RawConfig {
    nanomag::config::parse_toml(text, Path::new("toy.toml")).unwrap()
}

const SIM: &str = "[solver]\nkind = \"toy_ising\"\n[lattice]\nkind = \"toy_line\"\nnx = 8\nspacing = 400e-9\n\
                   [[field]]\nkind = \"sine\"\nb0 = [0.0, 0.0, 0.0]\namplitude = [0.02, 0.02, 0.0]\n\
                   frequency = 1e9\nduration = 3e-9\n[output]\ninterval = 1e-11\n";

#[test]
fn a_toy_engine_and_lattice_simulate_through_the_library() {
    register();
    let cfg = registry::validate(&raw(SIM), Path::new(".")).expect("the toy config validates");
    assert_eq!(cfg.engine, "toy_ising");
    let mut e = registry::from_config(&cfg).unwrap();
    let e0 = e.observables().e_total;
    e.advance(cfg.output_interval, 300, &mut |_| Ok(())).unwrap();
    let o = e.observables();
    // The field swings ±20 mT along 45° (14 mT along each axis): islands with b_c < 14 mT flip.
    assert!(o.w_ext != 0.0 && o.q_diss > 0.0, "the field did work and flips dissipated: {o:?}");
    let balance = (o.e_total - e0) - (o.w_ext - o.q_diss);
    assert!(balance.abs() <= 1e-9 * o.q_diss, "E − E0 ≠ W − Q: {balance:e} J against Q = {:e} J", o.q_diss);

    // And the `simulate` command's library entry point writes its outputs.
    let dir = tempfile::tempdir().unwrap();
    let summary =
        nanomag::simulate::simulate(&cfg, Path::new("toy.toml"), dir.path(), true, &nanomag::progress::Unwatched)
            .unwrap();
    assert!(dir.path().join("summary.json").exists(), "{summary}");
    // A second registration under a taken name is refused.
    assert!(registry::register(&TOY_ENGINE).is_err());
}

#[test]
fn a_reservoir_runs_on_the_toy_engine() {
    register();
    let text = "[solver]\nkind = \"toy_ising\"\n[lattice]\nkind = \"toy_line\"\nnx = 12\nspacing = 400e-9\n\
                [input]\nkind = \"amplitude\"\nb0 = [0.0, 0.0, 0.0]\ndb = [0.03, 0.03, 0.0]\nhold = 1e-9\nsamples = 1\n\
                [features]\nkind = \"magnet_state\"\ncomponents = [\"long\"]\n\
                [task]\nkind = \"narma2\"\nwashout = 20\ntrain = 300\nvalidation = 50\ntest = 100\n";
    let cfg = nanomag::reservoir::config::validate(&raw(text), Path::new(".")).expect("the toy experiment validates");
    let out = nanomag::reservoir::experiment::run(&cfg, false, &mut |_| {}).unwrap();
    assert_eq!(cfg.reservoir_kind(), "magnets");
    let r = &out.outputs[0];
    assert!(r.nrmse_validation.is_finite() && r.nrmse_validation < 1.5, "{}", r.nrmse_validation);
    assert_eq!(out.reservoir_kind, "magnets");
}
