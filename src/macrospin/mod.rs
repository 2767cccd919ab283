//! The macrospin engine: one moment per island, coupled Landau–Lifshitz–Gilbert dynamics.
//!
//! [`MacrospinArray`] holds the per-island constants and the effective-field terms (one per
//! file in [`terms`]), each registering its own energy; [`llg`] makes it an
//! [`crate::llg::LlgSystem`] (equation of motion and bookkeeping), and [`engine`] drives it
//! through a field protocol behind [`crate::engine::Engine`].

pub mod engine;
pub mod llg;
pub mod terms;

use crate::config::{Coupling, Material};
use crate::geometry::Island;
use crate::protocol::Protocol;
use nalgebra::Vector3;
use terms::dipolar::Dipolar;
use terms::shape::ShapeAnisotropy;
use terms::uniaxial::Uniaxial;
use terms::zeeman::Zeeman;
use terms::FieldTerm;

pub use engine::MacrospinEngine;

/// An array of macrospins with its effective-field terms.
#[derive(Clone)]
pub struct MacrospinArray {
    pub n: usize,
    pub ms: f64,
    pub alpha: f64,
    /// Island volumes V_i (m³) and moments μ_i = Ms V_i (A·m²).
    pub volume: Vec<f64>,
    pub moment: Vec<f64>,
    /// Long axes u_i (the easy axes).
    pub long_axis: Vec<Vector3<f64>>,
    pub zeeman: Zeeman,
    /// The other deterministic terms: shape, then uniaxial and dipolar where present.
    pub terms: Vec<Box<dyn FieldTerm>>,
    /// Energy unit (J) in which W_ext and Q are carried in the state: Σ μ_i × 1 T.
    pub e_ref: f64,
}

impl MacrospinArray {
    /// Builds the array from islands. `spacing` (m) is the unit of the dipolar cutoff.
    pub fn new(islands: &[Island], material: &Material, coupling: Coupling, spacing: f64, protocol: Protocol) -> Self {
        let n = islands.len();
        let volume: Vec<f64> = islands.iter().map(Island::volume).collect();
        let moment: Vec<f64> = volume.iter().map(|v| material.ms * v).collect();
        let u: Vec<Vector3<f64>> = islands.iter().map(Island::long_axis).collect();
        let v: Vec<Vector3<f64>> = islands.iter().map(Island::short_axis).collect();
        let nk: Vec<[f64; 3]> = islands.iter().map(Island::demag_factors).collect();
        let mut array = MacrospinArray {
            n,
            ms: material.ms,
            alpha: material.alpha,
            volume: volume.clone(),
            moment: moment.clone(),
            long_axis: u.clone(),
            zeeman: Zeeman { protocol, moment: moment.clone() },
            terms: Vec::new(),
            e_ref: moment.iter().sum::<f64>(),
        };
        array.add_term(Box::new(ShapeAnisotropy::new(u.clone(), v, material.ms, &volume, &nk)));
        if material.ku != 0.0 {
            array.add_term(Box::new(Uniaxial {
                u,
                field_coef: 2.0 * material.ku / material.ms,
                energy_coef: volume.iter().map(|vol| material.ku * vol).collect(),
            }));
        }
        if let Coupling::Dipole { cutoff } = coupling {
            if n > 1 {
                let pos: Vec<(f64, f64)> = islands.iter().map(|i| (i.x, i.y)).collect();
                array.add_term(Box::new(Dipolar::new(&pos, moment, cutoff * spacing)));
            }
        }
        array
    }

    /// Registers a field term: from now on its field acts on every island and its energy is
    /// a part of E_total (its name is the table column). Names must be unique.
    pub fn add_term(&mut self, term: Box<dyn FieldTerm>) {
        assert!(self.all_terms().all(|t| t.name() != term.name()), "energy term {} is registered twice", term.name());
        self.terms.push(term);
    }

    /// Length of the integrated state: 3N components of m, then W_ext/e_ref and Q/e_ref.
    pub fn state_len(&self) -> usize {
        3 * self.n + 2
    }
}
