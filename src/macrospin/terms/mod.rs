//! Effective-field terms of the macrospin engine, one per file (as in MuMax3's engine).
//!
//! Each term gives the field B_i (T) at every island, B_i = −(1/(Ms V_i)) ∂E/∂m_i, and its
//! energy E (J). The magnetisation is a flat slice `m = [m0x, m0y, m0z, m1x, …]` of unit
//! vectors. Fields are added chunk by chunk (islands `first..first + b.len()/3`), so the
//! engine evaluates every term and the torque in one parallel pass over the array. The
//! field and the energy of a term come from the same object, registered once
//! ([`super::MacrospinArray::add_term`]), so no term's energy can be missing from E_total.
//! The term interface and the point-dipole coupling live in [`crate::terms`] (the binary
//! engines use them too) and are re-exported here.

pub mod shape;
pub mod uniaxial;
pub mod zeeman;

pub use crate::par::{add3, fold_chunks, get3, map_chunks, sum_islands, CHUNK, PARALLEL_MIN};
pub use crate::terms::{dipolar, term_field, FieldTerm};
