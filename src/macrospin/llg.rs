//! The Landau–Lifshitz form of the LLG equation with energy bookkeeping.
//!
//! $$ \frac{dm_i}{dt} = -\frac{\gamma}{1+\alpha^2}\left[m_i\times B_i + \alpha\, m_i\times(m_i\times B_i)\right] $$
//!
//! integrated together with the dissipated energy and the work of the applied field,
//!
//! $$ \frac{dQ}{dt} = \sum_i \frac{\alpha\gamma}{1+\alpha^2} M_s V_i |m_i\times B_i|^2, \qquad
//!    \frac{dW_{ext}}{dt} = -\sum_i \mu_i\, m_i\cdot \frac{dB_{ext}}{dt}, $$
//!
//! so that E(t) − E(0) = W_ext − Q holds to integration accuracy (T = 0). Both are carried in
//! units of `e_ref` so the adaptive error control sees numbers of order one.

use super::terms::{fold_chunks, get3, map_chunks, FieldTerm};
use std::cell::RefCell;

thread_local! {
    /// Per-thread buffer for the effective field of one chunk of islands.
    static FIELD_SCRATCH: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}
use super::MacrospinArray;
use crate::constants::GAMMA;

impl MacrospinArray {
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
        self.zeeman.add_field(t, m, first, b);
        for term in &self.terms {
            term.add_field(t, m, first, b);
        }
    }

    /// The deterministic effective field B_eff,i (T) at time t into `b` (3 per island).
    pub fn effective_field(&self, t: f64, m: &[f64], b: &mut [f64]) {
        self.prepare_terms(t, m);
        map_chunks(b, |first, bc| self.chunk_field(t, m, first, bc));
    }

    /// dy/dt of the full state y = [m, W_ext/e_ref, Q/e_ref], in one parallel pass over
    /// chunks of islands (field terms, then torque). A thermal field `noise` (T, 3N), if
    /// given, drives the torque but not the dissipation integrand.
    pub fn rhs(&self, t: f64, y: &[f64], dy: &mut [f64], noise: Option<&[f64]>) {
        let n3 = 3 * self.n;
        let m = &y[..n3];
        self.prepare_terms(t, m);
        let g = GAMMA / (1.0 + self.alpha * self.alpha);
        let alpha = self.alpha;
        let rate = self.zeeman.protocol.field_rate(t);
        let (dq, dw) = fold_chunks(
            &mut dy[..n3],
            (0.0, 0.0),
            |first, dyc| {
                FIELD_SCRATCH.with_borrow_mut(|field| {
                    field.resize(dyc.len().max(field.len()), 0.0);
                    let b = &mut field[..dyc.len()];
                    self.chunk_field(t, m, first, b);
                    self.torque_chunk(m, b, first, dyc, noise, g, &rate)
                })
            },
            |a, p| (a.0 + p.0, a.1 + p.1),
        );
        dy[n3] = dw / self.e_ref;
        dy[n3 + 1] = alpha * g * dq / self.e_ref;
    }

    /// The LL torque of islands first.. into `dyc`, with B_eff of the chunk in `b`; returns
    /// this chunk's Σ μ_i|m_i × B_i|² and −Σ μ_i m_i·dB_ext/dt.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn torque_chunk(
        &self,
        m: &[f64],
        b: &[f64],
        first: usize,
        dyc: &mut [f64],
        noise: Option<&[f64]>,
        g: f64,
        rate: &nalgebra::Vector3<f64>,
    ) -> (f64, f64) {
        let alpha = self.alpha;
        let (mut dq, mut dw) = (0.0, 0.0);
        for (k, d) in dyc.chunks_exact_mut(3).enumerate() {
            let i = first + k;
            let mi = get3(m, i);
            let bi = get3(b, k);
            let mxb_det = mi.cross(&bi);
            let mxb = match noise {
                Some(nz) => mi.cross(&(bi + get3(nz, i))),
                None => mxb_det,
            };
            let dm = -(mxb + mi.cross(&mxb) * alpha) * g;
            d[0] = dm.x;
            d[1] = dm.y;
            d[2] = dm.z;
            dq += self.moment[i] * mxb_det.norm_squared();
            dw -= self.moment[i] * mi.dot(rate);
        }
        (dq, dw)
    }
}
