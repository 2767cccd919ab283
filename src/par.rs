//! Deterministic parallel loops over arrays of 3-vectors (islands or cells): work is cut into
//! fixed chunks of [`CHUNK`] elements whatever the thread count, and per-chunk results are
//! combined in chunk order, so every sum — and hence every result — is the same on 1 or many
//! threads.

use nalgebra::Vector3;

/// The unit vector of element `i` in a flat slice.
#[inline(always)]
pub fn get3(v: &[f64], i: usize) -> Vector3<f64> {
    Vector3::new(v[3 * i], v[3 * i + 1], v[3 * i + 2])
}

/// Adds `x` to element `i`'s entry of a flat slice.
#[inline(always)]
pub fn add3(v: &mut [f64], i: usize, x: &Vector3<f64>) {
    v[3 * i] += x.x;
    v[3 * i + 1] += x.y;
    v[3 * i + 2] += x.z;
}

/// Elements per work chunk. Chunks are the same whether run serially or in parallel, so sums
/// over chunks (and hence every result) do not depend on the thread count.
pub const CHUNK: usize = 1024;
/// Arrays with more elements than this are processed in parallel (rayon).
pub const PARALLEL_MIN: usize = 2048;

/// Runs `f(first_element, chunk)` over fixed chunks of CHUNK elements of a flat 3-per-element
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

/// Σ_i g(i) over `n` elements, summed per fixed chunk then in chunk order (deterministic).
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
