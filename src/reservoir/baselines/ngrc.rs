//! Next-generation reservoir computing (Gauthier et al., Nat. Commun. 12, 5564 (2021)): no
//! recurrent network, only polynomial features of delayed inputs. With k taps at stride s the
//! linear part is
//!
//! $$ O_{lin}(t) = [\,s(t),\ s(t-s),\ \dots,\ s(t-(k-1)s)\,] $$
//!
//! (0 before the start), and the nonlinear part every unique monomial of degree 2 … p of
//! those k values (p = `order`, default 2: the k(k+1)/2 products s_i s_j, i ≤ j). The state
//! is O_lin ⊕ O_nonlin, of width C(k + p, p) − 1; the readout adds the constant. The current
//! input is the first tap, so `features.include_input` defaults to false.

use super::Software;
use crate::config::checks::count;
use crate::config::raw_run::RawReservoir;
use crate::error::{ConfigError, Error};
use crate::reservoir::{Reservoir, States};
use std::sync::Arc;

/// The `[reservoir]` keys NG-RC owns.
pub const KEYS: &[&str] = &["taps", "stride", "order"];

/// Largest state width NG-RC may build.
pub const MAX_WIDTH: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NgRc {
    /// Taps k ≥ 1 of the linear part.
    pub taps: usize,
    /// Stride s ≥ 1 between taps (steps).
    pub stride: usize,
    /// Highest monomial degree p ≥ 1 (1: the linear part alone).
    pub order: usize,
}

/// Number of monomials of degree 1 … p in k variables: C(k + p, p) − 1.
pub fn width(taps: usize, order: usize) -> usize {
    let mut c: u128 = 1;
    for i in 1..=order as u128 {
        c = c * (taps as u128 + i) / i;
    }
    usize::try_from(c - 1).unwrap_or(usize::MAX)
}

/// `reservoir.taps` (default 2), `reservoir.stride` (1), `reservoir.order` (2).
pub fn from_config(raw: &RawReservoir, _seed: u64, res: &mut RawReservoir) -> Result<Arc<dyn Software>, ConfigError> {
    let taps = count("reservoir.taps", raw.taps.unwrap_or(2), 1, 10_000)?;
    let stride = count("reservoir.stride", raw.stride.unwrap_or(1), 1, 10_000)?;
    let order = count("reservoir.order", raw.order.unwrap_or(2), 1, 4)?;
    let w = width(taps, order);
    if w > MAX_WIDTH {
        return Err(ConfigError::new(
            "reservoir.taps",
            taps,
            format!("with order {order} makes {w} features; NG-RC may make at most {MAX_WIDTH}: use fewer taps"),
        ));
    }
    (res.taps, res.stride, res.order) = (Some(taps as i64), Some(stride as i64), Some(order as i64));
    Ok(Arc::new(NgRc { taps, stride, order }))
}

/// Appends every monomial of degree `d` of `x` whose factors have indices ≥ `from`, each the
/// product `prefix`·x_i…, in lexicographic order of the index tuples (i₁ ≤ i₂ ≤ …).
fn monomials(x: &[f64], d: usize, from: usize, prefix: f64, out: &mut Vec<f64>) {
    for i in from..x.len() {
        let v = prefix * x[i];
        if d == 1 {
            out.push(v);
        } else {
            monomials(x, d - 1, i, v, out);
        }
    }
}

impl NgRc {
    /// The feature row after input s(t): the linear taps, then degrees 2 … p.
    pub fn row(&self, s: &[f64], t: usize, out: &mut Vec<f64>) {
        let lin: Vec<f64> =
            (0..self.taps).map(|j| j * self.stride).map(|d| if t >= d { s[t - d] } else { 0.0 }).collect();
        out.extend_from_slice(&lin);
        for d in 2..=self.order {
            monomials(&lin, d, 0, 1.0, out);
        }
    }
}

impl Software for NgRc {
    fn kind(&self) -> &'static str {
        "ngrc"
    }
    fn build(&self) -> Box<dyn Reservoir> {
        Box::new(self.clone())
    }
    fn width(&self) -> usize {
        width(self.taps, self.order)
    }
    /// One multiply per monomial factor beyond the first: Σ_{d=2}^{p} (d − 1)·C(k + d − 1, d).
    fn macs_per_step(&self) -> f64 {
        (2..=self.order).map(|d| (d - 1) as f64 * (width(self.taps, d) - width(self.taps, d - 1)) as f64).sum()
    }
    /// The stored inputs: (k − 1)·s + 1 numbers of 32 bits.
    fn bits(&self) -> f64 {
        32.0 * ((self.taps - 1) * self.stride + 1) as f64
    }
    fn holds_input(&self) -> bool {
        true
    }
}

impl Reservoir for NgRc {
    fn describe(&self) -> String {
        format!("ngrc ({} taps, stride {}, order {})", self.taps, self.stride, self.order)
    }
    fn width(&self) -> usize {
        width(self.taps, self.order)
    }
    fn run(&mut self, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<States, Error> {
        let w = Software::width(self);
        let mut rows = Vec::with_capacity(s.len() * w);
        for t in 0..s.len() {
            self.row(s, t, &mut rows);
        }
        progress(s.len() as u64);
        Ok(States { width: w, rows, ..Default::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_monomials() {
        // k = 3, p = 2: 3 linear + 6 quadratic; p = 3: + 10 cubic.
        assert_eq!((width(3, 1), width(3, 2), width(3, 3)), (3, 9, 19));
        let r = NgRc { taps: 3, stride: 1, order: 3 };
        assert_eq!(Software::width(&r), 19);
        // 6 quadratic products (1 multiply each) + 10 cubic (2 each).
        assert_eq!(r.macs_per_step(), 26.0);
    }

    /// Hand values: taps at stride 2 of s = [1, 2, 3, 4, 5] at t = 4 are s(4), s(2) = 5, 3;
    /// the quadratic monomials 25, 15, 9; before the start the taps are 0.
    #[test]
    fn rows_by_hand() {
        let r = NgRc { taps: 2, stride: 2, order: 2 };
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        let mut out = Vec::new();
        r.row(&s, 4, &mut out);
        assert_eq!(out, vec![5.0, 3.0, 25.0, 15.0, 9.0]);
        out.clear();
        r.row(&s, 1, &mut out);
        assert_eq!(out, vec![2.0, 0.0, 4.0, 0.0, 0.0]);
    }
}
