//! Magnetocrystalline uniaxial anisotropy along each island's long axis u:
//! E_K = −K_u V (m·u)², B_K = (2 K_u / Ms) (m·u) u.

use super::{get3, sum_islands, FieldTerm};
use nalgebra::Vector3;

#[derive(Clone)]
pub struct Uniaxial {
    pub u: Vec<Vector3<f64>>,
    /// 2 K_u / Ms (T).
    pub field_coef: f64,
    /// K_u V_i (J).
    pub energy_coef: Vec<f64>,
}

impl FieldTerm for Uniaxial {
    fn clone_box(&self) -> Box<dyn FieldTerm> {
        Box::new(self.clone())
    }
    fn name(&self) -> &'static str {
        "e_anisotropy"
    }
    fn add_field(&self, _t: f64, m: &[f64], first: usize, b: &mut [f64]) {
        for (k, bi) in b.chunks_exact_mut(3).enumerate() {
            let i = first + k;
            let f = self.u[i] * (self.field_coef * get3(m, i).dot(&self.u[i]));
            bi[0] += f.x;
            bi[1] += f.y;
            bi[2] += f.z;
        }
    }
    fn energy(&self, _t: f64, m: &[f64]) -> f64 {
        -sum_islands(self.u.len(), |i| self.energy_coef[i] * get3(m, i).dot(&self.u[i]).powi(2))
    }
}
