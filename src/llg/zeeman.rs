//! The Zeeman term both LLG engines register (as their own term, on islands or cells): the
//! applied field B_ext(t) acts on every element with a moment, $B_i = B_{ext}$, and
//! $E_Z = -\sum_i \mu_i\, m_i\cdot B_{ext}$.

use crate::par::{get3, sum_islands};
use nalgebra::Vector3;

/// Adds B_ext (T) to the elements of `b` (3 per element) whose moment in `moments` (aligned
/// with `b`) is non-zero.
pub fn add_field(b: &mut [f64], b_ext: &Vector3<f64>, moments: &[f64]) {
    for (bi, &mu) in b.chunks_exact_mut(3).zip(moments) {
        if mu != 0.0 {
            bi[0] += b_ext.x;
            bi[1] += b_ext.y;
            bi[2] += b_ext.z;
        }
    }
}

/// E_Z = −Σ μ_i m_i·B_ext (J), summed in fixed chunks (thread-count independent).
pub fn energy(moments: &[f64], m: &[f64], b_ext: &Vector3<f64>) -> f64 {
    -sum_islands(moments.len(), |i| moments[i] * get3(m, i).dot(b_ext))
}
