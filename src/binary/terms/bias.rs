//! A fixed bias field at each island (T) — an exchange-bias layer, the stray field of a probe
//! tip or of a magnet outside the array, or a field gradient: $B_i$ independent of the spins,
//! with energy $E = -\sum_i \mu_i\cdot B_i$.

use super::BinaryTerm;
use crate::par::get3;
use nalgebra::Vector3;

/// A bias field per island.
#[derive(Clone, Debug)]
pub struct Bias {
    /// B_i (T), 3 per island.
    pub field: Vec<f64>,
}

impl Bias {
    /// The field `b(i)` (T) at every island i of `n`.
    pub fn new(n: usize, b: impl Fn(usize) -> Vector3<f64>) -> Self {
        Bias { field: (0..n).flat_map(|i| b(i).iter().copied().collect::<Vec<_>>()).collect() }
    }
}

impl BinaryTerm for Bias {
    fn name(&self) -> &'static str {
        "e_bias"
    }
    fn add_field(&self, _m: &[f64], b: &mut [f64]) {
        b.iter_mut().zip(&self.field).for_each(|(x, f)| *x += f);
    }
    /// $E = -\sum_i \mu_i\cdot B_i$.
    fn energy(&self, mu: &[f64], b: &[f64]) -> f64 {
        -(0..mu.len() / 3).map(|i| get3(mu, i).dot(&get3(b, i))).sum::<f64>()
    }
    fn coupled(&self) -> bool {
        false
    }
    fn clone_box(&self) -> Box<dyn BinaryTerm> {
        Box::new(self.clone())
    }
}
