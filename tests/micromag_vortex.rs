//! Vortices in wide bars (the spin-vortex-ice state): a vortex initial state relaxes to a
//! vortex — |⟨m⟩| ≈ 0, circulation ≈ ±1 as initialised, and on cells fine enough to resolve
//! the core (5 nm in-plane, below permalloy's exchange length of 5.7 nm) a core m_z of the
//! initialised polarity (on 10 nm cells the core is not resolved and m_z ≈ 0) — while the same bar relaxed from the easy axis stays a macrospin;
//! and the texture feature of the reservoir (`features.components = ["norm",
//! "circulation"]`) separates a vortex bar from a macrospin bar of the same lattice.

mod common;
use nanomag::engine::Engine;
use nanomag::registry;
use nanomag::reservoir::features::magnet_state::{Component, MagnetState};
use nanomag::reservoir::features::StateFeatures;

fn bars(cell: f64, size: (f64, f64), init: &str, islands: &str) -> Box<dyn Engine> {
    let cfg = common::config(&format!(
        "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [{cell:e}, {cell:e}, 20e-9]\n\
         [magnet]\nlength = {:e}\nwidth = {:e}\nthickness = 20e-9\n\
         [lattice]\nkind = \"custom\"\nmagnets = [{islands}]\n\
         [init]\n{init}relax = true\nrelax_torque = 1e-4\n[[field]]\nb = [0.0, 0.0, 0.0]\nduration = 1e-12\n",
        size.0, size.1
    ));
    registry::from_config(&cfg).unwrap()
}

const ONE: &str = "{ x = 0.0, y = 0.0, angle = 0.0 }";

#[test]
fn a_vortex_relaxes_to_a_vortex_and_a_macrospin_stays_one() {
    let v = bars(10e-9, (600e-9, 300e-9), "kind = \"vortex\"\ncirculation = -1\n", ONE).island_textures()[0];
    eprintln!("vortex: {v:?}");
    assert!(v.norm < 0.1 && v.circulation < -0.8, "{v:?}");
    let m = bars(10e-9, (600e-9, 300e-9), "kind = \"easy\"\n", ONE).island_textures()[0];
    eprintln!("macrospin: {m:?}");
    assert!(m.norm > 0.9 && m.circulation.abs() < 0.1 && m.polarity.abs() < 0.05, "{m:?}");
    // A resolved core: 5 nm cells, polarity −1 as initialised.
    let c =
        bars(5e-9, (400e-9, 200e-9), "kind = \"vortex\"\ncirculation = 1\npolarity = -1\n", ONE).island_textures()[0];
    eprintln!("5 nm cells: {c:?}");
    // (The core is a few cells wide: its most out-of-plane cell averages m_z over 5 nm.)
    assert!(c.norm < 0.1 && c.circulation > 0.8 && c.polarity < -0.7, "{c:?}");
}

#[test]
fn the_texture_feature_separates_vortex_and_macrospin_bars() {
    let two = "{ x = 0.0, y = 0.0, angle = 0.0 }, { x = 0.0, y = 500e-9, angle = 0.0 }";
    let e = bars(10e-9, (600e-9, 300e-9), "kind = \"vortex\"\ncirculation = [1, 0]\n", two);
    let f = MagnetState { components: vec![Component::Norm, Component::Circulation, Component::Long] };
    let mut x = Vec::new();
    f.read(e.as_ref(), &mut x).unwrap();
    eprintln!("features [norm, circulation, long] per island: {x:?}");
    let (vortex, macrospin) = (&x[0..3], &x[3..6]);
    // |⟨m⟩| tells them apart by far; the circulation too (the macrospin's flower state and
    // its neighbour's stray field give it a small one).
    assert!(vortex[0] < 0.2 && macrospin[0] > 0.85 && macrospin[2] > 0.85, "{x:?}");
    assert!(vortex[1] > 0.7 && vortex[1] - macrospin[1] > 0.5, "{x:?}");
}
