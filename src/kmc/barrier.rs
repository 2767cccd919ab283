//! The energy barrier of a Stoner–Wohlfarth island in an in-plane field, exact for tilted
//! fields. With θ the in-plane angle of the moment from its current state s·ê, the energy in
//! units of K V (K the effective uniaxial constant, J/m³) is
//! $$ f(\theta) = \sin^2\theta - 2p\cos\theta - 2q\sin\theta,\qquad
//!    p = \frac{M_s B_\parallel}{2K},\; q = \frac{M_s B_\perp}{2K}, $$
//! B_∥ the field along the current moment and B_⊥ across it. The stationary points solve
//! f′(θ) = sin 2θ + 2p sin θ − 2q cos θ = 0 (two or four on the circle). The barrier out of
//! the current well is ΔE = K V · (min over the well's two maxima of f − f(well's minimum)).
//! Zero if the current state has no well (outside the astroid), infinite if the other state
//! has none (nowhere to go).

use std::f64::consts::PI;

/// Grid on which the sign changes of f′ are located (then refined by safeguarded Newton).
const GRID: usize = 24;

fn f(t: f64, p: f64, q: f64) -> f64 {
    let (s, c) = t.sin_cos();
    s * s - 2.0 * p * c - 2.0 * q * s
}

fn df(t: f64, p: f64, q: f64) -> f64 {
    let (s, c) = t.sin_cos();
    2.0 * s * c + 2.0 * p * s - 2.0 * q * c
}

fn ddf(t: f64, p: f64, q: f64) -> f64 {
    let (s, c) = t.sin_cos();
    2.0 * (c * c - s * s) + 2.0 * p * c + 2.0 * q * s
}

fn dddf(t: f64, p: f64, q: f64) -> f64 {
    let (s, c) = t.sin_cos();
    -8.0 * s * c - 2.0 * p * s + 2.0 * q * c
}

/// The root of g in [a, b] (g(a), g(b) of opposite signs; g′ = `gp`): Newton steps kept
/// inside the shrinking bracket, bisection when a step would leave it.
fn root(g: impl Fn(f64) -> f64, gp: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let ga = g(a);
    let mut x = 0.5 * (a + b);
    for _ in 0..80 {
        let gx = g(x);
        if gx == 0.0 || (b - a) < 1e-14 {
            return x;
        }
        if (gx > 0.0) == (ga > 0.0) {
            a = x;
        } else {
            b = x;
        }
        let step = gx / gp(x);
        let next = x - step;
        if step.abs() < 1e-14 {
            return next;
        }
        x = if next > a && next < b && step.is_finite() { next } else { 0.5 * (a + b) };
    }
    x
}

/// The roots of f′ in [t0, t0 + h] where f′ has the values d0, d1 at the ends: one if the
/// signs differ; two if they agree but f′ has an extremum inside (f″ changes sign) of the
/// other sign — a minimum and maximum closer than the grid, as near the astroid.
fn roots_in(t0: f64, h: f64, d0: f64, d1: f64, p: f64, q: f64, out: &mut Vec<(f64, bool)>) {
    let g = |t| df(t, p, q);
    let gp = |t| ddf(t, p, q);
    let t1 = t0 + h;
    // (root, is a minimum of f)
    if (d0 < 0.0) != (d1 < 0.0) {
        out.push((root(g, gp, t0, t1), d0 < 0.0));
        return;
    }
    let (e0, e1) = (ddf(t0, p, q), ddf(t1, p, q));
    if (e0 < 0.0) == (e1 < 0.0) {
        return;
    }
    let e = root(gp, |t| dddf(t, p, q), t0, t1);
    if (df(e, p, q) < 0.0) != (d0 < 0.0) {
        out.push((root(g, gp, t0, e), d0 < 0.0));
        out.push((root(g, gp, e, t1), d0 >= 0.0));
    }
}

/// The barrier (units of K V) out of the current state of an island whose field has the
/// reduced components p (along the current moment) and q (across): see the module docs.
///
/// ```
/// use nanomag::kmc::barrier::reduced_barrier;
/// // Half the anisotropy field along the moment deepens its well: ΔE = (1 + ½)² K V.
/// assert!((reduced_barrier(0.5, 0.0) - 2.25).abs() < 1e-12);
/// // Past the astroid against the moment the well is gone.
/// assert_eq!(reduced_barrier(-1.1, 0.0), 0.0);
/// ```
pub fn reduced_barrier(p: f64, q: f64) -> f64 {
    reduced_saddles(p, q).0
}

/// Both saddle barriers (units of K V) out of the current well, (lower, higher): the two
/// in-plane maxima of f adjacent to the well minus f at its minimum. (0, ∞) if the current
/// state has no well, (∞, ∞) if the reversed state has none. In a weak field (|h| < 0.4) the
/// stationary points are found by Newton's method from their first-order positions.
pub fn reduced_saddles(p: f64, q: f64) -> (f64, f64) {
    weak_field_saddles(p, q).unwrap_or_else(|| grid_saddles(p, q))
}

/// The unit vector (1, x)/√(1 + x²) turned by a quarter turn `k` times (k = 0, 1, 2, −1).
fn start(x: f64, k: i32) -> (f64, f64) {
    let n = 1.0 / (1.0 + x * x).sqrt();
    match k {
        0 => (n, x * n),
        1 => (-x * n, n),
        2 => (-n, -x * n),
        _ => (x * n, -n),
    }
}

/// Reduced field |h| below which the stationary points are found by Newton's method from
/// their first-order positions (inside the astroid, whose nearest point is at |h| = 1/2).
pub const WEAK: f64 = 0.4;

/// The four stationary points of f in a weak field (|h| < [`WEAK`]), in the frame of the
/// current moment: 0 the current well's minimum (θ ≈ 0), 1 the other well's (θ ≈ π), 2 and 3
/// the maxima near +π/2 and −π/2 (the two saddles); cos θ, sin θ and f(θ) of each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Points {
    pub c: [f64; 4],
    pub s: [f64; 4],
    pub f: [f64; 4],
}

impl Points {
    /// The saddle barriers (units of K V) out of the current well, or out of the other one
    /// (`other`): (over the maximum near +π/2, over the one near −π/2).
    #[inline]
    pub fn saddles(&self, other: bool) -> (f64, f64) {
        let m = self.f[usize::from(other)];
        ((self.f[2] - m).max(0.0), (self.f[3] - m).max(0.0))
    }
}

/// The stationary points in a weak field: Newton on f′ from the first-order positions
/// (θ ≈ q/(1 + p), π − q/(1 − p), π/2 + p/(1 − q), −π/2 + p/(1 + q)), the four solves in
/// lock step (vectorised where the CPU has AVX2; the same arithmetic, so the same numbers),
/// until every |f′| < 1e-9 (θ within ~1e-9, f to rounding). None if |h| ≥ [`WEAK`] or a solve
/// does not converge to the point expected (the caller then searches the whole circle).
pub fn weak_points(p: f64, q: f64) -> Option<Points> {
    if p * p + q * q >= WEAK * WEAK {
        return None;
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the running CPU reports AVX2.
        return unsafe { weak_points_avx2(p, q) };
    }
    newton4(p, q)
}

/// [`newton4`] compiled for AVX2 (no FMA: results identical to the plain build).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn weak_points_avx2(p: f64, q: f64) -> Option<Points> {
    newton4(p, q)
}

/// Four lanes of f64 (the four stationary points), operated on element by element.
type L4 = [f64; 4];

#[inline(always)]
fn lanes(f: impl Fn(usize) -> f64) -> L4 {
    [f(0), f(1), f(2), f(3)]
}

/// The four Newton solves of [`weak_points`] in lock step: every round evaluates f′ and f″ in
/// all lanes and steps all (a converged lane by ~1e-9, which only refines it) — written lane
/// by lane so that the compiler keeps the lanes in vector registers.
#[inline(always)]
fn newton4(p: f64, q: f64) -> Option<Points> {
    let st = [start(q / (1.0 + p), 0), start(-q / (1.0 - p), 2), start(p / (1.0 - q), 1), start(-p / (1.0 + q), -1)];
    let (mut c, mut s): (L4, L4) = (lanes(|k| st[k].0), lanes(|k| st[k].1));
    for _ in 0..12 {
        // f′ = 2sc + 2ps − 2qc, f″ = 2(c² − s²) + 2pc + 2qs.
        let d1 = lanes(|k| 2.0 * s[k] * c[k] + 2.0 * p * s[k] - 2.0 * q * c[k]);
        let d2 = lanes(|k| 2.0 * (c[k] * c[k] - s[k] * s[k]) + 2.0 * p * c[k] + 2.0 * q * s[k]);
        if d1.iter().all(|x| x.abs() < 1e-9) {
            let distinct = (c[2] - c[3]).abs() + (s[2] - s[3]).abs() >= 1e-6;
            let kinds = d2[0] > 0.0 && d2[1] > 0.0 && d2[2] < 0.0 && d2[3] < 0.0;
            if !(kinds && c[0] > 0.0 && c[1] < 0.0 && distinct) {
                return None;
            }
            let f = lanes(|k| s[k] * s[k] - 2.0 * p * c[k] - 2.0 * q * s[k]);
            return Some(Points { c, s, f });
        }
        // Step −f′/f″ (at most ½), by a rotation of (c, s) (Taylor sin and cos, exact to d⁷ and d⁶; renormalised).
        let d = lanes(|k| (-d1[k] / d2[k]).clamp(-0.5, 0.5));
        let dd = lanes(|k| d[k] * d[k]);
        let sd = lanes(|k| d[k] * (1.0 - dd[k] / 6.0 * (1.0 - dd[k] / 20.0)));
        let cd = lanes(|k| 1.0 - dd[k] / 2.0 * (1.0 - dd[k] / 12.0));
        let c1 = lanes(|k| c[k] * cd[k] - s[k] * sd[k]);
        let s1 = lanes(|k| s[k] * cd[k] + c[k] * sd[k]);
        let inv = lanes(|k| 1.0 / (c1[k] * c1[k] + s1[k] * s1[k]).sqrt());
        c = lanes(|k| c1[k] * inv[k]);
        s = lanes(|k| s1[k] * inv[k]);
    }
    None
}

/// The saddle barriers in a weak field, (lower, higher): see [`weak_points`].
fn weak_field_saddles(p: f64, q: f64) -> Option<(f64, f64)> {
    let (a, b) = weak_points(p, q)?.saddles(false);
    Some((a.min(b), a.max(b)))
}

/// The saddle barriers from all stationary points on the circle (see the module docs).
pub fn grid_saddles(p: f64, q: f64) -> (f64, f64) {
    let h = 2.0 * PI / GRID as f64;
    // Offset so that no grid point falls on the symmetric points 0, ±π/2, π of a field along
    // an axis; the last interval wraps around to the first point.
    let start = -PI + 0.371_1 * h;
    let d: Vec<f64> = (0..GRID).map(|k| df(start + k as f64 * h, p, q)).collect();
    let mut found: Vec<(f64, bool)> = Vec::with_capacity(4);
    for k in 0..GRID {
        roots_in(start + k as f64 * h, h, d[k], d[(k + 1) % GRID], p, q, &mut found);
    }
    let minima: Vec<f64> = found.iter().filter(|r| r.1).map(|r| r.0).collect();
    let maxima: Vec<f64> = found.iter().filter(|r| !r.1).map(|r| r.0).collect();
    // The current well: the minimum nearest θ = 0.
    let Some(&cur) = minima.iter().max_by(|a, b| a.cos().total_cmp(&b.cos())) else {
        return (0.0, f64::INFINITY);
    };
    if cur.cos() <= 0.0 {
        return (0.0, f64::INFINITY); // the current state has no well: it flips at once
    }
    if minima.len() < 2 || maxima.is_empty() {
        return (f64::INFINITY, f64::INFINITY); // the reversed state has no well
    }
    let fm = f(cur, p, q);
    let tops: Vec<f64> = maxima.iter().map(|&t| (f(t, p, q) - fm).max(0.0)).collect();
    let lo = tops.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = tops.iter().copied().fold(lo, f64::max);
    (lo, hi)
}

/// The barrier ΔE (J) out of state s of an island of effective anisotropy `k` (J/m³), volume
/// `v` (m³) and magnetisation `ms` (A/m) in a field with components `b_par` along its current
/// moment and `b_perp` across it (T).
pub fn barrier(k: f64, v: f64, ms: f64, b_par: f64, b_perp: f64) -> f64 {
    let scale = ms / (2.0 * k);
    k * v * reduced_barrier(b_par * scale, b_perp * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_along_the_axis_gives_one_minus_h_squared() {
        for h in [-0.9, -0.5, -0.1, 0.0, 0.3, 0.8] {
            // p is the field along the moment: a field against it (p < 0) lowers the barrier.
            let b = reduced_barrier(h, 0.0);
            assert!((b - (1.0 + h) * (1.0 + h)).abs() < 1e-12, "h = {h}: {b}");
        }
        assert_eq!(reduced_barrier(-1.2, 0.0), 0.0);
        assert_eq!(reduced_barrier(1.2, 0.0), f64::INFINITY);
    }

    #[test]
    fn the_barrier_vanishes_on_the_stoner_wohlfarth_astroid() {
        // Field at ψ from the axis, against the moment, at the SW switching field h_sw(ψ):
        // the barrier closes as (h_sw − h)^{3/2}.
        for psi_deg in [10.0f64, 30.0, 45.0, 70.0] {
            let psi = psi_deg.to_radians();
            let h_sw = 1.0 / (psi.cos().powf(2.0 / 3.0) + psi.sin().powf(2.0 / 3.0)).powf(1.5);
            let at = |h: f64| reduced_barrier(-h * psi.cos(), h * psi.sin());
            assert!(at(1.001 * h_sw) == 0.0, "ψ = {psi_deg}°");
            let (b1, b2) = (at(0.99 * h_sw), at(0.96 * h_sw));
            assert!(b1 > 0.0 && b2 > b1);
            let ratio = b2 / b1; // (4/1)^{3/2} = 8 near the astroid
            assert!((ratio - 8.0).abs() < 0.5, "ψ = {psi_deg}°: {ratio}");
        }
    }

    #[test]
    fn a_perpendicular_field_lowers_the_barrier_as_one_minus_q_squared() {
        // p = 0: minimum at sin θ = q (f = −q²), maxima at θ = ±π/2 (f = 1 ∓ 2q): ΔE = (1 − q)².
        for q in [0.1, 0.4, 0.7] {
            let b = reduced_barrier(0.0, q);
            assert!((b - (1.0 - q) * (1.0 - q)).abs() < 1e-10, "q = {q}: {b}");
        }
    }

    /// The barrier by brute force on a dense grid: the walk uphill from the current well's
    /// minimum to the first maximum on either side.
    fn dense(p: f64, q: f64) -> f64 {
        let n = 200_000;
        let t = |k: usize| -PI + 2.0 * PI * k as f64 / n as f64;
        let v: Vec<f64> = (0..n).map(|k| f(t(k), p, q)).collect();
        let at = |k: isize| v[k.rem_euclid(n as isize) as usize];
        let minima: Vec<isize> = (0..n as isize).filter(|&k| at(k) < at(k - 1) && at(k) <= at(k + 1)).collect();
        let cur = *minima.iter().max_by(|a, b| t(**a as usize).cos().total_cmp(&t(**b as usize).cos())).unwrap();
        if t(cur as usize).cos() <= 0.0 {
            return 0.0;
        }
        if minima.len() < 2 {
            return f64::INFINITY;
        }
        let climb = |dir: isize| {
            let mut k = cur;
            while at(k + dir) > at(k) {
                k += dir;
            }
            at(k)
        };
        climb(1).min(climb(-1)) - at(cur)
    }

    #[test]
    fn the_barrier_equals_a_brute_force_search_for_any_in_plane_field() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..300 {
            let r = if rng.random_bool(0.5) { 0.45 } else { 1.7 };
            let (p, q) = (rng.random_range(-r..r), rng.random_range(-r..r));
            let (exact, brute) = (reduced_barrier(p, q), dense(p, q));
            if brute.is_infinite() || exact.is_infinite() {
                assert_eq!(exact, brute, "p = {p}, q = {q}");
            } else {
                assert!((exact - brute).abs() < 1e-6, "p = {p}, q = {q}: {exact} vs {brute}");
            }
        }
    }
}
