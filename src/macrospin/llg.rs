//! The macrospin array as an [`LlgSystem`]: the Landau–Lifshitz equation of every island with
//! its energy bookkeeping (module doc of [`crate::llg`]), evaluated in one parallel pass over
//! chunks of islands — every field term, then the torque, per chunk.

use super::terms::{fold_chunks, map_chunks, FieldTerm};
use super::MacrospinArray;
use crate::llg::{bookkeeping, torque_chunk, LlgSystem, Motion};
use crate::protocol::Protocol;
use std::cell::RefCell;

thread_local! {
    /// Per-thread buffer for the effective field of one chunk of islands.
    static FIELD_SCRATCH: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

impl MacrospinArray {
    /// Every term, Zeeman first: the one list both the field and the energy come from.
    pub fn all_terms(&self) -> impl Iterator<Item = &dyn FieldTerm> {
        std::iter::once(&self.zeeman as &dyn FieldTerm).chain(self.terms.iter().map(|t| t.as_ref()))
    }

    /// Calls every term's `prepare` for state m at time t.
    fn prepare_terms(&self, t: f64, m: &[f64]) {
        for term in &self.terms {
            term.prepare(t, m);
        }
    }

    /// Sets `b` (islands first..) to the deterministic effective field; terms prepared.
    #[inline]
    fn chunk_field(&self, t: f64, m: &[f64], first: usize, b: &mut [f64]) {
        b.iter_mut().for_each(|x| *x = 0.0);
        for term in self.all_terms() {
            term.add_field(t, m, first, b);
        }
    }
}

impl LlgSystem for MacrospinArray {
    fn moments(&self) -> &[f64] {
        &self.moment
    }
    fn alpha(&self) -> f64 {
        self.alpha
    }
    fn protocol(&self) -> &Protocol {
        &self.zeeman.protocol
    }
    fn set_protocol(&mut self, p: Protocol) {
        self.zeeman.protocol = p;
    }
    fn e_ref(&self) -> f64 {
        self.e_ref
    }
    /// The deterministic effective field B_eff,i (T) at time t into `b` (3 per island).
    fn field(&self, t: f64, m: &[f64], b: &mut [f64]) {
        self.prepare_terms(t, m);
        map_chunks(b, |first, bc| self.chunk_field(t, m, first, bc));
    }
    fn term_fields(&self, t: f64, m: &[f64]) -> crate::llg::check::TermFields {
        self.all_terms()
            .map(|term| {
                let mut b = vec![0.0; m.len()];
                super::terms::term_field(term, t, m, &mut b);
                (term.name(), b)
            })
            .collect()
    }
    fn energy_parts(&self, t: f64, m: &[f64]) -> Vec<(&'static str, f64)> {
        self.all_terms().map(|term| (term.name(), term.energy(t, m))).collect()
    }
    /// dy/dt of the full state y = [m, W_ext/e_ref, Q/e_ref], in one parallel pass over
    /// chunks of islands (field terms, then torque).
    fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64], noise: Option<&[f64]>, motion: Motion) {
        let n3 = 3 * self.n;
        let m = &y[..n3];
        self.prepare_terms(t, m);
        let rate = self.zeeman.protocol.field_rate(t);
        let (dq, dw) = fold_chunks(
            &mut dy[..n3],
            (0.0, 0.0),
            |first, dyc| {
                FIELD_SCRATCH.with_borrow_mut(|field| {
                    field.resize(dyc.len().max(field.len()), 0.0);
                    let b = &mut field[..dyc.len()];
                    self.chunk_field(t, m, first, b);
                    torque_chunk(m, b, first, dyc, noise, &self.moment, self.alpha, &rate, motion)
                })
            },
            |a, p| (a.0 + p.0, a.1 + p.1),
        );
        bookkeeping(self, dy, n3, dq, dw, motion);
    }
}
