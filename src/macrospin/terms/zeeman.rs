//! Zeeman term: the applied field of the protocol, B_i = B_ext(t) at every island;
//! E_Z = −Σ_i μ_i m_i · B_ext(t), with μ_i = Ms V_i (the shared [`crate::llg::zeeman`]).

use super::FieldTerm;
use crate::llg::zeeman;
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
    fn add_field(&self, t: f64, _m: &[f64], first: usize, b: &mut [f64]) {
        zeeman::add_field(b, &self.protocol.field(t), &self.moment[first..first + b.len() / 3]);
    }
    fn energy(&self, t: f64, m: &[f64]) -> f64 {
        zeeman::energy(&self.moment, m, &self.protocol.field(t))
    }
}
