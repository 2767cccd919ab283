//! The generalised Stoner–Wohlfarth astroid (flatspin's parameters b, c, β, γ), in the frame
//! of an island's moment: the boundary
//! $$ \left(\tfrac{h_\parallel}{b\,h_c}\right)^{2/\gamma} + \left(\tfrac{h_\perp}{c\,h_c}\right)^{2/\beta} = 1 $$
//! (b = c = 1, β = γ = 3: the Stoner–Wohlfarth astroid h_∥^{2/3} + h_⊥^{2/3} = h_c^{2/3}).

/// The astroid's shape parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Astroid {
    /// Height along the easy axis (switching at b·h_c along it).
    pub b: f64,
    /// Width across the axis.
    pub c: f64,
    /// Pointiness of the h_⊥ term (exponent 2/β).
    pub beta: f64,
    /// Pointiness of the h_∥ term (exponent 2/γ).
    pub gamma: f64,
}

impl Astroid {
    /// The Stoner–Wohlfarth astroid.
    pub const SW: Astroid = Astroid { b: 1.0, c: 1.0, beta: 3.0, gamma: 3.0 };

    /// The left-hand side minus 1: positive outside the astroid.
    pub fn implicit(&self, h_par: f64, h_perp: f64, hc: f64) -> f64 {
        let p = h_par / (self.b * hc);
        let q = h_perp / (self.c * hc);
        (p * p).powf(1.0 / self.gamma) + (q * q).powf(1.0 / self.beta) - 1.0
    }

    /// The switching margin of a moment in a field with components h_∥ (along the moment)
    /// and h_⊥: the implicit form where the field opposes the moment (h_∥ < −1e-12, as
    /// flatspin); −1 where it does not (such a moment never flips, and the powers are not
    /// evaluated). Positive: the moment may flip.
    pub fn margin(&self, h_par: f64, h_perp: f64, hc: f64) -> f64 {
        if h_par >= -1e-12 {
            -1.0
        } else {
            self.implicit(h_par, h_perp, hc)
        }
    }

    /// The switching field (T) of a field applied at angle ψ (rad) from the axis, opposing the
    /// moment: the B where the ray (−B cos ψ, B sin ψ) meets the astroid (bisection).
    pub fn switching_field(&self, psi: f64, hc: f64) -> f64 {
        let (mut lo, mut hi) = (0.0, 10.0 * hc * self.b.max(self.c));
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.implicit(mid * psi.cos(), mid * psi.sin(), hc) > 0.0 {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stoner_wohlfarth_astroid_switches_at_hc_on_axis_and_half_at_45_degrees() {
        let a = Astroid::SW;
        assert!((a.switching_field(0.0, 0.1) - 0.1).abs() < 1e-12);
        assert!((a.switching_field(std::f64::consts::FRAC_PI_4, 0.1) - 0.05).abs() < 1e-12);
        // A field along the moment never flips it; against it beyond h_c it does.
        assert!(a.margin(0.2, 0.0, 0.1) < 0.0);
        assert!(a.margin(-0.2, 0.0, 0.1) > 0.0);
        assert!(a.margin(-0.05, 0.0, 0.1) < 0.0);
    }
}
