//! Upper bounds of the KMC rates from linearised saddle barriers (for thinning, [`super`]).
//!
//! **The saddle barriers are convex in the field.** With F_k(h) = f(θ_k(h); h) the energy of a
//! stationary point θ_k of f(θ) = sin²θ − 2 h·u(θ) (units of K V; u the unit vector at θ, h the
//! reduced field in any fixed frame), the envelope theorem gives ∇F_k = −2 u(θ_k), and
//! differentiating f′(θ_k(h); h) = 0 gives ∇θ_k = 2 u′(θ_k)/f″(θ_k), so
//! $$ \nabla^2 F_k = -\frac{4\, u'(\theta_k)\, u'(\theta_k)^{\mathsf T}}{f''(\theta_k)} . $$
//! A maximum (f″ < 0) has a positive semi-definite Hessian and a minimum a negative one, so a
//! saddle barrier s_k = F_max,k − F_min is convex wherever its two stationary points exist and
//! are non-degenerate — inside the astroid, in particular on the disc |h| < [`WEAK`] (the
//! astroid's nearest point is at |h| = 1/2). On that disc it lies above its tangent plane at
//! any anchor h0:
//! $$ s_k(h) \ge s_k(h_0) - 2\,(u_{max,k} - u_{min})\cdot(h - h_0). $$
//!
//! **So does the rate.** With a_k = σ s_k (units of k_BT) the rate of [`super::ring`] is
//! ν = f0 e^{−A} G(σ_z, B)/G(σ_z, 0), A = (a_1 + a_2)/2, B = (a_2 − a_1)/2, and
//! −A + B cos φ = −[a_1 (1 + cos φ) + a_2 (1 − cos φ)]/2 is, for every φ of the ring integral, a
//! decreasing function of both a_k: replacing each a_k by its tangent-plane lower bound
//! ā_k ≤ a_k raises the integrand everywhere, so ν(h) ≤ ν̄(h), the same formula at (ā_1, ā_2).
//! ν̄ costs two dot products, one ring-table look-up and one exp — no stationary points.
//!
//! **Balls.** ln ν̄ has gradient −[(1 − g) ∇ā_1 + (1 + g) ∇ā_2]/2 with g = ∂ln G/∂B ∈ [−1, 1]
//! (a mean of cos φ): a convex combination of −∇ā_k, so it is L-Lipschitz with
//! L = max_k |∇ā_k|. A bound ν̂ = ν̄(B_c) e^{L r} therefore holds for every field within r of
//! B_c (and inside the disc); an island keeps it until a flip moves its field out of the ball.
//! The bound takes ln G from the chords of its table ([`RingTable::ln_ratio_above`]: ln G is
//! convex in B, so they lie above it, and their slopes lie in [0, 1] too); the exact rate's
//! cubic interpolation (error < 1e-6 in ln G) and the Newton tolerance of the stationary
//! points (|f′| < 1e-9) are covered by a margin of 1e-5 + 2e-8 σ in ln ν̂.

use super::barrier::{Points, WEAK};
use super::ring::RingTable;

/// Per island, constant: easy axis, Ms/(2K) (1/T), σ = K V/k_BT, f0 (Hz) and its log, the
/// index of its saddle-ring table and of its axial-prefactor table ([`super::axial`];
/// u32::MAX: a constant f0).
#[derive(Clone, Copy, Debug, Default)]
pub struct Site {
    pub ax: f64,
    pub ay: f64,
    pub scale: f64,
    pub sigma: f64,
    pub f0: f64,
    pub ln_f0: f64,
    pub ring: u32,
    pub axial: u32,
}

/// An island's linearised saddle exponents (one cache line): ā_k(b) = c_k + g_k·b, b the
/// island's dipolar field (T; the applied field, held, is folded into c_k), lower bounds of
/// σ s_k − ln f0 less the margin, so that
/// ln ν̄ = −(ā_1 + ā_2)/2 + ln G(σ_z, |ā_2 − ā_1|/2)/G(σ_z, 0) ≥ ln ν.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(64))]
pub struct Plane {
    pub c1: f64,
    pub g1x: f64,
    pub g1y: f64,
    pub c2: f64,
    pub g2x: f64,
    pub g2y: f64,
    /// L ≥ max |g_k| (1/T; rounded up).
    pub lip: f32,
    /// [`WEAK`]·2K/Ms (T; rounded down): the planes hold while the total field is shorter;
    /// 0 if there are none (the anchor field was outside the disc).
    pub room: f32,
    /// The island's saddle-ring table.
    pub ring: u32,
}

impl Plane {
    /// The tangent planes of island `site`'s saddle exponents at the dipolar field `b_dip` (T)
    /// where its stationary points `pts` were found (in the frame of its moment with spin
    /// `s_pts`), for the state s_pts (`other` = false) or the reversed one. `axial` = (v, d):
    /// a raised tangent of the field factor, ln F(p) ≤ v + d (p − p0) on the disc, p the
    /// state's reduced field along its moment and p0 its value at `b_dip`
    /// ([`super::axial::AxialTable::bound_tangent`]; (0, 0) for a constant f0), folded into
    /// both planes: ā_k − [v + d (p − p0)] stays below the exponent σ s_k − ln f0 − ln F.
    pub fn new(pts: &Points, other: bool, s_pts: f64, site: &Site, b_dip: (f64, f64), axial: (f64, f64)) -> Self {
        let Site { scale, sigma, ln_f0, ring, .. } = *site;
        let (ex, ey) = (s_pts * site.ax, s_pts * site.ay);
        let lab = |k: usize| (pts.c[k] * ex - pts.s[k] * ey, pts.c[k] * ey + pts.s[k] * ex);
        let m = usize::from(other);
        let (mx, my) = lab(m);
        let g = -2.0 * scale * sigma;
        let margin = 1e-5 + 2e-8 * sigma;
        // ∂p/∂b of the state's reduced field along its moment.
        let st = if other { -1.0 } else { 1.0 };
        let (px, py) = (st * scale * ex * axial.1, st * scale * ey * axial.1);
        let plane = |k: usize| {
            let (ux, uy) = lab(k);
            let (gx, gy) = (g * (ux - mx) - px, g * (uy - my) - py);
            (sigma * (pts.f[k] - pts.f[m]) - gx * b_dip.0 - gy * b_dip.1 - ln_f0 - margin - axial.0, gx, gy)
        };
        let ((c1, g1x, g1y), (c2, g2x, g2y)) = (plane(2), plane(3));
        let lip = (g1x * g1x + g1y * g1y).max(g2x * g2x + g2y * g2y).sqrt();
        let up = |x: f64| if (x as f32 as f64) < x { (x as f32).next_up() } else { x as f32 };
        let down = |x: f64| if (x as f32 as f64) > x { (x as f32).next_down() } else { x as f32 };
        Plane { c1, g1x, g1y, c2, g2x, g2y, lip: up(lip), room: down(WEAK / scale), ring }
    }

    /// ln ν̄ (ν̄ in Hz) at the dipolar field `b` (T): the rate's upper bound from the planes.
    #[inline]
    pub fn ln_bound(&self, b: (f64, f64), ring: &RingTable) -> f64 {
        let a1 = self.c1 + self.g1x * b.0 + self.g1y * b.1;
        let a2 = self.c2 + self.g2x * b.0 + self.g2y * b.1;
        -0.5 * (a1 + a2) + ring.ln_ratio_above(0.5 * (a2 - a1).abs())
    }
}

/// An upper bound of e^x (relative excess 1e-12 at most): 2^k e^r with r = x − k ln 2 in
/// [−0.35, 0.35], e^r by its Taylor polynomial to r¹¹ (remainder < 1e-14), times 1 + 1e-12;
/// e^x itself outside (−700, 700). No library call: a bound is set for most neighbours of
/// every flip.
#[inline]
pub fn exp_above(x: f64) -> f64 {
    if !(x > -700.0 && x < 700.0) {
        return x.exp();
    }
    // Adding 1.5·2^52 rounds to an integer; ln 2 in two parts so that k·LN2_HI is exact.
    const SHIFT: f64 = 6_755_399_441_055_744.0;
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    let k = (x * std::f64::consts::LOG2_E + SHIFT) - SHIFT;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Horner: 1 + r(1 + r/2(1 + r/3(… (1 + r/11)))).
    const INV: [f64; 11] = [
        1.0,
        1.0 / 2.0,
        1.0 / 3.0,
        1.0 / 4.0,
        1.0 / 5.0,
        1.0 / 6.0,
        1.0 / 7.0,
        1.0 / 8.0,
        1.0 / 9.0,
        1.0 / 10.0,
        1.0 / 11.0,
    ];
    let mut p = 1.0;
    for inv in INV.iter().rev() {
        p = 1.0 + r * inv * p;
    }
    let e = p * f64::from_bits(((k as i64 + 1023) as u64) << 52);
    e * (1.0 + 1e-12)
}

/// The least slack L r of a ball (ln ν̂ − ln ν̄ at its centre): wider balls mean fewer new
/// bounds per flip and more rejected candidates; 0.3 balances them on the benchmark array.
pub const SLACK: f64 = 0.3;

/// The radius (T) of the ball of a bound with ln ν̄ = `x` and Lipschitz constant `lip` (1/T),
/// `room` (T) from the edge of the disc, and the slack L r it costs in ln ν̂: [`SLACK`] for a
/// rate at or above e^{`ln_eps`} (a share of the mean bound), growing as ln(ε/ν̄) for slower
/// islands (their slack costs little in absolute terms) up to 3.
#[inline]
pub fn ball(lip: f64, room: f64, x: f64, ln_eps: f64) -> (f64, f64) {
    let slack = ((ln_eps - x).max(0.0) + SLACK).min(3.0);
    let room = room.max(0.0);
    let r = if lip > 0.0 { (slack / lip).min(room) } else { room };
    (r, r * lip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kmc::axial::AxialTable;
    use crate::kmc::barrier::{reduced_saddles, weak_points};
    use crate::kmc::ring::ln_rate_factor;
    use rand::{RngExt, SeedableRng};
    use std::f64::consts::PI;

    /// A random field (T) whose reduced magnitude scale·|B| is below `r`.
    fn field_in(rng: &mut rand_chacha::ChaCha8Rng, r: f64, scale: f64) -> (f64, f64) {
        let (rho, phi) = (r * rng.random::<f64>().sqrt(), rng.random_range(0.0..2.0 * PI));
        (rho * phi.cos() / scale, rho * phi.sin() / scale)
    }

    /// An island with axis at angle `psi`, spin `s`, σ, scale Ms/(2K) (1/T): ln(ν/f0) exactly
    /// in the field `b` (T), from the saddle barriers of the state s, with the axial factor
    /// of `axial` if given.
    fn exact_ln(
        psi: f64,
        s: f64,
        sigma: f64,
        scale: f64,
        b: (f64, f64),
        ring: &RingTable,
        axial: Option<&AxialTable>,
    ) -> f64 {
        let (ax, ay) = (psi.cos(), psi.sin());
        let (pa, qa) = ((b.0 * ax + b.1 * ay) * scale, (b.1 * ax - b.0 * ay) * scale);
        let (lo, hi) = reduced_saddles(s * pa, s * qa);
        ln_rate_factor(sigma * lo, sigma * hi, ring) + axial.map_or(0.0, |t| t.ln_factor(s * pa))
    }

    #[test]
    fn exp_above_bounds_exp_from_above_within_1e_12() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        for k in 0..200_000 {
            let x = if k % 2 == 0 { rng.random_range(-750.0..750.0) } else { rng.random_range(-3.0..3.0) };
            let (a, e) = (exp_above(x), x.exp());
            assert!(a >= e && a <= e * (1.0 + 2e-12), "x = {x}: {a} vs {e}");
        }
    }

    #[test]
    fn the_linearised_bound_lies_above_the_exact_rate_everywhere_on_the_disc() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut worst_tight = 0.0f64;
        for case in 0..4000 {
            let sigma = [0.5, 6.0, 22.0, 80.0, 400.0][case % 5];
            let ring = RingTable::shared([0.0, 13.4, 1300.0][case % 3]);
            let scale = [65.9, 1.0, 4e3][case % 3];
            let psi = rng.random_range(0.0..2.0 * PI);
            let s = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            let other = rng.random_bool(0.3);
            let b0 = field_in(&mut rng, WEAK, scale);
            let (ax, ay) = (psi.cos(), psi.sin());
            let (pa, qa) = ((b0.0 * ax + b0.1 * ay) * scale, (b0.1 * ax - b0.0 * ay) * scale);
            let pts = weak_points(s * pa, s * qa).expect("four stationary points on the disc");
            let site = Site { ax, ay, scale, sigma, f0: 1.0, ln_f0: 0.0, ring: 0, axial: u32::MAX };
            let state = if other { -s } else { s };
            // Every other case with the field-dependent prefactor along the axis.
            let table = (case % 2 == 1).then(|| AxialTable::shared(sigma));
            let axial = table.as_ref().map_or((0.0, 0.0), |t| t.bound_tangent(state * pa));
            let a = Plane::new(&pts, other, s, &site, b0, axial);
            let exact_ln = |psi, s, sigma, scale, b, ring| exact_ln(psi, s, sigma, scale, b, ring, table.as_deref());
            // At the anchor the bound is the exact rate plus the margin and at most the chord's
            // excess (STEP²/8 = 3.05e-5 in ln G).
            let at = a.ln_bound(b0, &ring) - exact_ln(psi, state, sigma, scale, b0, &ring);
            let tangent_margin = table.as_ref().map_or(0.0, |t| t.tangent_margin);
            assert!(at > 0.0 && at < 1e-5 + 2e-8 * sigma + 3.1e-5 + tangent_margin, "case {case}: at the anchor {at}");
            for _ in 0..20 {
                let b = field_in(&mut rng, WEAK, scale);
                let gap = a.ln_bound(b, &ring) - exact_ln(psi, state, sigma, scale, b, &ring);
                assert!(gap > 0.0, "case {case}: bound below the exact rate by {gap} at {b:?} (anchor {b0:?})");
                // Near the anchor the bound is tight to second order: σ·O(|Δh|²).
                let dh = scale * ((b.0 - b0.0).powi(2) + (b.1 - b0.1).powi(2)).sqrt();
                if dh > 1e-3 && dh < 0.01 && tangent_margin < 1e-5 {
                    worst_tight = worst_tight.max((gap - 4.1e-5 - 2e-8 * sigma) / (sigma * dh * dh));
                }
            }
            // The ball: every field within r of its centre is bounded by ν̄(centre) e^{L r}.
            let c = field_in(&mut rng, WEAK, scale);
            let room = a.room as f64 - (c.0 * c.0 + c.1 * c.1).sqrt();
            let x = a.ln_bound(c, &ring);
            let (r, slack) = ball(a.lip as f64, room, x, x + rng.random_range(-2.0..4.0));
            for _ in 0..10 {
                let phi = rng.random_range(0.0..2.0 * PI);
                let rho = r * rng.random::<f64>().sqrt();
                let b = (c.0 + rho * phi.cos(), c.1 + rho * phi.sin());
                let e = exact_ln(psi, state, sigma, scale, b, &ring);
                assert!(e < x + slack, "case {case}: exact {e} above the ball's bound {}", x + slack);
            }
        }
        // Tangent planes of barriers whose curvature is O(1): the gap is σ·O(|Δh|²).
        eprintln!("worst (gap − margin)/(σ|Δh|²) near the anchor: {worst_tight}");
        assert!(worst_tight < 20.0, "the bound is loose near its anchor: {worst_tight}");
    }
}
