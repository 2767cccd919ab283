//! Shape anisotropy (self-demagnetisation of a uniformly magnetised island). In the island
//! frame (e_1 = long axis u, e_2 = short axis v, e_3 = ẑ) with demagnetising factors N_k:
//!
//! $$ E_d = \tfrac12 \mu_0 M_s^2 V \sum_k N_k (m\cdot e_k)^2, \qquad
//!    B_d = -\mu_0 M_s \sum_k N_k (m\cdot e_k)\, e_k . $$

use super::{get3, sum_islands, FieldTerm};
use crate::constants::MU0;
use nalgebra::Vector3;

#[derive(Clone)]
pub struct ShapeAnisotropy {
    /// Long and short in-plane axes per island.
    pub u: Vec<Vector3<f64>>,
    pub v: Vec<Vector3<f64>>,
    /// μ0 Ms N_k (T) per island, k = long, short, thickness.
    pub coef: Vec<[f64; 3]>,
    /// ½ μ0 Ms² V N_k (J) per island.
    pub energy_coef: Vec<[f64; 3]>,
}

impl ShapeAnisotropy {
    pub fn new(u: Vec<Vector3<f64>>, v: Vec<Vector3<f64>>, ms: f64, volume: &[f64], n: &[[f64; 3]]) -> Self {
        let coef = n.iter().map(|nk| nk.map(|x| MU0 * ms * x)).collect();
        let energy_coef = n.iter().zip(volume).map(|(nk, vol)| nk.map(|x| 0.5 * MU0 * ms * ms * vol * x)).collect();
        ShapeAnisotropy { u, v, coef, energy_coef }
    }

    #[inline(always)]
    fn components(&self, i: usize, m: &Vector3<f64>) -> [f64; 3] {
        [m.dot(&self.u[i]), m.dot(&self.v[i]), m.z]
    }
}

impl FieldTerm for ShapeAnisotropy {
    fn clone_box(&self) -> Box<dyn FieldTerm> {
        Box::new(self.clone())
    }
    fn name(&self) -> &'static str {
        "e_shape"
    }
    fn add_field(&self, _t: f64, m: &[f64], first: usize, b: &mut [f64]) {
        for (k, bi) in b.chunks_exact_mut(3).enumerate() {
            let i = first + k;
            let mc = self.components(i, &get3(m, i));
            let c = &self.coef[i];
            let f = -(self.u[i] * (c[0] * mc[0]) + self.v[i] * (c[1] * mc[1]));
            bi[0] += f.x;
            bi[1] += f.y;
            bi[2] += f.z - c[2] * mc[2];
        }
    }
    fn energy(&self, _t: f64, m: &[f64]) -> f64 {
        sum_islands(self.u.len(), |i| {
            let mc = self.components(i, &get3(m, i));
            let e = &self.energy_coef[i];
            e[0] * mc[0] * mc[0] + e[1] * mc[1] * mc[1] + e[2] * mc[2] * mc[2]
        })
    }
}
