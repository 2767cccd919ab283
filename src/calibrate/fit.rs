//! Fit of the generalised Stoner–Wohlfarth astroid (flatspin's h_c, b, c, β, γ) to switching
//! fields B_i at angles ψ_i: minimises Σ_i [ln B(ψ_i; h_c, c, β, γ) − ln B_i]², B(ψ) the field
//! where the ray at ψ meets the astroid ([`Astroid::switching_field`]). b multiplies h_c
//! everywhere it appears, so b = 1 and h_c is the switching field along the axis. The
//! minimiser is Nelder–Mead on (ln h_c, ln c, ln β, ln γ).

use crate::switching::astroid::Astroid;

/// A fitted astroid and its worst relative deviation from the points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AstroidFit {
    pub hc: f64,
    pub astroid: Astroid,
    /// max_i |B(ψ_i)/B_i − 1|.
    pub max_rel_error: f64,
}

fn unpack(x: &[f64; 4]) -> (f64, Astroid) {
    (x[0].exp(), Astroid { b: 1.0, c: x[1].exp(), beta: x[2].exp(), gamma: x[3].exp() })
}

/// Fits the astroid to `points` (ψ in rad, B in T); needs at least four points.
///
/// ```
/// use nanomag::calibrate::fit::fit_astroid;
/// use nanomag::switching::astroid::Astroid;
/// // Points of a Stoner–Wohlfarth astroid with h_c = 0.1 T give back h_c, β = γ = 3.
/// let pts: Vec<(f64, f64)> = [10.0f64, 25.0, 45.0, 65.0, 80.0]
///     .iter()
///     .map(|d| (d.to_radians(), Astroid::SW.switching_field(d.to_radians(), 0.1)))
///     .collect();
/// let fit = fit_astroid(&pts).unwrap();
/// assert!((fit.hc - 0.1).abs() < 1e-4 && (fit.astroid.beta - 3.0).abs() < 1e-2);
/// ```
pub fn fit_astroid(points: &[(f64, f64)]) -> Option<AstroidFit> {
    if points.len() < 4 || points.iter().any(|p| !(p.1 > 0.0 && p.1.is_finite())) {
        return None;
    }
    let cost = |x: &[f64; 4]| -> f64 {
        let (hc, a) = unpack(x);
        points.iter().map(|&(psi, b)| (a.switching_field(psi, hc) / b).ln().powi(2)).sum()
    };
    let b_min = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let b_axis = points.iter().min_by(|a, b| a.0.total_cmp(&b.0)).map_or(b_min, |p| p.1);
    let start = [b_axis.ln(), 0.0, 3f64.ln(), 3f64.ln()];
    let x = nelder_mead(cost, start, 0.2, 4000);
    let (hc, astroid) = unpack(&x);
    let max_rel_error =
        points.iter().map(|&(psi, b)| (astroid.switching_field(psi, hc) / b - 1.0).abs()).fold(0.0, f64::max);
    Some(AstroidFit { hc, astroid, max_rel_error })
}

/// Nelder–Mead simplex minimisation of `f` from `x0` (initial simplex steps `scale` along each
/// axis), standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½), until
/// the spread of the simplex values falls below 1e-14 or `max_iter` iterations.
pub fn nelder_mead<const N: usize>(
    f: impl Fn(&[f64; N]) -> f64,
    x0: [f64; N],
    scale: f64,
    max_iter: usize,
) -> [f64; N] {
    let mut simplex: Vec<([f64; N], f64)> = (0..=N)
        .map(|k| {
            let mut x = x0;
            if k > 0 {
                x[k - 1] += scale;
            }
            (x, f(&x))
        })
        .collect();
    let along = |a: &[f64; N], b: &[f64; N], t: f64| -> [f64; N] { std::array::from_fn(|i| a[i] + t * (b[i] - a[i])) };
    for _ in 0..max_iter {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if simplex[N].1 - simplex[0].1 < 1e-14 {
            break;
        }
        let centroid: [f64; N] = std::array::from_fn(|i| simplex[..N].iter().map(|p| p.0[i]).sum::<f64>() / N as f64);
        let worst = simplex[N];
        let xr = along(&centroid, &worst.0, -1.0);
        let fr = f(&xr);
        if fr < simplex[0].1 {
            let xe = along(&centroid, &worst.0, -2.0);
            let fe = f(&xe);
            simplex[N] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < simplex[N - 1].1 {
            simplex[N] = (xr, fr);
        } else {
            let xc = along(&centroid, &worst.0, 0.5);
            let fc = f(&xc);
            if fc < worst.1 {
                simplex[N] = (xc, fc);
            } else {
                let best = simplex[0].0;
                for p in simplex.iter_mut().skip(1) {
                    p.0 = along(&best, &p.0, 0.5);
                    p.1 = f(&p.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex[0].0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_the_minimum_of_the_rosenbrock_function() {
        let x = nelder_mead(
            |x: &[f64; 2]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2),
            [-1.2, 1.0],
            0.5,
            5000,
        );
        assert!((x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4, "{x:?}");
    }

    #[test]
    fn a_fit_to_points_of_an_astroid_recovers_its_parameters() {
        let truth = Astroid { b: 1.0, c: 0.8, beta: 2.5, gamma: 4.0 };
        let pts: Vec<(f64, f64)> = (0..9)
            .map(|k| (5f64 + 10.0 * k as f64).to_radians())
            .map(|p| (p, truth.switching_field(p, 0.05)))
            .collect();
        let fit = fit_astroid(&pts).expect("fit");
        assert!(fit.max_rel_error < 1e-4, "{fit:?}");
        assert!((fit.hc / 0.05 - 1.0).abs() < 1e-3 && (fit.astroid.c / 0.8 - 1.0).abs() < 1e-2, "{fit:?}");
    }
}
