//! Energy to generate the input field.
//!
//! `stripline`: a straight conductor of width w, thickness t, length l and resistivity ρ runs
//! under the array; a current I in it makes the in-plane field of a wide current sheet just
//! above its surface, $B \approx \mu_0 I / (2w)$. Each Cartesian component of the applied
//! field is taken to come from its own conductor of the same dimensions (a z field would in
//! practice need a loop; the same estimate is used). Per field level of duration τ the source
//! dissipates the Joule heat $I^2 R\,\tau$ with $R = \rho l / (w t)$, and every change of
//! current from $I_0$ to $I_1$ costs $\tfrac12 L\,|I_1^2 - I_0^2|$ (the energy moved into or out
//! of the line's inductance, not recovered), with the self-inductance of a straight bar of
//! rectangular cross-section (Rosa/Grover):
//! $$ L = \frac{\mu_0 l}{2\pi}\Big[\ln\frac{2l}{w+t} + \frac12 + 0.2235\,\frac{w+t}{l}\Big]. $$
//! Rise times, the driver's own losses and the return path are ignored, so this is a lower
//! bound for a real pulse generator. `none` counts no source energy (a permanent magnet or an
//! idealised lossless source).

use crate::constants::MU0;
use nalgebra::Vector3;

/// A conductor under the array (SI: m, Ω·m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stripline {
    pub width: f64,
    pub thickness: f64,
    pub length: f64,
    pub resistivity: f64,
}

impl Stripline {
    /// Current for field component b (T): $I = 2 w b / \mu_0$ (A).
    pub fn current(&self, b: f64) -> f64 {
        2.0 * self.width * b / MU0
    }
    /// $R = \rho l / (w t)$ (Ω).
    pub fn resistance(&self) -> f64 {
        self.resistivity * self.length / (self.width * self.thickness)
    }
    /// Self-inductance of the bar (H), formula in the module doc.
    pub fn inductance(&self) -> f64 {
        let (l, p) = (self.length, self.width + self.thickness);
        MU0 * l / (2.0 * std::f64::consts::PI) * ((2.0 * l / p).ln() + 0.5 + 0.2235 * p / l)
    }
    /// Energy (J) of holding each level `(B, τ)` in turn, starting from the field `prev`
    /// (updated to the last level): $\sum_{levels}\sum_c [I_c^2 R \tau + \tfrac12 L |I_c^2 - I_{c,prev}^2|]$.
    pub fn energy(&self, levels: &[(Vector3<f64>, f64)], prev: &mut Vector3<f64>) -> f64 {
        let (r, ind) = (self.resistance(), self.inductance());
        let mut e = 0.0;
        for (b, tau) in levels {
            for c in 0..3 {
                let (i0, i1) = (self.current(prev[c]), self.current(b[c]));
                e += i1 * i1 * r * tau + 0.5 * ind * (i1 * i1 - i0 * i0).abs();
            }
            *prev = *b;
        }
        e
    }
}

/// What generates the input field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldSource {
    None,
    Stripline(Stripline),
}

impl FieldSource {
    pub fn name(&self) -> &'static str {
        match self {
            FieldSource::None => "none",
            FieldSource::Stripline(_) => "stripline",
        }
    }
    /// Energy (J) of the levels `(B, τ)` after the field `prev` (updated).
    pub fn energy(&self, levels: &[(Vector3<f64>, f64)], prev: &mut Vector3<f64>) -> f64 {
        match self {
            FieldSource::None => {
                if let Some((b, _)) = levels.last() {
                    *prev = *b;
                }
                0.0
            }
            FieldSource::Stripline(s) => s.energy(levels, prev),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand computation: w = 5 µm, t = 200 nm, l = 20 µm, ρ = 2.44e-8 Ω·m; B = 10 mT along x
    /// for 1 ns from zero. I = 2·5e-6·0.01/(4π·1e-7) = 0.0795775 A, R = 0.488 Ω,
    /// L = 2e-7·20e-6·[ln(40/5.2) + 0.5 + 0.2235·5.2/20] = 1.0395e-11 H.
    #[test]
    fn stripline_matches_hand_values() {
        let s = Stripline { width: 5e-6, thickness: 200e-9, length: 20e-6, resistivity: 2.44e-8 };
        assert!((s.current(0.01) - 0.079_577_47).abs() < 1e-8);
        assert!((s.resistance() - 0.488).abs() < 1e-12);
        let l_hand = 2e-7 * 20e-6 * ((40.0f64 / 5.2).ln() + 0.5 + 0.2235 * 5.2 / 20.0);
        assert!((s.inductance() - l_hand).abs() < 1e-24);
        assert!((s.inductance() - 1.0394e-11).abs() < 1e-14);
        let mut prev = Vector3::zeros();
        let e = s.energy(&[(Vector3::new(0.01, 0.0, 0.0), 1e-9)], &mut prev);
        let i: f64 = 0.079_577_47;
        let hand = i * i * 0.488 * 1e-9 + 0.5 * l_hand * i * i;
        assert!((e - hand).abs() < 1e-6 * hand, "{e} vs {hand}");
        // Holding the same level again costs Joule heat only.
        let e2 = s.energy(&[(Vector3::new(0.01, 0.0, 0.0), 1e-9)], &mut prev);
        assert!((e2 - i * i * 0.488 * 1e-9).abs() < 1e-6 * e2);
        assert_eq!(FieldSource::None.energy(&[(Vector3::new(1.0, 0.0, 0.0), 1.0)], &mut prev), 0.0);
    }
}
