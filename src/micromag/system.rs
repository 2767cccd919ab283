//! A micromagnetic system: mesh, material and the effective field
//! $B_{eff} = B_{ex} + B_d + B_K + B_{ext}(t)$, and the Landau–Lifshitz equation
//! $$ \dot m = -\frac{\gamma}{1+\alpha^2}\left[m\times B_{eff} + \alpha\, m\times(m\times B_{eff})\right] $$
//! (with `precession = false` only the damping term: the descent of [`super::relax`]).

use super::mesh::Mesh;
use super::terms::{anisotropy, demag::Demag, exchange, zeeman};
use crate::constants::GAMMA;
use crate::protocol::Protocol;
use nalgebra::Vector3;

/// Material of the magnetic cells.
#[derive(Debug, Clone, PartialEq)]
pub struct MicroMaterial {
    /// Gilbert damping α.
    pub alpha: f64,
    /// Exchange stiffness A (J/m).
    pub a_ex: f64,
    /// Uniaxial anisotropy K_u (J/m³) along `axis`.
    pub ku: f64,
    pub axis: Vector3<f64>,
}

#[derive(Debug)]
pub struct MicroSystem {
    pub mesh: Mesh,
    pub material: MicroMaterial,
    pub demag: Demag,
    pub protocol: Protocol,
}

/// Energy parts (J): exchange, demag, anisotropy, Zeeman.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MicroEnergy {
    pub exchange: f64,
    pub demag: f64,
    pub anisotropy: f64,
    pub zeeman: f64,
}

impl MicroEnergy {
    pub fn total(&self) -> f64 {
        self.exchange + self.demag + self.anisotropy + self.zeeman
    }
}

impl MicroSystem {
    pub fn new(mesh: Mesh, material: MicroMaterial, protocol: Protocol) -> Self {
        let demag = Demag::new(&mesh);
        MicroSystem { mesh, material, demag, protocol }
    }

    /// B_eff (T) at time t into `b` (overwritten).
    pub fn field(&self, t: f64, m: &[f64], b: &mut [f64]) {
        b.iter_mut().for_each(|x| *x = 0.0);
        let mat = &self.material;
        exchange::add_field(&self.mesh, mat.a_ex, m, b);
        self.demag.add_field(&self.mesh, m, b);
        anisotropy::add_field(&self.mesh, mat.ku, &mat.axis, m, b);
        zeeman::add_field(&self.mesh, &self.protocol.field(t), b);
    }

    /// The energy parts of state m at time t.
    pub fn energy(&self, t: f64, m: &[f64]) -> MicroEnergy {
        let mat = &self.material;
        MicroEnergy {
            exchange: exchange::energy(&self.mesh, mat.a_ex, m),
            demag: self.demag.energy(&self.mesh, m),
            anisotropy: anisotropy::energy(&self.mesh, mat.ku, &mat.axis, m),
            zeeman: zeeman::energy(&self.mesh, &self.protocol.field(t), m),
        }
    }

    /// dm/dt into `dm` from m and B_eff with damping `a`; returns max |m × B| (T) over
    /// magnetic cells.
    pub fn torque(&self, m: &[f64], b: &[f64], a: f64, precession: bool, dm: &mut [f64]) -> f64 {
        let pre = -GAMMA / (1.0 + a * a);
        let mut max_t: f64 = 0.0;
        for i in 0..self.mesh.cells() {
            if self.mesh.ms[i] == 0.0 {
                dm[3 * i..3 * i + 3].iter_mut().for_each(|x| *x = 0.0);
                continue;
            }
            let mi = Vector3::new(m[3 * i], m[3 * i + 1], m[3 * i + 2]);
            let bi = Vector3::new(b[3 * i], b[3 * i + 1], b[3 * i + 2]);
            let mxb = mi.cross(&bi);
            max_t = max_t.max(mxb.norm());
            let damp = mi.cross(&mxb);
            let d = if precession { pre * (mxb + a * damp) } else { pre * a * damp };
            dm[3 * i..3 * i + 3].copy_from_slice(d.as_slice());
        }
        max_t
    }

    /// Volume-weighted ⟨m⟩ over the magnetic cells.
    pub fn average(&self, m: &[f64]) -> Vector3<f64> {
        let mut s = Vector3::zeros();
        let mut w = 0.0;
        for i in 0..self.mesh.cells() {
            if self.mesh.ms[i] != 0.0 {
                s += Vector3::new(m[3 * i], m[3 * i + 1], m[3 * i + 2]) * self.mesh.ms[i];
                w += self.mesh.ms[i];
            }
        }
        if w > 0.0 {
            s / w
        } else {
            s
        }
    }
}
