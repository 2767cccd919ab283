//! The KMC engine's event stream draws candidates from upper bounds of the rates and accepts
//! them with the exact rate (thinning, src/kmc/bound.rs). That is the continuous-time Markov
//! chain of the exact rates only if every bound holds: here
//! - in coupled clusters (weak fields, where neighbours get bounds from tangent planes, and a
//!   strong applied field, where rates are exact only), the rate of every transition — flips
//!   of island i out of configuration c per second spent in c — equals the exact rate
//!   ν_i(c) within its counting error, and no drawn candidate ever exceeds its bound;
//! - through a field sweep of a coupled square ice the bounds never fail and the array's
//!   dipolar fields stay those of a fresh sum.

mod common;
use common::*;
use nanomag::engine::Engine;
use nanomag::kmc::engine::KmcEngine;
use std::collections::HashMap;

/// Four 100 × 50 × 3 nm islands around a square-ice vertex (centres `d` from it), σ = 8 at
/// 300 K, all pairs coupled, in the applied field `b` (T).
fn vertex(d: f64, b: [f64; 2]) -> KmcEngine {
    let k_eff = 8.0 * KB * 300.0 / (100e-9 * 50e-9 * 3e-9);
    let toml = format!(
        "[magnet]\nlength = 100e-9\nwidth = 50e-9\nthickness = 3e-9\n\
         [lattice]\nkind = \"custom\"\nmagnets = [{{ x = {d:e}, y = 0.0, angle = 0.0 }}, {{ x = {m:e}, y = 0.0, angle = 0.0 }}, \
         {{ x = 0.0, y = {d:e}, angle = 90.0 }}, {{ x = 0.0, y = {m:e}, angle = 90.0 }}]\n\
         [coupling]\ncutoff = 10.0\n[solver]\nkind = \"kmc\"\n[material]\nalpha = 0.01\n\
         [temperature]\nt = 300.0\nseed = 5\n[kmc]\nk_eff = {k_eff:e}\n\
         [[field]]\nb = [{}, {}, 0.0]\nduration = 1.0\n[output]\ninterval = 1e-3\n",
        b[0],
        b[1],
        m = -d
    );
    let cfg = config(&toml);
    KmcEngine::new(&cfg, cfg.protocol.clone()).expect("kmc engine builds")
}

/// The configuration of an array as bits (island i's spin +1 ↦ bit i set).
fn bits(spin: &[i8]) -> usize {
    spin.iter().enumerate().map(|(i, &s)| usize::from(s > 0) << i).sum()
}

/// Runs `events` events from `e` and compares every transition rate with the exact one
/// (another copy of the cluster set to each configuration); returns the largest |z| over
/// transitions expected at least 100 times, how many were compared, and the bounds set from
/// tangent planes and the rejected candidates.
fn transitions_against_exact_rates(mut e: KmcEngine, events: usize) -> (f64, usize, u64, u64) {
    let b = e.model.array.protocol.field(0.0);
    e.model.array.set_applied(b);
    e.model.refresh_rates();
    let mut exact = e.clone();
    let m = &mut e.model;
    let n = m.array.len();
    let mut time_in: HashMap<usize, f64> = HashMap::new();
    let mut flips: HashMap<(usize, usize), f64> = HashMap::new();
    let (mut c, mut t) = (bits(&m.array.spin), m.t);
    for _ in 0..events {
        let Some(i) = m.next_event(f64::INFINITY) else {
            panic!("no event: total bound {}, t {}", m.total_bound(), m.t)
        };
        *time_in.entry(c).or_default() += m.t - t;
        *flips.entry((c, i)).or_default() += 1.0;
        (c, t) = (bits(&m.array.spin), m.t);
    }
    assert_eq!(m.bound_misses, 0, "a drawn candidate's exact rate exceeded its bound");
    let (mut worst, mut compared) = (0.0f64, 0);
    for (&c, &tc) in &time_in {
        let state: Vec<f64> = (0..n)
            .flat_map(|i| {
                let (a, s) = (exact.model.array.axis[i], if c >> i & 1 == 1 { 1.0 } else { -1.0 });
                [s * a.x, s * a.y, s * a.z]
            })
            .collect();
        exact.set_state_m(&state).expect("state fits");
        for i in 0..n {
            let expected = exact.model.rate(i) * tc;
            if expected >= 100.0 {
                let seen = flips.get(&(c, i)).copied().unwrap_or(0.0);
                worst = worst.max((seen - expected).abs() / expected.sqrt());
                compared += 1;
            }
        }
    }
    (worst, compared, e.model.linear_bounds, e.model.rejections)
}

#[test]
fn under_thinning_every_transition_happens_at_its_exact_rate() {
    // Weak fields (|h| ≲ 0.3): neighbours' bounds come from tangent planes, balls and
    // rejections are exercised; then a field of 0.41 anisotropy fields at 45° (at and past the edge of the disc where
    // tangent planes hold: every rate exact, every change of field re-evaluated).
    let b_k = 2.0 * 8.0 * KB * 300.0 / (100e-9 * 50e-9 * 3e-9) / 8.0e5;
    for (b, weak) in [([0.0, 0.0], true), ([0.05 * b_k, 0.02 * b_k], true), ([0.29 * b_k, 0.29 * b_k], false)] {
        let (worst, compared, planes, rejections) = transitions_against_exact_rates(vertex(160e-9, b), 300_000);
        eprintln!(
            "field {b:?} T: {compared} transition rates, largest |z| = {worst:.2}; {planes} bounds from planes, {rejections} rejections"
        );
        assert!(compared >= 8, "too few transitions to test anything ({compared})");
        assert!(worst < 4.5, "a transition rate is off its exact value by {worst:.2} standard errors");
        // The machinery the test is about did run.
        assert!(!weak || (planes > 10_000 && rejections > 1_000), "planes or rejections unused");
    }
}

#[test]
fn bounds_hold_and_fields_stay_exact_through_a_field_sweep_of_coupled_square_ice() {
    // 20 × 20 cells (800 islands), 100 × 50 × 3 nm at 200 nm spacing, σ = 12: neighbours
    // shift each other's rates by e^{±2}; the field sweeps to 1.2 anisotropy fields and back,
    // so islands cross in and out of the disc where tangent planes hold.
    let k_eff = 12.0 * KB * 300.0 / (100e-9 * 50e-9 * 3e-9);
    let b_k = 2.0 * k_eff / 8.0e5;
    let toml = format!(
        "[solver]\nkind = \"kmc\"\n[lattice]\nkind = \"square\"\nnx = 20\nny = 20\nspacing = 200e-9\n\
         [magnet]\nlength = 100e-9\nwidth = 50e-9\nthickness = 3e-9\n[coupling]\ncutoff = 3.0\n\
         [material]\nalpha = 0.5\n[temperature]\nt = 300.0\nseed = 9\n[kmc]\nk_eff = {k_eff:e}\n\
         [init]\nkind = \"random\"\nseed = 4\n\
         [[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.0]\nto = [{b}, {c}, 0.0]\nduration = 2e-4\n\
         [[field]]\nkind = \"ramp\"\nfrom = [{b}, {c}, 0.0]\nto = [0.0, 0.0, 0.0]\nduration = 2e-4\n\
         [output]\ninterval = 2e-6\n",
        b = -1.2 * b_k,
        c = -0.5 * b_k
    );
    let cfg = config(&toml);
    let mut e = KmcEngine::new(&cfg, cfg.protocol.clone()).expect("kmc engine builds");
    e.advance(2e-6, 200, &mut |_| Ok(())).expect("run");
    let m = &e.model;
    eprintln!(
        "{} flips, {} exact evaluations, {} bounds from planes, {} rejections",
        m.array.flips, m.evaluations, m.linear_bounds, m.rejections
    );
    assert!(m.array.flips > 5_000 && m.linear_bounds > 20_000, "too little happened to test anything");
    assert_eq!(m.bound_misses, 0, "a drawn candidate's exact rate exceeded its bound");
    e.check_terms().expect("the kept dipolar fields equal a fresh sum");
}
