//! Echo state network (Jaeger 2001), the standard software reservoir:
//!
//! $$ x(t) = (1-a)\,x(t-1) + a \tanh\!\big(W x(t-1) + W_{in} s(t) + b\big) $$
//!
//! with W dense, entries U[−1, 1] rescaled to spectral radius ρ; W_in ~ U[−1, 1]·input_scaling;
//! b ~ U[−1, 1]·bias_scaling; all drawn from ChaCha8(seed), in that order. The state after
//! input s(t) is x(t). Cost per step: N² + N multiply-accumulates (update), plus the readout.

use crate::error::Error;
use crate::reservoir::{Reservoir, States};
use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, PartialEq)]
pub struct EsnSpec {
    /// Nodes N.
    pub n: usize,
    /// Spectral radius ρ of W.
    pub spectral_radius: f64,
    pub input_scaling: f64,
    pub bias_scaling: f64,
    /// Leak rate a ∈ (0, 1].
    pub leak: f64,
    pub seed: u64,
}

#[derive(Debug, Clone)]
pub struct Esn {
    pub spec: EsnSpec,
    w: DMatrix<f64>,
    w_in: DVector<f64>,
    bias: DVector<f64>,
}

/// Largest |eigenvalue| of a square matrix.
pub fn spectral_radius(w: &DMatrix<f64>) -> f64 {
    w.complex_eigenvalues().iter().map(|z| z.norm()).fold(0.0, f64::max)
}

impl Esn {
    pub fn new(spec: EsnSpec) -> Self {
        let n = spec.n;
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let mut draw = |scale: f64| scale * rng.random_range(-1.0..1.0);
        let mut w = DMatrix::from_fn(n, n, |_, _| draw(1.0));
        let w_in = DVector::from_fn(n, |_, _| draw(spec.input_scaling));
        let bias = DVector::from_fn(n, |_, _| draw(spec.bias_scaling));
        let rho = spectral_radius(&w);
        if rho > 0.0 {
            w *= spec.spectral_radius / rho;
        }
        Esn { spec, w, w_in, bias }
    }

    /// The recurrent matrix (after rescaling).
    pub fn weights(&self) -> &DMatrix<f64> {
        &self.w
    }
}

impl Reservoir for Esn {
    fn describe(&self) -> String {
        format!("esn (N = {}, rho = {})", self.spec.n, self.spec.spectral_radius)
    }
    fn width(&self) -> usize {
        self.spec.n
    }
    fn run(&mut self, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<States, Error> {
        let n = self.spec.n;
        let a = self.spec.leak;
        let mut x = DVector::zeros(n);
        let mut pre = DVector::zeros(n);
        let mut rows = Vec::with_capacity(s.len() * n);
        for (t, &st) in s.iter().enumerate() {
            pre.gemv(1.0, &self.w, &x, 0.0);
            pre.axpy(st, &self.w_in, 1.0);
            pre += &self.bias;
            for i in 0..n {
                x[i] = (1.0 - a) * x[i] + a * pre[i].tanh();
            }
            rows.extend(x.iter());
            if t % 256 == 255 {
                progress(256);
            }
        }
        progress((s.len() % 256) as u64);
        Ok(States { width: n, rows, ..Default::default() })
    }
}
