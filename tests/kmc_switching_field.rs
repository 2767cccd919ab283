//! Thermally assisted switching under a field ramp at 300 K: the switching-field distribution
//! of a uniaxial cube (σ = K V/k_BT = 60, K_u = 1e5 J/m³, α = 1; axially symmetric, so Brown's
//! Fokker–Planck equation describes it exactly) ramped against its moment along the axis from
//! 0.3 to 1.1 h_K in 30 ns and in 300 ns (two rates a decade apart), in the LLG engine
//! (stochastic Heun) and the KMC engine (default f0 with its field dependence,
//! src/kmc/axial.rs):
//! - the LLG mean equals the closed form's: the survival under the Fokker–Planck operator's
//!   lowest eigenvalue λ1(h) integrated along the ramp (computed here);
//! - the KMC mean equals its own rate law's (the first-passage rate, computed here by
//!   quadrature, independently of the engine's table);
//! - KMC and LLG agree in mean and width within 3 standard errors;
//! - both follow Sharrock's law: the shift of the median between the two ramp rates is the
//!   closed form's;
//! - a constant f0 (`kmc.f0`, Hotspice's rule) switches far too early (> 10 standard errors).
mod common;
use common::*;
use nanomag::engine::Engine;
use nanomag::kmc::engine::KmcEngine;

const MS: f64 = 8.0e5;
const KU: f64 = 1.0e5;
const T: f64 = 300.0;
const ALPHA: f64 = 1.0;

fn bk() -> f64 {
    2.0 * KU / MS
}

fn toml(side: f64, n: usize, h: (f64, f64), ramp: f64, seed: u64, solver: &str, interval: f64) -> String {
    let magnets: Vec<String> =
        (0..n).map(|i| format!("{{ x = {:e}, y = 0.0, angle = 0.0 }}", i as f64 * 1e-6)).collect();
    let (b0, b1) = (-h.0 * bk(), -h.1 * bk());
    format!(
        "[magnet]\nshape = \"prism\"\nlength = {side:e}\nwidth = {side:e}\nthickness = {side:e}\n\
         [lattice]\nkind = \"custom\"\nmagnets = [{}]\n[coupling]\nkind = \"none\"\n\
         [material]\nms = {MS}\nku = {KU}\nalpha = {ALPHA}\n[temperature]\nt = {T}\nseed = {seed}\n\
         {solver}[[field]]\nkind = \"ramp\"\nfrom = [{b0:e}, 0.0, 0.0]\nto = [{b1:e}, 0.0, 0.0]\nduration = {ramp:e}\n\
         [output]\ninterval = {interval:e}\n",
        magnets.join(", ")
    )
}

/// Reduced field h(t) on the ramp.
fn h_at(h: (f64, f64), ramp: f64, t: f64) -> f64 {
    h.0 + (h.1 - h.0) * (t / ramp).min(1.0)
}

fn llg_sfd(side: f64, n: usize, h: (f64, f64), ramp: f64, seed: u64) -> Vec<f64> {
    let dt_out = 5e-12;
    let dt = 2e-13;
    let (cfg, mut e) =
        engine(&toml(side, n, h, ramp, seed, &format!("[solver]\nmethod = \"heun\"\ndt = {dt:e}\n"), dt_out));
    let steps = (ramp / cfg.output_interval).round() as usize;
    let mut last_top = vec![0.0f64; n];
    let mut sw = vec![f64::NAN; n];
    for k in 1..=steps {
        e.advance(cfg.output_interval, 1, &mut |_| Ok(())).unwrap();
        let t = k as f64 * cfg.output_interval;
        let hh = h_at(h, ramp, t);
        for (i, m) in e.island_m().iter().enumerate() {
            if !sw[i].is_nan() {
                continue;
            }
            if m.x >= hh {
                last_top[i] = t;
            } else if m.x < -0.5 {
                sw[i] = h_at(h, ramp, last_top[i]);
            }
        }
    }
    sw
}

fn kmc_sfd(side: f64, n: usize, h: (f64, f64), ramp: f64, seed: u64, extra: &str) -> Vec<f64> {
    let dt_out = 2e-11;
    let text = toml(side, n, h, ramp, seed, &format!("[solver]\nkind = \"kmc\"\n{extra}"), dt_out);
    let cfg = config(&text);
    let mut e = KmcEngine::new(&cfg, cfg.protocol.clone()).unwrap();
    let steps = (ramp / dt_out).round() as usize;
    let mut sw = vec![f64::NAN; n];
    for k in 1..=steps {
        e.advance(dt_out, 1, &mut |_| Ok(())).unwrap();
        let t = (k as f64 - 0.5) * dt_out;
        for (i, s) in e.model.array.spin.iter().enumerate() {
            if sw[i].is_nan() && *s < 0 {
                sw[i] = h_at(h, ramp, t);
            }
        }
    }
    sw
}

/// The KMC engine's rate model, computed here independently of its table: the inverse mean
/// first-passage time of Brown's axially symmetric Fokker–Planck equation from the well at
/// z = cos θ = 1 (field h, reduced, along −z) past the top z = h to z_a = h − 0.9 (1 + h),
/// T = 2τ_N ∫_{z_a}^1 e^{V(z)}/(1 − z²) ∫_z^1 e^{−V(y)} dy dz, βV = −σz² + 2σhz.
fn model_rate(sigma: f64, h: f64, tau_n: f64) -> f64 {
    if h >= 1.0 {
        return f64::INFINITY;
    }
    let v = |z: f64| -sigma * z * z + 2.0 * sigma * h * z;
    let vmax = v(h);
    let za = h - 0.9 * (1.0 + h);
    let n = 40_000;
    let dz = (1.0 - za) / n as f64;
    let zs: Vec<f64> = (0..=n).map(|k| za + k as f64 * dz).collect();
    // inner(z) e^{V(z) − V(h)}, the outer integrand scaled by e^{−V(h)}; inner from 1 down.
    let mut inner = 0.0;
    // At z = 1: inner/(1 − z²) → e^{−V(1)}/2, so the scaled integrand is e^{−V(h)}/2.
    let mut outer = 0.5 * (-vmax).exp() / 2.0;
    for k in (0..n).rev() {
        inner += 0.5 * dz * ((-v(zs[k])).exp() + (-v(zs[k + 1])).exp());
        let z = zs[k];
        let g = (v(z) - vmax).exp() * inner / (1.0 - z * z);
        outer += if k == 0 { 0.5 * g } else { g };
    }
    1.0 / (2.0 * tau_n * outer * dz * vmax.exp())
}

/// The decay rate of the well's population in Brown's axially symmetric Fokker–Planck
/// equation (the physics the LLG engine integrates): its lowest non-zero eigenvalue λ1, by
/// finite volumes on z ∈ [−1, 1] (4 000 cells, detailed-balance fluxes, symmetrised) and
/// Sturm-sequence bisection. (With the field along −z the far well's own escape is
/// negligible, so λ1 is the near well's escape rate.)
fn lambda1(sigma: f64, h: f64, tau_n: f64) -> f64 {
    let n = 4000;
    let dz = 2.0 / n as f64;
    let v = |z: f64| -sigma * z * z + 2.0 * sigma * h * z;
    let zc: Vec<f64> = (0..n).map(|i| -1.0 + (i as f64 + 0.5) * dz).collect();
    let mut diag = vec![0.0; n];
    let mut off = vec![0.0; n - 1];
    for i in 0..n - 1 {
        let zf = -1.0 + (i + 1) as f64 * dz;
        let d = (1.0 - zf * zf) / (2.0 * tau_n) / (dz * dz);
        let dv = v(zc[i + 1]) - v(zc[i]);
        diag[i] += d * (-0.5 * dv).exp();
        diag[i + 1] += d * (0.5 * dv).exp();
        off[i] = -d;
    }
    // Eigenvalues below x: negative pivots of A − x I.
    let below = |x: f64| {
        let mut count = 0;
        let mut piv = diag[0] - x;
        for i in 1..n {
            if piv < 0.0 {
                count += 1;
            }
            let p = if piv == 0.0 { 1e-300 } else { piv };
            piv = diag[i] - x - off[i - 1] * off[i - 1] / p;
        }
        count + usize::from(piv < 0.0)
    };
    let (mut lo, mut hi) = (1e-30f64, diag.iter().cloned().fold(0.0, f64::max) * 4.0);
    for _ in 0..200 {
        let mid = (lo * hi).sqrt();
        if below(mid) >= 2 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    (lo * hi).sqrt()
}

/// A rate tabulated in h (ln-linear between 161 nodes on [h0, h1]).
fn tabulated(rate: impl Fn(f64) -> f64, h: (f64, f64)) -> impl Fn(f64) -> f64 {
    let m = 160;
    let ln: Vec<f64> = (0..=m).map(|k| rate(h.0 + (h.1 - h.0) * k as f64 / m as f64).ln()).collect();
    move |x: f64| {
        let y = ((x - h.0) / (h.1 - h.0) * m as f64).clamp(0.0, m as f64 - 1e-9);
        let k = y as usize;
        (ln[k] + (y - k as f64) * (ln[k + 1] - ln[k])).exp()
    }
}

fn stats(x: &[f64]) -> (f64, f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (m, sd, sd / n.sqrt())
}

/// Predicted mean switching field from a rate ν(h) along a linear ramp.
fn predicted(rate: impl Fn(f64) -> f64, h: (f64, f64), ramp: f64) -> (f64, f64) {
    let r = (h.1 - h.0) / ramp;
    let n = 20000;
    let dh = (h.1 - h.0) / n as f64;
    let (mut s, mut mean, mut m2) = (1.0f64, 0.0, 0.0);
    for k in 0..n {
        let hh = h.0 + (k as f64 + 0.5) * dh;
        let p = s * (1.0 - (-rate(hh) * dh / r).exp());
        mean += p * hh;
        m2 += p * hh * hh;
        s -= p;
    }
    mean += s * h.1;
    m2 += s * h.1 * h.1;
    (mean, (m2 - mean * mean).sqrt())
}

/// Median and its standard error (1.2533 σ/√n).
fn median(x: &[f64]) -> (f64, f64) {
    let mut v = x.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let m = v[v.len() / 2];
    (m, 1.2533 * stats(x).1 / (x.len() as f64).sqrt())
}

/// Sharrock's law for a linear ramp: the median switching field solves
/// ν(h) · k_BT/(R |dΔE/dh|) = ln 2, i.e. σ(1 − h)² = ln(f(h)/(2 ln 2 · σ (1 − h) R)) with f the
/// rate's prefactor ν e^{σ(1−h)²} and R the ramp rate (h_K/s); solved by bisection.
fn sharrock(sigma: f64, rate: impl Fn(f64) -> f64, r: f64) -> f64 {
    let g = |h: f64| rate(h) / (2.0 * sigma * (1.0 - h) * r) - 2f64.ln();
    let (mut lo, mut hi) = (0.0, 0.999);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if g(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
fn switching_field_distributions_of_kmc_and_llg_agree_and_follow_sharrock_s_law() {
    let sigma = 60.0;
    let side = (sigma * KB * T / KU).cbrt();
    let v = side.powi(3);
    let tau_n = (1.0 + ALPHA * ALPHA) * MS * v / (2.0 * ALPHA * GAMMA * KB * T);
    let f0 = nanomag::kmc::prefactor::f0(ALPHA, GAMMA, KU, v, MS, KB * T);
    let h = (0.3, 1.1);
    let (n_llg, n_kmc) = (200, 800);
    let model = tabulated(|x| model_rate(sigma, x, tau_n), (h.0, 0.999));
    let physics = tabulated(|x| lambda1(sigma, x, tau_n), h);
    let mut medians = Vec::new();
    for ramp in [3e-8, 3e-7] {
        let (m_model, _) = predicted(&model, h, ramp);
        let (m_phys, sd_phys) = predicted(&physics, h, ramp);
        let llg = llg_sfd(side, n_llg, h, ramp, 5);
        let kmc = kmc_sfd(side, n_kmc, h, ramp, 5, "");
        let constant = kmc_sfd(side, n_kmc, h, ramp, 5, &format!("[kmc]\nf0 = {f0:e}\n"));
        assert!(llg.iter().chain(&kmc).all(|x| x.is_finite()), "every island switches on the ramp");
        let ((ml, sl, el), (mk, sk, ek), (mc, _, ec)) = (stats(&llg), stats(&kmc), stats(&constant));
        eprintln!(
            "ramp {ramp:e} s: λ1 {m_phys:.4} (sd {sd_phys:.4}), KMC model {m_model:.4}; LLG {ml:.4} ± {el:.4} (sd {sl:.4}); \
             KMC {mk:.4} ± {ek:.4} (sd {sk:.4}); constant f0 {mc:.4} ± {ec:.4}"
        );
        // The engine samples its rate model; the LLG engine the Fokker–Planck physics.
        assert!((mk - m_model).abs() < 3.0 * ek, "KMC mean {mk:.4} ± {ek:.4} vs its model's {m_model:.4}");
        assert!((ml - m_phys).abs() < 3.0 * el, "LLG mean {ml:.4} ± {el:.4} vs λ1's {m_phys:.4}");
        // And they agree with each other, mean and width.
        let se = (el * el + ek * ek).sqrt();
        assert!((mk - ml).abs() < 3.0 * se, "KMC {mk:.4} vs LLG {ml:.4} ± {se:.4}");
        let se_sd = (sl * sl / (2.0 * (n_llg - 1) as f64) + sk * sk / (2.0 * (n_kmc - 1) as f64)).sqrt();
        assert!((sk - sl).abs() < 3.0 * se_sd, "width KMC {sk:.4} vs LLG {sl:.4} ± {se_sd:.4}");
        // A constant f0 does not.
        assert!((mc - ml).abs() > 10.0 * (el * el + ec * ec).sqrt(), "a constant f0 is not told apart");
        let closed = sharrock(sigma, &physics, (h.1 - h.0) / ramp);
        medians.push((median(&llg), median(&kmc), closed));
    }
    // Sharrock: a decade slower shifts the median down by the closed form's amount.
    let (s0, s1) = (medians[0].2, medians[1].2);
    for (name, a, b) in [("LLG", medians[0].0, medians[1].0), ("KMC", medians[0].1, medians[1].1)] {
        let shift = a.0 - b.0;
        let se = (a.1 * a.1 + b.1 * b.1).sqrt();
        eprintln!("{name}: median shift per decade {shift:.4} ± {se:.4}; Sharrock {:.4} ({s0:.4} → {s1:.4})", s0 - s1);
        assert!((shift - (s0 - s1)).abs() < 3.0 * se, "{name}: shift {shift:.4} ± {se:.4} vs Sharrock {:.4}", s0 - s1);
    }
}
