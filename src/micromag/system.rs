//! A micromagnetic system: mesh, material and the effective field
//! $B_{eff} = B_{ex} + B_d + B_K + B_{ext}(t)$, and the Landau–Lifshitz equation
//! $$ \dot m = -\frac{\gamma}{1+\alpha^2}\left[m\times B_{eff} + \alpha\, m\times(m\times B_{eff})\right] $$
//! (with `precession = false` only the damping term: the descent of [`super::relax`]).

use super::mesh::{Mesh, PAR_GRAIN};
use super::terms::{anisotropy, demag::Demag, exchange, zeeman};
use crate::constants::GAMMA;
use crate::protocol::Protocol;
use nalgebra::Vector3;
use rayon::prelude::*;

/// Material of the magnetic cells.
#[derive(Debug, Clone, PartialEq)]
pub struct MicroMaterial {
    /// Gilbert damping α.
    pub alpha: f64,
    /// Exchange stiffness A (J/m).
    pub a_ex: f64,
    /// Uniaxial anisotropy K_u (J/m³) along each cell's easy axis (`Mesh::axis`).
    pub ku: f64,
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

/// What [`MicroSystem::torque`] reports about a state besides dm/dt.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TorqueStats {
    /// $\max_i |m_i \times B_i|$ (T) over magnetic cells.
    pub max: f64,
    /// Gilbert dissipation power (W), $P = \sum_i M_{s,i} V \frac{\gamma\alpha}{1+\alpha^2}|m_i\times B_i|^2$
    /// $= -\dot E$ at fixed applied field.
    pub dissipation: f64,
    /// Total moment $\sum_i M_{s,i} V m_i$ (A·m²); the applied field does work at the rate
    /// $-\mu\cdot\dot B_{ext}$.
    pub moment: Vector3<f64>,
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
        b.par_iter_mut().with_min_len(PAR_GRAIN).for_each(|x| *x = 0.0);
        let mat = &self.material;
        exchange::add_field(&self.mesh, mat.a_ex, m, b);
        self.demag.add_field(&self.mesh, m, b);
        anisotropy::add_field(&self.mesh, mat.ku, m, b);
        zeeman::add_field(&self.mesh, &self.protocol.field(t), b);
    }

    /// The energy parts of state m at time t.
    pub fn energy(&self, t: f64, m: &[f64]) -> MicroEnergy {
        let mat = &self.material;
        MicroEnergy {
            exchange: exchange::energy(&self.mesh, mat.a_ex, m),
            demag: self.demag.energy(&self.mesh, m),
            anisotropy: anisotropy::energy(&self.mesh, mat.ku, m),
            zeeman: zeeman::energy(&self.mesh, &self.protocol.field(t), m),
        }
    }

    /// dm/dt into `dm` from m and B_eff with damping `a` (the LL right-hand side above), and
    /// the [`TorqueStats`] of the state. Partial sums are taken over fixed blocks of cells and
    /// added in order, so the result does not depend on the thread count.
    pub fn torque(&self, m: &[f64], b: &[f64], a: f64, precession: bool, dm: &mut [f64]) -> TorqueStats {
        let pre = -GAMMA / (1.0 + a * a);
        let ms = &self.mesh.ms;
        let v = self.mesh.cell_volume();
        let parts: Vec<TorqueStats> = dm
            .par_chunks_mut(3 * PAR_GRAIN)
            .enumerate()
            .map(|(block, chunk)| {
                let mut st = TorqueStats::default();
                for (k, d) in chunk.chunks_mut(3).enumerate() {
                    let i = block * PAR_GRAIN + k;
                    if ms[i] == 0.0 {
                        d.iter_mut().for_each(|x| *x = 0.0);
                        continue;
                    }
                    let mi = Vector3::new(m[3 * i], m[3 * i + 1], m[3 * i + 2]);
                    let bi = Vector3::new(b[3 * i], b[3 * i + 1], b[3 * i + 2]);
                    let mxb = mi.cross(&bi);
                    let damp = mi.cross(&mxb);
                    let r = if precession { pre * (mxb + a * damp) } else { pre * a * damp };
                    d.copy_from_slice(r.as_slice());
                    let t2 = mxb.norm_squared();
                    st.max = st.max.max(t2.sqrt());
                    st.dissipation += ms[i] * t2;
                    st.moment += mi * ms[i];
                }
                st
            })
            .collect();
        let mut st = TorqueStats::default();
        for p in parts {
            st.max = st.max.max(p.max);
            st.dissipation += p.dissipation;
            st.moment += p.moment;
        }
        st.dissipation *= v * GAMMA * a / (1.0 + a * a);
        st.moment *= v;
        st
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
