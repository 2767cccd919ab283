//! Zeeman term: the applied field of the protocol, B_i = B_ext(t) at every island;
//! E_Z = −Σ_i μ_i m_i · B_ext(t), with μ_i = Ms V_i.

use super::{get3, sum_islands, FieldTerm};
use crate::protocol::Protocol;

#[derive(Clone)]
pub struct Zeeman {
    pub protocol: Protocol,
    /// Moments μ_i = Ms V_i (A·m²).
    pub moment: Vec<f64>,
}

impl FieldTerm for Zeeman {
    fn clone_box(&self) -> Box<dyn FieldTerm> {
        Box::new(self.clone())
    }
    fn name(&self) -> &'static str {
        "e_zeeman"
    }
    fn add_field(&self, t: f64, _m: &[f64], _first: usize, b: &mut [f64]) {
        let be = self.protocol.field(t);
        for bi in b.chunks_exact_mut(3) {
            bi[0] += be.x;
            bi[1] += be.y;
            bi[2] += be.z;
        }
    }
    fn energy(&self, t: f64, m: &[f64]) -> f64 {
        let be = self.protocol.field(t);
        -sum_islands(self.moment.len(), |i| self.moment[i] * get3(m, i).dot(&be))
    }
}
