//! The field dependence of the attempt frequency along the island's axis: the escape rate of
//! Brown's axially symmetric Fokker–Planck equation (Phys. Rev. 130, 1677 (1963)) in a field
//! along the axis, relative to the zero-field f0 of [`super::prefactor`].
//!
//! With z = cos θ, reduced field h opposing the current well (h = −p, p = Ms B_∥/(2K) along
//! the moment) and σ = K V/k_BT, the energy is βV(z) = −σ z² + 2σ h z, the barrier top is at
//! z = h and the barrier is b = σ(1 − h)². The rate is the inverse mean first-passage time from
//! the well (z = 1) past the top to z_a = h − κ(1 + h) ([`KAPPA`] = 0.9 of the way to the far
//! pole), T = 2τ_N e^{b} Ĩ(b, h), with u the position in units of the top-to-well distance
//! (z = h + (1 − h)u, u_a = −κ(1 + h)/(1 − h)):
//! $$ \tilde I(b, h) = (1-h)\int_{u_a}^1 \frac{e^{-b u^2}}{(1-u)(1+z)} \int_u^1 e^{-b(1-w^2)}\,dw\,du . $$
//! This is the decay rate λ1 of the well's population (the lowest eigenvalue of the
//! Fokker–Planck operator with the far well absorbing) to 0.1 % at barriers ≥ 10 k_BT and 2 %
//! at 5 k_BT; 1/(2 T_top), the top-only form, is 13 % and 19 % below it there. For b ≫ 1,
//! Ĩ → √π (1 − h)/(2 b^{3/2} (1 + h)), so
//! $$ F(p) = \frac{\nu(\sigma, p)\, e^{\sigma(1+p)^2}}{\nu(\sigma, 0)\, e^{\sigma}}
//!         = \frac{\tilde I(\sigma, 0)}{\tilde I(\sigma(1+p)^2, -p)} \to (1-p^2)(1+p), $$
//! Brown's high-barrier factor: the well's curvature falls as (1 + p) and the top's as
//! (1 − p²). Near the astroid (p → −1) it slows the escape by orders of magnitude against a
//! constant f0 (tests/kmc_switching_field.rs: the switching-field distribution of a cube under
//! a ramp then agrees with the LLG engine).
//!
//! [`AxialTable`] keeps ln F for one σ on x = √b = √σ (1 + p) ∈ [[`X_MIN`], √[`B_TABLE`]]
//! (direct quadrature, Richardson-extrapolated; the cubic is within 1e-5 of it in ln F); beyond,
//! the asymptote with its 1/b correction matched at the last node; below X_MIN (barriers under
//! ¼ k_BT) it is held.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// x-step of the table.
const STEP: f64 = 1.0 / 32.0;
/// The largest barrier (units of k_BT) taken from the table; beyond it the asymptote.
pub const B_TABLE: f64 = 200.0;
/// The smallest √b used: ln F is held below it.
pub const X_MIN: f64 = 0.5;
/// The reduced field along the moment is clamped to p ≤ P_MAX (the deep well's prefactor
/// (1 − p²) vanishes at p = 1, where its barrier is 4σ anyway).
const P_MAX: f64 = 1.0 - 1e-9;

/// Where the flip is complete: the absorbing point lies this fraction of the way from the
/// barrier top to the far pole.
pub const KAPPA: f64 = 0.9;

/// Dawson's integral D(x) = e^{−x²} ∫_0^x e^{t²} dt (x ≥ 0), by Rybicki's sum
/// D(x) = lim_{h→0} π^{−1/2} Σ_{n odd} e^{−(x − n h)²}/n with h = 0.4 and the twelve odd n
/// nearest x/h (relative error < 1e-6); its series below x = 0.2.
pub fn dawson(x: f64) -> f64 {
    if x < 0.2 {
        let x2 = x * x;
        return x * (1.0 - 2.0 / 3.0 * x2 * (1.0 - 0.4 * x2 * (1.0 - 2.0 / 7.0 * x2)));
    }
    let h = 0.4;
    let n0 = 2.0 * (0.5 * x / h).round();
    let mut sum = 0.0;
    for k in -6..6 {
        let n = n0 + (2 * k + 1) as f64;
        sum += (-(x - n * h).powi(2)).exp() / n;
    }
    sum / std::f64::consts::PI.sqrt()
}

/// ln Ĩ(b, h) (module docs): the near side u ∈ [0, 1] by trapezoids on n panels, the far
/// side u ∈ [u_a, 0] on a sinh-graded grid, each extrapolated (Richardson) from n and 2n.
pub fn ln_i_tilde(b: f64, h: f64) -> f64 {
    let n = 4096 + (64.0 * b) as usize;
    let near = |n: usize| near_side(b, h, n);
    let ((a1, inner0), (a2, _)) = (near(n), near(2 * n));
    let (f1, f2) = (far_side(b, h, inner0, 512), far_side(b, h, inner0, 1024));
    let total = (a2 + (a2 - a1) / 3.0) + (f2 + (f2 - f1) / 3.0);
    ((1.0 - h) * total).ln()
}

/// ∫_0^1 S(u)/((1 − u)(1 + z)) du with S(u) = e^{−bu²} ∫_u^1 e^{−b(1−w²)} dw, and S(0).
fn near_side(b: f64, h: f64, n: usize) -> (f64, f64) {
    let du = 1.0 / n as f64;
    let e = |w: f64| (-b * (1.0 - w * w)).exp();
    let mut inner = 0.0;
    let mut sum = 0.5 * (-b).exp() / 2.0; // u = 1: inner/(1 − u) → 1, z = 1
    for k in (0..n).rev() {
        let (u, u1) = (k as f64 * du, (k + 1) as f64 * du);
        inner += 0.5 * du * (e(u) + e(u1));
        let z = h + (1.0 - h) * u;
        let g = (-b * u * u).exp() * inner / ((1.0 - u) * (1.0 + z));
        sum += if k == 0 { 0.5 * g } else { g };
    }
    (sum * du, inner)
}

/// ∫_{u_a}^0 S(u)/((1 − u)(1 + z)) du, u_a = −κ(1 + h)/(1 − h), with
/// S(u) = e^{−bu²} S(0) + e^{−b} D(√b |u|)/√b; u = −s0 sinh t, t uniform on m panels.
fn far_side(b: f64, h: f64, inner0: f64, m: usize) -> f64 {
    let ua = KAPPA * (1.0 + h) / (1.0 - h);
    let s0 = 1.0 / b.max(1.0).sqrt();
    let t_end = (ua / s0).asinh();
    let dt = t_end / m as f64;
    let rb = b.sqrt();
    let g = |t: f64| {
        let u = s0 * t.sinh(); // |u|
        let z = h - (1.0 - h) * u;
        let s = (-b * u * u).exp() * inner0 + (-b).exp() * dawson(rb * u) / rb;
        s / ((1.0 + u) * (1.0 + z)) * s0 * t.cosh()
    };
    let mut sum = 0.5 * (g(0.0) + g(t_end));
    for k in 1..m {
        sum += g(k as f64 * dt);
    }
    sum * dt
}

/// ln of Brown's high-barrier Ĩ: √π (1 − h)/(2 b^{3/2} (1 + h)) (the Gaussian at the top, both
/// sides).
fn ln_i_asymptote(b: f64, h: f64) -> f64 {
    (std::f64::consts::PI.sqrt() * (1.0 - h) / (2.0 * b.powf(1.5) * (1.0 + h))).ln()
}

/// ln F(p) for one σ (module docs), tabulated in x = √σ (1 + p).
#[derive(Debug)]
pub struct AxialTable {
    pub sigma: f64,
    /// Node k holds x = X_MIN + (k − 1)·STEP.
    ln: Vec<f64>,
    ln_i0: f64,
    /// The asymptote's correction: ln Ĩ = asymptote + ln(1 + c/b) beyond the table.
    c: f64,
    x_end: f64,
    /// How far ln F can rise above a tangent on the disc |p| ≤ [`super::barrier::WEAK`].
    pub tangent_margin: f64,
}

impl AxialTable {
    fn new(sigma: f64) -> Self {
        let ln_i0 = if sigma <= B_TABLE { ln_i_tilde(sigma, 0.0) } else { f64::NAN };
        let x_top = 2.0 * sigma.sqrt(); // p = 1
        let x_end = B_TABLE.sqrt().min(x_top);
        let n = ((x_end - X_MIN).max(0.0) / STEP).ceil() as usize + 4;
        let h_of = |x: f64| (1.0 - x / sigma.sqrt()).max(-P_MAX);
        let raw: Vec<f64> = (0..n).map(|k| ln_i_tilde(x_node(k).powi(2), h_of(x_node(k)))).collect();
        let last = x_node(n - 3);
        let c = (raw[n - 3] - ln_i_asymptote(last * last, h_of(last))).exp_m1() * last * last;
        let mut t = AxialTable { sigma, ln: Vec::new(), ln_i0, c, x_end: last, tangent_margin: 0.0 };
        if sigma > B_TABLE {
            // Beyond the table: the asymptote, so that F(0) = 1 exactly.
            t.ln_i0 = ln_i_asymptote(sigma, 0.0) + (c / sigma).ln_1p();
        }
        t.ln = raw.iter().map(|r| t.ln_i0 - r).collect();
        t.check_disc();
        t
    }

    /// ln F at p.
    pub fn ln_factor(&self, p: f64) -> f64 {
        let p = p.min(P_MAX);
        let x = (self.sigma.sqrt() * (1.0 + p)).max(X_MIN);
        if x <= self.x_end {
            return cubic(&self.ln, x);
        }
        let b = x * x;
        self.ln_i0 - ln_i_asymptote(b, -p) - (self.c / b).ln_1p()
    }

    /// The tangent of ln F at p: (value, slope d ln F/dp) — the cubic's derivative times
    /// dx/dp = √σ in the table; beyond it, of 2 ln(1 + p) + ln(1 − p) − ln(1 + c/b); 0 where
    /// ln F is held.
    pub fn tangent(&self, p: f64) -> (f64, f64) {
        let value = self.ln_factor(p);
        let rs = self.sigma.sqrt();
        let x = rs * (1.0 + p);
        if p > P_MAX || x < X_MIN {
            return (value, 0.0);
        }
        if x <= self.x_end {
            return (value, rs * cubic_slope(&self.ln, x));
        }
        let (b, u) = (x * x, 1.0 + p);
        let corr = 2.0 * self.c / (self.sigma * u * u * u) / (1.0 + self.c / b);
        (value, 2.0 / u - 1.0 / (1.0 - p) + corr)
    }

    /// How far ln F rises above its tangents on the disc |p| ≤ WEAK + 0.01 (largest excess
    /// over 161 tangent points × 801 fields, plus 1e-6): zero where ln F is concave there
    /// (every σ above a few k_BT), so bounds built from tangents ([`Self::bound_tangent`]) hold.
    fn check_disc(&mut self) {
        let w = super::barrier::WEAK + 0.01;
        let grid = |n: usize| (0..=n).map(move |k| -w + 2.0 * w * k as f64 / n as f64);
        let v: Vec<(f64, f64)> = grid(800).map(|p| (p, self.ln_factor(p))).collect();
        let mut worst = 0.0f64;
        for p0 in grid(160) {
            let (f0, d) = self.tangent(p0);
            for &(p, f) in &v {
                worst = worst.max(f - (f0 + d * (p - p0)));
            }
        }
        self.tangent_margin = worst + 1e-6;
    }

    /// A tangent of ln F at p0 raised so that it lies above ln F on the whole disc:
    /// (value at p0, slope); ln F(p) ≤ value + slope·(p − p0) for |p| ≤ WEAK.
    pub fn bound_tangent(&self, p0: f64) -> (f64, f64) {
        let (f, d) = self.tangent(p0);
        (f + self.tangent_margin, d)
    }

    /// The table of σ, built once per distinct value and shared.
    pub fn shared(sigma: f64) -> Arc<AxialTable> {
        static CACHE: OnceLock<Mutex<HashMap<u64, Arc<AxialTable>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
        let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
        c.entry(sigma.to_bits()).or_insert_with(|| Arc::new(AxialTable::new(sigma))).clone()
    }
}

/// Spacing of the σ grid in ln σ: islands of any σ share tables at σ_k = e^{k·DELTA}.
pub const DELTA_LN_SIGMA: f64 = 0.05;

/// ln F of an island of any σ: linear in ln σ between the tables of the two grid values
/// around it (arrays with size disorder have as many σ as islands; the tables are shared),
/// within 3e-4 of the island's own table wherever the barrier is ≤ 100 k_BT (a test).
/// A convex combination of raised tangents is a raised tangent of the combination, so the
/// thinning bounds hold.
#[derive(Debug, Clone)]
pub struct AxialMix {
    lo: Arc<AxialTable>,
    hi: Arc<AxialTable>,
    /// Weight of `hi`.
    w: f64,
}

impl AxialMix {
    /// The mix for σ (k_BT units).
    pub fn for_sigma(sigma: f64) -> Self {
        let x = sigma.ln() / DELTA_LN_SIGMA;
        let k = x.floor();
        let (s0, s1) = ((k * DELTA_LN_SIGMA).exp(), ((k + 1.0) * DELTA_LN_SIGMA).exp());
        AxialMix { lo: AxialTable::shared(s0), hi: AxialTable::shared(s1), w: x - k }
    }

    /// ln F(p).
    #[inline]
    pub fn ln_factor(&self, p: f64) -> f64 {
        (1.0 - self.w) * self.lo.ln_factor(p) + self.w * self.hi.ln_factor(p)
    }

    /// A raised tangent (value at p0, slope) above ln F on the disc ([`AxialTable::bound_tangent`]).
    pub fn bound_tangent(&self, p0: f64) -> (f64, f64) {
        let ((a, da), (b, db)) = (self.lo.bound_tangent(p0), self.hi.bound_tangent(p0));
        ((1.0 - self.w) * a + self.w * b, (1.0 - self.w) * da + self.w * db)
    }
}

fn x_node(k: usize) -> f64 {
    X_MIN + (k as f64 - 1.0) * STEP
}

/// Catmull–Rom interpolation of nodes at [`x_node`].
fn cubic(t: &[f64], x: f64) -> f64 {
    let y = (x - X_MIN) / STEP + 1.0;
    let k = (y.floor() as usize).clamp(1, t.len() - 3);
    let w = y - k as f64;
    let (p0, p1, p2, p3) = (t[k - 1], t[k], t[k + 1], t[k + 2]);
    p1 + 0.5 * w * (p2 - p0 + w * (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3 + w * (3.0 * (p1 - p2) + p3 - p0)))
}

/// d/dx of [`cubic`].
fn cubic_slope(t: &[f64], x: f64) -> f64 {
    let y = (x - X_MIN) / STEP + 1.0;
    let k = (y.floor() as usize).clamp(1, t.len() - 3);
    let w = y - k as f64;
    let (p0, p1, p2, p3) = (t[k - 1], t[k], t[k + 1], t[k + 2]);
    let (a, b) = (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3, 3.0 * (p1 - p2) + p3 - p0);
    0.5 * (p2 - p0 + w * (2.0 * a + 3.0 * w * b)) / STEP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dawson_matches_quadrature() {
        for x in [0.0, 0.1, 0.19, 0.2, 0.5, 1.0, 1.5, 3.0, 7.0, 30.0] {
            // D(x) = ∫_0^x e^{−s(2x − s)} ds, Simpson on 200 000 panels.
            let n = 200_000;
            let d = x / n as f64;
            let f = |s: f64| (-s * (2.0 * x - s)).exp();
            let mut q = f(0.0) + f(x);
            for k in 1..n {
                q += if k % 2 == 1 { 4.0 } else { 2.0 } * f(k as f64 * d);
            }
            let q = q * d / 3.0;
            assert!((dawson(x) - q).abs() <= 1e-6 * q + 1e-12, "x = {x}: {} vs {q}", dawson(x));
        }
    }

    #[test]
    fn at_zero_field_it_is_twice_the_top_integral_at_high_barriers_and_one() {
        // MFPT to the far side = 2 T_top (1 + O(1/σ)).
        for sigma in [6.0, 22.0, 150.0] {
            let j = (2.0 * super::super::prefactor::j_integral(sigma, 200_000)).ln();
            let d = ln_i_tilde(sigma, 0.0) - j;
            eprintln!("σ = {sigma}: ln Ĩ − ln 2J = {d:.3e}");
            assert!(d.abs() < 1.0 / sigma, "σ = {sigma}: {d}");
        }
        for sigma in [3.0, 22.0, 1000.0, 1e5] {
            assert!(AxialTable::shared(sigma).ln_factor(0.0).abs() < 1e-6, "σ = {sigma}");
        }
    }

    #[test]
    fn high_barriers_give_brown_s_factor() {
        // F → (1 − p²)(1 + p) with relative corrections O(1/b).
        for sigma in [400.0, 3000.0, 1e5] {
            let t = AxialTable::shared(sigma);
            for p in [-0.5, -0.2, 0.3, 0.6] {
                let b = sigma * (1.0 + p) * (1.0 + p);
                let brown = ((1.0 - p * p) * (1.0 + p)).ln();
                assert!((t.ln_factor(p) - brown).abs() < 12.0 / b + 3.0 / sigma, "σ = {sigma}, p = {p}");
            }
        }
    }

    #[test]
    fn the_table_matches_direct_quadrature() {
        for sigma in [2.0, 30.0, 700.0, 2e4] {
            let t = AxialTable::shared(sigma);
            let ln_i0 = ln_i_tilde(sigma.min(B_TABLE), 0.0);
            for k in 0..200 {
                let x = X_MIN + k as f64 * 0.0731;
                let p = x / sigma.sqrt() - 1.0;
                if x * x > B_TABLE - 2.0 || p >= 0.75 || sigma > B_TABLE {
                    continue;
                }
                let direct = ln_i0 - ln_i_tilde(x * x, -p);
                assert!((t.ln_factor(p) - direct).abs() < 1e-5, "σ = {sigma}, p = {p}: {} vs {direct}", t.ln_factor(p));
            }
        }
    }

    #[test]
    fn interpolation_in_sigma_is_within_5e_4_of_the_island_s_own_table() {
        // Wherever the barrier is ≤ 100 k_BT (beyond, ν < 1e-43 f0: no event ever happens).
        let mut worst = 0.0f64;
        for k in 0..16 {
            let sigma = 3.0 * (2.0f64).powi(k) * 1.013; // off the grid
            let (own, mix) = (AxialTable::new(sigma), AxialMix::for_sigma(sigma));
            for j in 0..=80 {
                let p = -0.98 + 1.9 * j as f64 / 80.0;
                if sigma * (1.0 + p) * (1.0 + p) <= 100.0 {
                    worst = worst.max((own.ln_factor(p) - mix.ln_factor(p)).abs());
                }
            }
        }
        eprintln!("worst |Δ ln F| from interpolating in σ: {worst:.2e}");
        assert!(worst < 5e-4, "{worst}");
    }

    #[test]
    fn the_tangent_slope_is_the_derivative() {
        for sigma in [2.0, 30.0, 400.0, 1e4] {
            let t = AxialTable::shared(sigma);
            for p in [-0.9, -0.5, -0.1, 0.0, 0.2, 0.45, 0.8] {
                let d = 1e-6;
                let fd = (t.ln_factor(p + d) - t.ln_factor(p - d)) / (2.0 * d);
                let (v, slope) = t.tangent(p);
                assert_eq!(v, t.ln_factor(p));
                assert!((slope - fd).abs() < 1e-4 * (1.0 + fd.abs()), "σ = {sigma}, p = {p}: {slope} vs {fd}");
            }
        }
    }

    #[test]
    fn raised_tangents_bound_ln_f_on_the_disc_and_are_tight_above_a_few_kt() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let w = crate::kmc::barrier::WEAK;
        for sigma in [0.7, 2.0, 8.0, 22.0, 100.0, 400.0, 1000.0, 1e5] {
            let t = AxialTable::shared(sigma);
            if sigma >= 20.0 {
                assert!(t.tangent_margin < 1e-5, "σ = {sigma}: margin {}", t.tangent_margin);
            }
            for _ in 0..2000 {
                let (p0, p) = (rng.random_range(-w..w), rng.random_range(-w..w));
                let (f, d) = t.bound_tangent(p0);
                assert!(t.ln_factor(p) <= f + d * (p - p0), "σ = {sigma}: p0 = {p0}, p = {p}");
            }
        }
    }
}
