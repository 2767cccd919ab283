//! Effective-field terms of the macrospin engine, one per file (as in MuMax3's engine).
//!
//! Each term gives the field B_i (T) at every island, B_i = −(1/(Ms V_i)) ∂E/∂m_i, and its
//! energy E (J). The magnetisation is a flat slice `m = [m0x, m0y, m0z, m1x, …]` of unit
//! vectors. Fields are added chunk by chunk (islands `first..first + b.len()/3`), so the
//! engine evaluates every term and the torque in one parallel pass over the array.

pub mod dipolar;
pub mod shape;
pub mod thermal;
pub mod uniaxial;
pub mod zeeman;

use nalgebra::Vector3;

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
}

/// The field (T) of one term over the whole array into `b` (added), preparing it first.
pub fn term_field(term: &dyn FieldTerm, t: f64, m: &[f64], b: &mut [f64]) {
    term.prepare(t, m);
    map_chunks(b, |first, bc| term.add_field(t, m, first, bc));
}

/// The unit vector of island `i` in a flat slice.
#[inline(always)]
pub fn get3(v: &[f64], i: usize) -> Vector3<f64> {
    Vector3::new(v[3 * i], v[3 * i + 1], v[3 * i + 2])
}

/// Adds `x` to island `i`'s entry of a flat slice.
#[inline(always)]
pub fn add3(v: &mut [f64], i: usize, x: &Vector3<f64>) {
    v[3 * i] += x.x;
    v[3 * i + 1] += x.y;
    v[3 * i + 2] += x.z;
}

/// Islands per work chunk. Chunks are the same whether run serially or in parallel, so sums
/// over chunks (and hence every result) do not depend on the thread count.
pub const CHUNK: usize = 1024;
/// Arrays with more islands than this are processed in parallel (rayon).
pub const PARALLEL_MIN: usize = 2048;

/// Runs `f(first_island, chunk)` over fixed chunks of CHUNK islands of a flat 3-per-island
/// slice, in parallel when the array is large, and folds the per-chunk results in chunk
/// order with `combine` (so the result does not depend on the thread count).
pub fn fold_chunks<R, F, C>(data: &mut [f64], init: R, f: F, combine: C) -> R
where
    R: Send,
    F: Fn(usize, &mut [f64]) -> R + Sync + Send,
    C: Fn(R, R) -> R,
{
    use rayon::prelude::*;
    if data.len() / 3 <= PARALLEL_MIN {
        data.chunks_mut(3 * CHUNK).enumerate().fold(init, |acc, (k, c)| combine(acc, f(k * CHUNK, c)))
    } else {
        let parts: Vec<R> = data.par_chunks_mut(3 * CHUNK).enumerate().map(|(k, c)| f(k * CHUNK, c)).collect();
        parts.into_iter().fold(init, combine)
    }
}

/// [`fold_chunks`] for work with no result.
pub fn map_chunks<F>(data: &mut [f64], f: F)
where
    F: Fn(usize, &mut [f64]) + Sync + Send,
{
    fold_chunks(data, (), f, |_, _| ())
}

/// Σ_i g(i) over `n` islands, summed per fixed chunk then in chunk order (deterministic).
pub fn sum_islands<F>(n: usize, g: F) -> f64
where
    F: Fn(usize) -> f64 + Sync + Send,
{
    use rayon::prelude::*;
    let chunk_sum = |k: usize| (k * CHUNK..((k + 1) * CHUNK).min(n)).map(&g).sum::<f64>();
    let chunks = n.div_ceil(CHUNK);
    if n <= PARALLEL_MIN {
        (0..chunks).map(chunk_sum).sum()
    } else {
        let parts: Vec<f64> = (0..chunks).into_par_iter().map(chunk_sum).collect();
        parts.iter().sum()
    }
}
