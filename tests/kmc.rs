//! The kinetic Monte Carlo engine against closed forms: a single uniaxial island (a cube with
//! K_u, so K_eff = K_u) in a bias field B along its axis has the barriers
//! ΔE± = K V (1 ± h)², h = Ms B/(2K) (docs/physics.md), so
//! - the mean dwell time in each state is 1/ν± = e^{ΔE±/k_BT}/f0 (Gillespie),
//! - the states are occupied in the Boltzmann ratio p+/p− = e^{2μB/k_BT}, μ = Ms V
//!   (Gillespie, time-weighted; Metropolis and Glauber, per sweep),
//!
//! each within 3 standard errors; and with the default f0 (Brown's Fokker–Planck escape rate) the KMC dwell
//! time agrees with the LLG engine's stochastic dynamics at 300 K.

mod common;
use common::*;
use nalgebra::Vector3;
use nanomag::engine::Engine;
use nanomag::kmc::engine::KmcEngine;

const MS: f64 = 8.0e5;
const KU: f64 = 1.0e5;
const T: f64 = 300.0;

fn kmc(side: f64, extra: &str) -> KmcEngine {
    let toml = format!(
        "{}[solver]\nkind = \"kmc\"\n[material]\nms = {MS}\nku = {KU}\nalpha = 1.0\n\
         [temperature]\nt = {T}\nseed = 7\n[[field]]\nb = [0.0, 0.0, 0.0]\nduration = 1e-6\n\
         [output]\ninterval = 1e-7\n{extra}",
        single_island("prism", side, side, side)
    );
    let cfg = config(&toml);
    KmcEngine::new(&cfg, cfg.protocol.clone()).expect("kmc engine builds")
}

/// Mean and standard error of a sample.
fn mean_se(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

#[test]
fn gillespie_dwell_times_are_one_over_the_arrhenius_rate_and_occupancy_is_boltzmann() {
    let (side, b, f0) = (6e-9, 0.01, 1e9);
    let mut e = kmc(side, &format!("[kmc]\nf0 = {f0}\n"));
    let m = &mut e.model;
    m.array.set_applied(Vector3::new(b, 0.0, 0.0));
    m.refresh_rates();
    let v = side * side * side;
    let (kt, mu, h) = (KB * T, MS * v, MS * b / (2.0 * KU));
    let rate = |s: f64| f0 * (-KU * v * (1.0 + s * h).powi(2) / kt).exp();
    let mut dwell: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut t_last = 0.0;
    let mut time_in = Vec::new(); // (time in +, total) per batch of events
    let (mut batch_plus, mut batch_total) = (0.0, 0.0);
    for k in 0..40_000 {
        let s = m.array.spin[0];
        assert!(m.next_event(1.0).is_some(), "an event within 1 s");
        let d = m.t - t_last;
        t_last = m.t;
        if k > 0 {
            dwell[usize::from(s < 0)].push(d);
        }
        batch_total += d;
        if s > 0 {
            batch_plus += d;
        }
        if k % 1000 == 999 {
            time_in.push(batch_plus / batch_total);
            (batch_plus, batch_total) = (0.0, 0.0);
        }
    }
    for (idx, s) in [(0, 1.0), (1, -1.0)] {
        let (mean, se) = mean_se(&dwell[idx]);
        let expected = 1.0 / rate(s);
        assert!(se < 0.02 * mean, "too few dwells to test anything");
        assert!(
            (mean - expected).abs() < 3.0 * se,
            "dwell in s = {s}: {mean:.4e} ± {se:.1e} s, 1/ν = {expected:.4e} s"
        );
    }
    let (p, se) = mean_se(&time_in);
    let expected = 1.0 / (1.0 + (-2.0 * mu * b / kt).exp());
    assert!(expected - 0.5 > 10.0 * se, "the bias must be resolved");
    assert!((p - expected).abs() < 3.0 * se, "p+ = {p:.4} ± {se:.4}, Boltzmann {expected:.4}");
}

#[test]
fn metropolis_and_glauber_occupy_the_states_by_the_boltzmann_ratio() {
    let (side, b) = (6e-9, 0.01);
    let mu = MS * side * side * side;
    let expected = 1.0 / (1.0 + (-2.0 * mu * b / (KB * T)).exp());
    for scheme in ["metropolis", "glauber"] {
        let mut e = kmc(side, &format!("[kmc]\nscheme = \"{scheme}\"\nsweeps = 1\n"));
        let m = &mut e.model;
        m.array.set_applied(Vector3::new(b, 0.0, 0.0));
        let mut blocks = Vec::new();
        for _ in 0..100 {
            let mut plus = 0;
            for _ in 0..2000 {
                m.sweep();
                plus += usize::from(m.array.spin[0] > 0);
            }
            blocks.push(plus as f64 / 2000.0);
        }
        let (p, se) = mean_se(&blocks);
        assert!((p - expected).abs() < 3.0 * se, "{scheme}: p+ = {p:.4} ± {se:.4}, Boltzmann {expected:.4}");
    }
}

/// Transitions of m·x̂ between the wells (hysteresis ±0.6 so recrossings of the barrier top
/// do not count) of every island in an LLG run; returns (transitions, island·seconds).
fn llg_transitions(side: f64, n_islands: usize, duration: f64) -> (usize, f64) {
    llg_transitions_in(side, n_islands, duration, 0.0)
}

/// As [`llg_transitions`], in a field `b_perp` (T) across the islands' axis.
fn llg_transitions_in(side: f64, n_islands: usize, duration: f64, b_perp: f64) -> (usize, f64) {
    let magnets: Vec<String> =
        (0..n_islands).map(|i| format!("{{ x = {:e}, y = 0.0, angle = 0.0 }}", i as f64 * 1e-6)).collect();
    let toml = format!(
        "[magnet]\nshape = \"prism\"\nlength = {side:e}\nwidth = {side:e}\nthickness = {side:e}\n\
         [lattice]\nkind = \"custom\"\nmagnets = [{}]\n[coupling]\nkind = \"none\"\n\
         [material]\nms = {MS}\nku = {KU}\nalpha = 1.0\n[temperature]\nt = {T}\nseed = 21\n\
         [solver]\nmethod = \"heun\"\ndt = 1e-13\n[[field]]\nb = [0.0, {b_perp:e}, 0.0]\nduration = {duration:e}\n\
         [output]\ninterval = 1e-11\n",
        magnets.join(", ")
    );
    let (cfg, mut e) = engine(&toml);
    let mut well = vec![1.0f64; n_islands];
    let mut transitions = 0;
    let n = (duration / cfg.output_interval).round() as usize;
    for _ in 0..n {
        e.advance(cfg.output_interval, 1, &mut |_| Ok(())).expect("LLG run");
        for (i, m) in e.island_m().iter().enumerate() {
            if m.x * well[i] < -0.6 {
                well[i] = -well[i];
                transitions += 1;
            }
        }
    }
    (transitions, n_islands as f64 * duration)
}

#[test]
fn with_the_default_prefactor_kmc_dwell_times_match_the_llg_engine_at_300_k() {
    // σ = K V / k_B T ≈ 6: a 6.3 nm cube with K_u = 1e5 J/m³.
    let side: f64 = (6.0 * KB * T / KU).cbrt();
    let e = kmc(side, "");
    let nu = e.model.kept_rate(0);
    let sigma = KU * side.powi(3) / (KB * T);
    assert!((sigma - 6.0).abs() < 1e-9);
    let (n, island_seconds) = llg_transitions(side, 8, 1.5e-6);
    let tau_llg = island_seconds / n as f64;
    let se = tau_llg / (n as f64).sqrt();
    let tau_kmc = 1.0 / nu;
    eprintln!("LLG dwell {tau_llg:.4e} ± {se:.1e} s ({n} transitions), KMC 1/ν = {tau_kmc:.4e} s");
    assert!(n >= 500, "too few LLG transitions ({n}) to test anything");
    assert!((tau_llg / tau_kmc - 1.0).abs() < 0.2, "LLG {tau_llg:.4e} s vs KMC {tau_kmc:.4e} s");
}

#[test]
fn in_a_transverse_field_kmc_rates_match_the_llg_engine_and_exclude_the_other_saddle_rules() {
    // A uniaxial cube (σ = 6, axially symmetric: its barrier tops form a ring) in a field
    // across its axis with μB⊥/k_BT = 2: the LLG escape rate is the ring-averaged one,
    // f0 e^{−σ(1+q²)} I0(2) — not f0 e^{−ΔE_lo} (the lower saddle with the full f0, 3.2× more)
    // nor (f0/2)(e^{−ΔE_lo} + e^{−ΔE_hi}) (two point saddles, 1.65× more).
    let side: f64 = (6.0 * KB * T / KU).cbrt();
    let (v, kt) = (side.powi(3), KB * T);
    let b_perp = 2.0 * kt / (MS * v);
    let mut e = kmc(side, "");
    let m = &mut e.model;
    m.array.set_applied(Vector3::new(0.0, b_perp, 0.0));
    m.refresh_rates();
    let nu = m.kept_rate(0);
    let (n, island_seconds) = llg_transitions_in(side, 8, 1.0e-6, b_perp);
    let rate = n as f64 / island_seconds;
    let se = rate / (n as f64).sqrt();
    let (sigma, q) = (6.0, MS * b_perp / (2.0 * KU));
    let lower_saddle = m.f0[0] * (-sigma * (1.0 - q) * (1.0 - q)).exp();
    let two_saddles = 0.5 * (lower_saddle + m.f0[0] * (-sigma * (1.0 + q) * (1.0 + q)).exp());
    eprintln!(
        "LLG {rate:.4e} ± {se:.1e} /s ({n} transitions); KMC {nu:.4e}; lower saddle {lower_saddle:.4e}; two saddles {two_saddles:.4e}"
    );
    assert!(n >= 500, "too few LLG transitions ({n}) to test anything");
    assert!((rate - nu).abs() < 3.0 * se, "LLG {rate:.4e} ± {se:.1e} /s vs KMC {nu:.4e} /s");
    for other in [lower_saddle, two_saddles] {
        assert!((rate - other).abs() > 10.0 * se, "the LLG rate does not tell the rules apart");
    }
}
