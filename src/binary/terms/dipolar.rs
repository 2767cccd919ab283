//! The point-dipole coupling of binary islands ([`crate::terms::dipolar`]): the field of j at
//! i is $B_{ij} = K_{ij}\,\mu_j$ with the pair kernel $K_{ij} = \frac{\mu_0}{4\pi}
//! \frac{3\hat r\hat r - I}{r^3}$, within the cutoff; $E_{dd} = -\tfrac12\sum_i \mu_i\cdot B_i$.

use super::BinaryTerm;
use crate::par::get3;
use crate::terms::dipolar::Dipolar;
use crate::terms::term_field;
use nalgebra::Vector3;

/// The point-dipole coupling as a binary-array term.
#[derive(Clone)]
pub struct PointDipoles(pub Dipolar);

impl BinaryTerm for PointDipoles {
    fn name(&self) -> &'static str {
        "e_dipolar"
    }
    fn add_field(&self, m: &[f64], b: &mut [f64]) {
        term_field(&self.0, 0.0, m, b);
    }
    /// $E_{dd} = -\tfrac12 \sum_i \mu_i\cdot B_i$.
    fn energy(&self, mu: &[f64], b: &[f64]) -> f64 {
        -0.5 * (0..mu.len() / 3).map(|i| get3(mu, i).dot(&get3(b, i))).sum::<f64>()
    }
    fn coupled(&self) -> bool {
        true
    }
    /// ΔB_j = K_ji Δμ_i (the kernel's in-plane block and its zz entry).
    fn kick(&self, i: usize, dmu: Vector3<f64>, b: &mut [f64]) {
        self.0.for_each_neighbour(i, |j, k| {
            b[3 * j] += k[0] * dmu.x + k[1] * dmu.y;
            b[3 * j + 1] += k[1] * dmu.x + k[2] * dmu.y;
            b[3 * j + 2] += k[3] * dmu.z;
        });
    }
    fn neighbours(&self, i: usize, f: &mut dyn FnMut(usize)) {
        self.0.for_each_neighbour(i, |j, _| f(j));
    }
    fn dipolar(&self) -> Option<&Dipolar> {
        Some(&self.0)
    }
    fn clone_box(&self) -> Box<dyn BinaryTerm> {
        Box::new(self.clone())
    }
}
