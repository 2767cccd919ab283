//! Echo state network (Jaeger 2001), the standard software reservoir:
//!
//! $$ x(t) = (1-a)\,x(t-1) + a \tanh\!\big(W x(t-1) + W_{in} s(t) + b\big) $$
//!
//! with W dense, entries U[−1, 1] rescaled to spectral radius ρ; W_in ~ U[−1, 1]·input_scaling;
//! b ~ U[−1, 1]·bias_scaling; all drawn from ChaCha8(seed), in that order. The state after
//! input s(t) is x(t). Cost per step: N² + N multiply-accumulates (update), plus the readout.

use super::Software;
use crate::config::checks::{count, in_range, seed};
use crate::config::raw_run::RawReservoir;
use crate::energy::cmos;
use crate::error::{ConfigError, Error};
use crate::reservoir::{Reservoir, States};
use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The `[reservoir]` keys an ESN owns.
pub const KEYS: &[&str] = &["n", "spectral_radius", "input_scaling", "bias_scaling", "leak", "seed"];

/// Validates `[reservoir] kind = "esn"`: N (default 100), ρ (0.9), input scaling (0.1), bias
/// scaling (0.1), leak (1), weight seed (default: `default_seed`, the lattice seed).
pub fn from_config(
    raw: &RawReservoir,
    default_seed: u64,
    res: &mut RawReservoir,
) -> Result<Arc<dyn Software>, ConfigError> {
    let spec = EsnSpec {
        n: count("reservoir.n", raw.n.unwrap_or(100), 1, 5000)?,
        spectral_radius: in_range("reservoir.spectral_radius", raw.spectral_radius.unwrap_or(0.9), 0.0, 10.0, "")?,
        input_scaling: in_range("reservoir.input_scaling", raw.input_scaling.unwrap_or(0.1), 0.0, 100.0, "")?,
        bias_scaling: in_range("reservoir.bias_scaling", raw.bias_scaling.unwrap_or(0.1), 0.0, 100.0, "")?,
        leak: in_range("reservoir.leak", raw.leak.unwrap_or(1.0), 1e-6, 1.0, "")?,
        seed: seed("reservoir.seed", raw.seed.unwrap_or(default_seed as i64))?,
    };
    (res.n, res.spectral_radius, res.input_scaling, res.bias_scaling, res.leak, res.seed) = (
        Some(spec.n as i64),
        Some(spec.spectral_radius),
        Some(spec.input_scaling),
        Some(spec.bias_scaling),
        Some(spec.leak),
        Some(spec.seed as i64),
    );
    Ok(Arc::new(spec))
}

impl Software for EsnSpec {
    fn kind(&self) -> &'static str {
        "esn"
    }
    fn build(&self) -> Box<dyn Reservoir> {
        Box::new(Esn::new(self.clone()))
    }
    fn width(&self) -> usize {
        self.n
    }
    /// The dense update W x plus the input and bias terms: N² + 2N.
    fn macs_per_step(&self) -> f64 {
        cmos::esn_update_macs(self.n)
    }
    fn bits(&self) -> f64 {
        32.0 * self.n as f64
    }
    fn memory_bytes(&self) -> f64 {
        8.0 * (self.n * self.n) as f64
    }
    fn seed(&self) -> Option<u64> {
        Some(self.seed)
    }
}

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

/// The spectral radius of the unscaled recurrent matrix, which depends only on (N, seed): it
/// is drawn first from the seed's stream. Kept for the last few (N, seed), since tuning builds
/// many ESNs that differ only in their scalings.
fn cached_radius(n: usize, seed: u64, w: &DMatrix<f64>) -> f64 {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<(usize, u64), f64>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(r) = cache.lock().ok().and_then(|c| c.get(&(n, seed)).copied()) {
        return r;
    }
    let r = spectral_radius(w);
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 64 {
            c.clear();
        }
        c.insert((n, seed), r);
    }
    r
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
        let rho = cached_radius(n, spec.seed, &w);
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
        let e = &self.spec;
        format!(
            "esn (N = {}, rho = {}, input scaling {}, bias {}, leak {})",
            e.n, e.spectral_radius, e.input_scaling, e.bias_scaling, e.leak
        )
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
