//! A micromagnetic system: mesh, material, the registered field terms
//! $B_{eff} = B_{ex} + B_d + B_K + B_{ext}(t)$ and the applied-field protocol, as an
//! [`LlgSystem`] (the elements are the cells, μ_i = M_{s,i} V_c; empty cells have μ = 0).

use super::mesh::{Mesh, PAR_GRAIN};
use super::terms::{anisotropy::Anisotropy, demag::Demag, exchange::Exchange, zeeman::Zeeman, MicroTerm};
use crate::llg::{rhs_from_field, LlgSystem, Motion};
use crate::protocol::Protocol;
use rayon::prelude::*;
use std::sync::Mutex;

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

pub struct MicroSystem {
    pub mesh: Mesh,
    pub material: MicroMaterial,
    terms: Vec<Box<dyn MicroTerm>>,
    pub protocol: Protocol,
    /// μ_i = M_{s,i} V_c per cell (A·m²).
    moments: Vec<f64>,
    /// B_eff of the last evaluation, reused between calls.
    scratch: Mutex<Vec<f64>>,
    /// Σ μ_i (A·m²), the energy bookkeeping's reference (computed once).
    e_ref: f64,
}

impl Clone for MicroSystem {
    /// A copy sharing the demag kernel, with its own work buffers.
    fn clone(&self) -> Self {
        MicroSystem {
            mesh: self.mesh.clone(),
            material: self.material.clone(),
            terms: self.terms.clone(),
            protocol: self.protocol.clone(),
            moments: self.moments.clone(),
            scratch: Mutex::new(vec![0.0; self.moments.len() * 3]),
            e_ref: self.e_ref,
        }
    }
}

impl std::fmt::Debug for MicroSystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.terms.iter().map(|t| t.name()).collect();
        write!(f, "MicroSystem {{ n: {:?}, terms: {names:?} }}", self.mesh.n)
    }
}

impl MicroSystem {
    /// Exchange, demag, anisotropy (if K_u ≠ 0) and Zeeman on `mesh`.
    pub fn new(mesh: Mesh, material: MicroMaterial, protocol: Protocol) -> Self {
        Self::with_precision(mesh, material, protocol, super::config::Precision::F64)
    }

    /// As [`MicroSystem::new`], with the demag convolution in the given precision.
    pub fn with_precision(
        mesh: Mesh,
        material: MicroMaterial,
        protocol: Protocol,
        precision: super::config::Precision,
    ) -> Self {
        let v = mesh.cell_volume();
        let moments = mesh.ms.iter().map(|ms| ms * v).collect::<Vec<f64>>();
        let demag: Box<dyn MicroTerm> = match precision {
            super::config::Precision::F64 => Box::new(Demag::new(&mesh)),
            super::config::Precision::F32 => Box::new(Demag::<f32>::build(&mesh)),
        };
        let (a_ex, ku) = (material.a_ex, material.ku);
        let e_ref = moments.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let mut sys = MicroSystem {
            scratch: Mutex::new(vec![0.0; 3 * moments.len()]),
            e_ref,
            mesh,
            material,
            terms: Vec::new(),
            protocol,
            moments,
        };
        sys.add_term(Box::new(Exchange { a_ex }));
        sys.add_term(demag);
        if ku != 0.0 {
            sys.add_term(Box::new(Anisotropy { ku }));
        }
        let zeeman = Zeeman::new(&sys.mesh);
        sys.add_term(Box::new(zeeman));
        sys
    }

    /// Registers a field term: its field acts on every cell and its energy is a part of
    /// E_total (its name is the table column). Names must be unique.
    pub fn add_term(&mut self, term: Box<dyn MicroTerm>) {
        assert!(self.terms.iter().all(|t| t.name() != term.name()), "energy term {} is registered twice", term.name());
        self.terms.push(term);
    }

    /// The registered terms.
    pub fn terms(&self) -> impl Iterator<Item = &dyn MicroTerm> {
        self.terms.iter().map(|t| t.as_ref())
    }
}

impl LlgSystem for MicroSystem {
    fn moments(&self) -> &[f64] {
        &self.moments
    }
    fn alpha(&self) -> f64 {
        self.material.alpha
    }
    fn e_ref(&self) -> f64 {
        self.e_ref
    }
    fn protocol(&self) -> &Protocol {
        &self.protocol
    }
    fn set_protocol(&mut self, p: Protocol) {
        self.protocol = p;
    }
    /// B_eff (T) at time t into `b` (overwritten): the sum of the registered terms.
    fn field(&self, t: f64, m: &[f64], b: &mut [f64]) {
        b.par_chunks_mut(3 * PAR_GRAIN).for_each(|c| c.iter_mut().for_each(|x| *x = 0.0));
        let b_ext = self.protocol.field(t);
        for term in &self.terms {
            term.add_field(&self.mesh, m, &b_ext, b);
        }
    }
    fn term_fields(&self, t: f64, m: &[f64]) -> crate::llg::check::TermFields {
        let b_ext = self.protocol.field(t);
        self.terms
            .iter()
            .map(|term| {
                let mut b = vec![0.0; m.len()];
                term.add_field(&self.mesh, m, &b_ext, &mut b);
                (term.name(), b)
            })
            .collect()
    }
    fn energy_parts(&self, t: f64, m: &[f64]) -> Vec<(&'static str, f64)> {
        let b_ext = self.protocol.field(t);
        self.terms.iter().map(|term| (term.name(), term.energy(&self.mesh, m, &b_ext))).collect()
    }
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64], noise: Option<&[f64]>, motion: Motion) {
        let mut b = self.scratch.lock().unwrap_or_else(|e| e.into_inner());
        let n3 = 3 * self.moments.len();
        self.field(t, &y[..n3], &mut b);
        rhs_from_field(self, t, y, &b, dy, noise, motion);
    }
}
