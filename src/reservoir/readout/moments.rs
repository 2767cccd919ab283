//! Streamed moments of feature rows and targets, accumulated as the states are produced, so a
//! primal ridge fit never needs the state matrix. For the joint row $z = (x, y)$ of one split,
//! [`Moments`] holds the count n, the mean $\bar z$ and the co-moment
//! $C = \sum_i (z_i - \bar z)(z_i - \bar z)^T$ (lower triangle), updated a block B of rows at
//! a time by the pairwise formula of Chan, Golub & LeVeque (1979):
//!
//! $$ C = C_A + C_B + \frac{n_A n_B}{n_A + n_B}\,\delta\delta^T, \qquad
//!    \delta = \bar z_B - \bar z_A , $$
//!
//! with $C_B$ the centred block's Gram matrix (faer). This avoids the cancellation of
//! $\sum z z^T - n \bar z \bar z^T$ for features with a large mean and a small spread (m_z ≈ 1).
//! [`SplitMoments`] routes rows by their index into washout (skipped), train, validation and
//! test, so the three are never mixed.

use super::solve::par;
use faer::linalg::matmul::triangular::{matmul as tri_matmul, BlockStructure};
use faer::{Accum, Mat};

/// Rows buffered before a block update.
const BLOCK: usize = 256;

/// Count, mean and co-moment of joint rows (x, y) of width p + K.
#[derive(Debug, Clone)]
pub struct Moments {
    pub p: usize,
    pub k: usize,
    pub n: usize,
    pub mean: Vec<f64>,
    /// Lower triangle of C ((p + K) × (p + K)).
    pub c: Mat<f64>,
    buf: Vec<f64>,
}

impl Moments {
    pub fn new(p: usize, k: usize) -> Self {
        Moments { p, k, n: 0, mean: vec![0.0; p + k], c: Mat::zeros(p + k, p + k), buf: vec![] }
    }

    /// Adds one row (x of width p, y of width K).
    pub fn push(&mut self, x: &[f64], y: &[f64]) {
        debug_assert!(x.len() == self.p && y.len() == self.k);
        self.buf.extend_from_slice(x);
        self.buf.extend_from_slice(y);
        if self.buf.len() >= BLOCK * (self.p + self.k) {
            self.flush();
        }
    }

    /// Folds the buffered rows into the moments.
    pub fn flush(&mut self) {
        let w = self.p + self.k;
        let b = self.buf.len() / w.max(1);
        if b == 0 {
            return;
        }
        let mut mean_b = vec![0.0; w];
        for row in self.buf.chunks_exact(w) {
            for (m, v) in mean_b.iter_mut().zip(row) {
                *m += v;
            }
        }
        mean_b.iter_mut().for_each(|m| *m /= b as f64);
        let centred = Mat::from_fn(w, b, |j, i| self.buf[i * w + j] - mean_b[j]);
        let mut c_b = Mat::zeros(w, w);
        let r = BlockStructure::Rectangular;
        let lower = BlockStructure::TriangularLower;
        tri_matmul(c_b.as_mut(), lower, Accum::Replace, centred.as_ref(), r, centred.transpose(), r, 1.0, par());
        self.buf.clear();
        self.merge(&Moments { p: self.p, k: self.k, n: b, mean: mean_b, c: c_b, buf: vec![] });
    }

    /// Merges another set of moments of the same width into this one (Chan et al.).
    pub fn merge(&mut self, o: &Moments) {
        if o.n == 0 {
            return;
        }
        let (na, nb) = (self.n as f64, o.n as f64);
        let n = na + nb;
        let delta: Vec<f64> = o.mean.iter().zip(&self.mean).map(|(b, a)| b - a).collect();
        let f = na * nb / n;
        let w = delta.len();
        for j in 0..w {
            for i in j..w {
                self.c[(i, j)] += o.c[(i, j)] + f * delta[i] * delta[j];
            }
        }
        for (m, d) in self.mean.iter_mut().zip(&delta) {
            *m += d * nb / n;
        }
        self.n += o.n;
    }

    /// C[i, j] of the joint row (either triangle).
    pub fn co(&self, i: usize, j: usize) -> f64 {
        if i >= j {
            self.c[(i, j)]
        } else {
            self.c[(j, i)]
        }
    }
}

/// Moments of the train, validation and test rows of a run, routed by row index after the
/// washout.
#[derive(Debug, Clone)]
pub struct SplitMoments {
    pub washout: usize,
    pub train: usize,
    pub validation: usize,
    rows: usize,
    /// Train, validation, test.
    pub splits: [Moments; 3],
}

impl SplitMoments {
    pub fn new(p: usize, k: usize, washout: usize, train: usize, validation: usize) -> Self {
        SplitMoments {
            washout,
            train,
            validation,
            rows: 0,
            splits: [Moments::new(p, k), Moments::new(p, k), Moments::new(p, k)],
        }
    }

    /// Adds the next row of the run (washout rows are counted and skipped).
    pub fn push(&mut self, x: &[f64], y: &[f64]) {
        let r = self.rows;
        self.rows += 1;
        if r < self.washout {
            return;
        }
        let r = r - self.washout;
        let s = usize::from(r >= self.train) + usize::from(r >= self.train + self.validation);
        self.splits[s].push(x, y);
    }

    /// Flushes every split's buffer.
    pub fn finish(&mut self) {
        self.splits.iter_mut().for_each(Moments::flush);
    }
}
