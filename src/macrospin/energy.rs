//! Energy bookkeeping and the observables written to `table.csv`.

use super::terms::{get3, FieldTerm};
use super::MacrospinArray;
use crate::engine::Observables;
use nalgebra::Vector3;

pub use crate::engine::ENERGY_PARTS;

impl MacrospinArray {
    /// Energy parts (J) of state m at time t, in the order of [`ENERGY_PARTS`].
    pub fn energy_parts(&self, t: f64, m: &[f64]) -> [f64; 4] {
        let mut parts = [0.0; 4];
        parts[0] = self.zeeman.energy(t, m);
        for term in &self.terms {
            if let Some(k) = ENERGY_PARTS.iter().position(|&p| p == term.name()) {
                parts[k] += term.energy(t, m);
            }
        }
        parts
    }

    /// Total energy E (J).
    pub fn energy(&self, t: f64, m: &[f64]) -> f64 {
        self.energy_parts(t, m).iter().sum()
    }

    /// The observables of state y at time t.
    pub fn observables(&self, t: f64, y: &[f64]) -> Observables {
        let n3 = 3 * self.n;
        let m = &y[..n3];
        let vtot: f64 = self.volume.iter().sum();
        let mavg = (0..self.n).fold(Vector3::zeros(), |acc, i| acc + get3(m, i) * self.volume[i]) / vtot;
        let parts = self.energy_parts(t, m);
        Observables {
            t,
            m: mavg,
            b_ext: self.zeeman.protocol.field(t),
            parts,
            e_total: parts.iter().sum(),
            w_ext: y[n3] * self.e_ref,
            q_diss: y[n3 + 1] * self.e_ref,
        }
    }
}
