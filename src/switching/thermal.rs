//! flatspin's thermal model (flatspin 2.6, `SpinIce.update_thermal_noise`; Jensen et al.,
//! Phys. Rev. B 106, 064408 (2022)): before every relaxation each island gets a random field
//! h_th, fixed in the lab frame until the next field step, whose magnitude is drawn so that
//! crossing the astroid by it has the Néel–Arrhenius probability of one or more flips in the
//! thermal time step Δt, and whose direction is the shortest way out of the island's astroid
//! from the field it feels without it:
//! $$ |h_{th}| = -\frac{k_BT}{m_{th}}\,\ln\frac{\ln u}{-\Delta t\, f_0},\qquad u \sim U(0, 1), $$
//! i.e. P(|h_th| > d) = 1 − exp(−Δt f0 e^{−m_th d/k_BT}) for a distance d (T) to the astroid;
//! m_th the thermal nucleation moment (A·m²), f0 the attempt frequency. Negative magnitudes
//! (the field pushed back into the astroid) are stopped at the h_⊥ = 0 axis. The direction is
//! the astroid's normal at its sample nearest the field (1 801 samples per turn, as flatspin's
//! default `astroid_resolution`), in units of the island's h_c, with flatspin's corrections at
//! the astroid's corners (the apex when β > 2, the top, and above the top).
//!
//! The thermal field is not a physical field and registers no energy: a flip's energy
//! released is booked from the field without it (the work the bath does is part of the net
//! heat), so E − E0 = W − Q holds as at T = 0.

use super::astroid::Astroid;
use super::Switching;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Astroid samples over one turn (flatspin's default `astroid_resolution`).
pub const RESOLUTION: usize = 1801;

/// The thermal model's parameters and state.
#[derive(Clone, Debug)]
pub struct Thermal {
    /// k_B T (J).
    pub kt: f64,
    /// Thermal nucleation moment m_th (A·m²).
    pub m_therm: f64,
    /// Thermal time step Δt (s): the time one field step stands for.
    pub timescale: f64,
    /// Attempt frequency f0 (Hz).
    pub attempt_freq: f64,
    rng: ChaCha8Rng,
    /// The quarter astroid h_∥ ≤ 0, h_⊥ ≥ 0 in units of h_c, from the top (0, c) to the apex
    /// (−b, 0), and the outward normal at each sample.
    points: Vec<[f64; 2]>,
    normals: Vec<[f64; 2]>,
    c: f64,
    beta: f64,
    /// The present thermal field of each island (T, lab frame x, y).
    pub field: Vec<[f64; 2]>,
}

impl Thermal {
    /// The model at k_BT = `kt` for `n` islands of astroid `a`, seeded.
    pub fn new(kt: f64, m_therm: f64, timescale: f64, attempt_freq: f64, a: &Astroid, n: usize, seed: u64) -> Self {
        let (points, normals) = quarter(a);
        Thermal {
            kt,
            m_therm,
            timescale,
            attempt_freq,
            rng: ChaCha8Rng::seed_from_u64(seed),
            points,
            normals,
            c: a.c,
            beta: a.beta,
            field: vec![[0.0; 2]; n],
        }
    }

    /// |h_th| (T) from a uniform variate u (module docs).
    pub fn magnitude(&self, u: f64) -> f64 {
        let u = u.max(f64::MIN_POSITIVE);
        -self.kt / self.m_therm * (u.ln() / (-self.timescale * self.attempt_freq)).ln()
    }

    /// The thermal field (h_∥, h_⊥) (T) of an island of switching field `hc` whose other fields
    /// are `h` = (h_∥, h_⊥) (T), for a magnitude `mag` (T): flatspin's direction rule.
    pub fn direction(&self, h: (f64, f64), hc: f64, mag: f64) -> (f64, f64) {
        let (par, perp_signed) = (h.0 / hc, h.1 / hc);
        let (perp, mag) = (perp_signed.abs(), mag / hc);
        let (k, dist) = self.nearest(par, perp);
        let last = self.points.len() - 1;
        let mut n = self.normals[k];
        if self.beta > 2.0 && k == last && par < self.points[k][0] {
            // Left of the pointed apex: towards it from the next sample.
            n = unit([par - self.points[last - 1][0], perp - self.points[last - 1][1]]);
        }
        if k == 0 && par > 0.0 {
            // The top is a corner with the h_∥ = 0 axis: towards it.
            n = unit([self.points[0][0] - par, self.points[0][1] - perp]);
        }
        if perp > self.c && dist > par.abs() {
            n = [-1.0, 0.0];
        }
        let mut d = [n[0] * mag, n[1] * mag];
        // A negative magnitude must not carry the field across h_⊥ = 0 (out again).
        if mag < 0.0 && perp + d[1] < 0.0 {
            let s = -perp / d[1];
            d = [d[0] * s, d[1] * s];
        }
        if perp_signed < 0.0 {
            d[1] = -d[1];
        }
        (d[0] * hc, d[1] * hc)
    }

    /// The sample of the quarter astroid nearest (par, perp) and its distance (units of h_c),
    /// ties to the lowest index as a linear scan. The samples' h_∥ falls monotonically, so the
    /// scan starts where h_∥ is closest and stops on each side once (Δh_∥)² alone exceeds the
    /// best squared distance: exact, and a few dozen samples instead of 1 801.
    fn nearest(&self, par: f64, perp: f64) -> (usize, f64) {
        let d2 = |k: usize| (self.points[k][0] - par).powi(2) + (self.points[k][1] - perp).powi(2);
        let start = self.points.partition_point(|p| p[0] > par).min(self.points.len() - 1);
        let mut best = (start, d2(start));
        let consider = |k: usize, best: &mut (usize, f64)| {
            let d = d2(k);
            if d < best.1 || (d == best.1 && k < best.0) {
                *best = (k, d);
            }
        };
        for k in (0..start).rev() {
            if (self.points[k][0] - par).powi(2) > best.1 {
                break;
            }
            consider(k, &mut best);
        }
        for k in start + 1..self.points.len() {
            if (self.points[k][0] - par).powi(2) > best.1 {
                break;
            }
            consider(k, &mut best);
        }
        (best.0, best.1.sqrt())
    }
}

/// The quarter astroid θ ∈ [π/2, π] of [`RESOLUTION`] samples per turn (flatspin's
/// `gsw_astroid(..., angle_range=(π/2, π))`: h_∥ = b cos θ, h_⊥ = c (1 − |h_∥/b|^{2/γ})^{β/2}) and
/// the normals (dy, −dx) of the chord between each sample's neighbours, the end samples taking
/// their neighbour's.
fn quarter(a: &Astroid) -> (Vec<[f64; 2]>, Vec<[f64; 2]>) {
    let n = RESOLUTION;
    let pi = std::f64::consts::PI;
    let points: Vec<[f64; 2]> = (0..n)
        .map(|k| {
            let theta = pi / 2.0 + (pi / 2.0) * k as f64 / (n - 1) as f64;
            let par = a.b * theta.cos();
            let x = (par / a.b).abs().powf(2.0 / a.gamma);
            let perp = a.c * (1.0 - x).max(0.0).powf(a.beta / 2.0);
            [par, perp]
        })
        .collect();
    let mut normals: Vec<[f64; 2]> =
        points.windows(3).map(|w| unit([w[2][1] - w[0][1], -(w[2][0] - w[0][0])])).collect();
    normals.insert(0, normals[0]);
    normals.push(normals[normals.len() - 1]);
    (points, normals)
}

fn unit(v: [f64; 2]) -> [f64; 2] {
    let l = v[0].hypot(v[1]);
    [v[0] / l, v[1] / l]
}

impl Switching {
    /// Draws every island's thermal field for the next relaxation (module docs), from the
    /// fields it feels now; a no-op without a thermal model.
    pub fn resample_thermal(&mut self) {
        let Some(mut th) = self.thermal.take() else { return };
        for i in 0..self.array.len() {
            let u = th.rng.random::<f64>();
            let (p, q) = self.field_without_thermal(i);
            let (dp, dq) = th.direction((p, q), self.hc[i], th.magnitude(u));
            // Back to the lab frame from the moment's frame u = s ê, u⊥ = (−u_y, u_x).
            let s = self.array.spin[i] as f64;
            let (ux, uy) = (s * self.array.axis[i].x, s * self.array.axis[i].y);
            th.field[i] = [dp * ux - dq * uy, dp * uy + dq * ux];
        }
        self.thermal = Some(th);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::KB;

    #[test]
    fn the_pruned_nearest_search_is_the_linear_scan() {
        let th = Thermal::new(KB * 300.0, 1e-16, 1.0, 1e9, &Astroid { b: 0.41, c: 1.0, beta: 1.5, gamma: 3.9 }, 1, 1);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for _ in 0..20_000 {
            let (par, perp) = (rng.random_range(-1.5..0.7), rng.random_range(0.0..1.5));
            let mut scan = (0, f64::INFINITY);
            for (k, p) in th.points.iter().enumerate() {
                let d = (p[0] - par).powi(2) + (p[1] - perp).powi(2);
                if d < scan.1 {
                    scan = (k, d);
                }
            }
            assert_eq!(th.nearest(par, perp), (scan.0, scan.1.sqrt()), "({par}, {perp})");
        }
    }

    #[test]
    fn magnitudes_have_the_arrhenius_distribution() {
        // Δt f0 = 1, m_th = 1e-18 A·m²: P(|h| > d) = 1 − exp(−e^{−m d/kT}), so the u at which
        // |h| = d is exp(−e^{−m d/kT}).
        let th = Thermal::new(KB * 300.0, 1e-18, 1e-9, 1e9, &Astroid::SW, 1, 1);
        for d in [-2e-3, 0.0, 0.5e-3, 1e-3, 2e-3] {
            let u = (-(-1e-18 * d / (KB * 300.0)).exp()).exp();
            assert!((th.magnitude(u) - d).abs() < 1e-12, "d = {d}: {}", th.magnitude(u));
        }
    }

    #[test]
    fn the_thermal_field_is_the_astroid_normal_scaled_by_the_magnitude() {
        let th = Thermal::new(KB * 300.0, 1e-16, 1.0, 1e9, &Astroid::SW, 1, 1);
        // On the diagonal of the Stoner–Wohlfarth astroid the normal is at 45°.
        let (dp, dq) = th.direction((-0.03, 0.03), 0.1, 0.01);
        assert!((dp + 0.01 / 2f64.sqrt()).abs() < 1e-4 && (dq - 0.01 / 2f64.sqrt()).abs() < 1e-4, "{dp}, {dq}");
        // Mirrored across the axis for h_⊥ < 0; a unit normal times |h| anywhere.
        let (ep, eq) = th.direction((-0.03, -0.03), 0.1, 0.01);
        assert_eq!((ep, eq), (dp, -dq));
        let (fp, fq) = th.direction((0.02, -0.05), 0.1, 0.004);
        assert!((fp.hypot(fq) - 0.004).abs() < 1e-12);
        // Above the top (h_⊥ > c): straight along −h_∥.
        let (gp, gq) = th.direction((0.01, 0.2), 0.1, 0.01);
        assert_eq!((gp, gq), (-0.01, 0.0));
    }
}
