//! The effective-field term interface shared by the engines that evaluate fields of island
//! moments (the macrospin LLG engine and the binary-state engines), and the terms more than
//! one engine uses (the point-dipole coupling, [`dipolar`]).
//!
//! A term gives the field B_i (T) at every island, B_i = −(1/(Ms V_i)) ∂E/∂m_i, and its
//! energy E (J); m is a flat slice `[m0x, m0y, m0z, m1x, …]` of unit vectors. The field and
//! the energy come from the same object, registered once, so no term's energy can be missing
//! from E_total (MuMax3's rule).

pub mod dipolar;

use crate::par::map_chunks;

/// One term of the effective field.
pub trait FieldTerm: Send + Sync {
    /// Column name of its energy in `table.csv`.
    fn name(&self) -> &'static str;
    /// Called once per evaluation, before any `add_field` with the same t and m (e.g. to
    /// gather the moments of all islands).
    fn prepare(&self, _t: f64, _m: &[f64]) {}
    /// Adds this term's field (T) at islands `first..first + b.len()/3` to `b` (3 per
    /// island), at time t (s); `m` is the whole array. Requires `prepare(t, m)` first.
    fn add_field(&self, t: f64, m: &[f64], first: usize, b: &mut [f64]);
    /// This term's energy (J) at time t.
    fn energy(&self, t: f64, m: &[f64]) -> f64;
    /// A one-line description of the term's internal structure (for `nanomag bench`).
    fn describe(&self) -> Option<String> {
        None
    }
    /// An independent copy (own scratch buffers).
    fn clone_box(&self) -> Box<dyn FieldTerm>;
}

impl Clone for Box<dyn FieldTerm> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The field (T) of one term over the whole array into `b` (added), preparing it first.
pub fn term_field(term: &dyn FieldTerm, t: f64, m: &[f64], b: &mut [f64]) {
    term.prepare(t, m);
    map_chunks(b, |first, bc| term.add_field(t, m, first, bc));
}
