//! Shared helpers for the integration tests: build engines the way users do, from TOML.
#![allow(dead_code)]

use nanomag::config::{self, SimConfig};
use nanomag::engine::{Engine, Observables};
use nanomag::macrospin::MacrospinEngine;
use nanomag::registry;
use std::path::Path;

pub const MU0: f64 = 4.0e-7 * std::f64::consts::PI;
pub const GAMMA: f64 = 1.7595e11;
pub const KB: f64 = 1.380649e-23;

/// Validates a TOML config given as text.
pub fn config(toml: &str) -> SimConfig {
    let raw = config::parse_toml(toml, Path::new("test.toml")).expect("test config parses");
    registry::validate(&raw, Path::new(".")).expect("test config is valid")
}

pub fn engine(toml: &str) -> (SimConfig, MacrospinEngine) {
    let cfg = config(toml);
    let e = MacrospinEngine::from_config(&cfg).expect("engine builds");
    (cfg, e)
}

/// Runs the whole protocol at the config's output interval; returns every row incl. t = 0.
pub fn run(toml: &str) -> Vec<Observables> {
    let (cfg, mut e) = engine(toml);
    let n = (cfg.protocol.duration() / cfg.output_interval).round() as usize;
    let mut rows = vec![e.observables()];
    e.advance(cfg.output_interval, n, &mut |o| {
        rows.push(o.clone());
        Ok(())
    })
    .expect("run succeeds");
    rows
}

/// A single island at the origin, as a custom lattice.
pub fn single_island(shape: &str, l: f64, w: f64, t: f64) -> String {
    format!(
        "[magnet]\nshape = \"{shape}\"\nlength = {l:e}\nwidth = {w:e}\nthickness = {t:e}\n\
         [lattice]\nkind = \"custom\"\nmagnets = [{{ x = 0.0, y = 0.0, angle = 0.0 }}]\n"
    )
}

/// Aharoni demagnetising factors of the 220 × 80 × 20 nm prism, from the published rounding
/// in docs/physics.md, recomputed by the library (tests check the two agree).
pub fn prism_factors() -> [f64; 3] {
    nanomag::geometry::demag_factors::prism(220e-9, 80e-9, 20e-9)
}
