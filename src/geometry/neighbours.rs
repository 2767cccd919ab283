//! Neighbour search in the plane by a uniform cell list: for each point i, every j ≠ i with
//! |r_j − r_i| ≤ r_c, in increasing j. O(N) for a bounded density; r_c = ∞ gives all pairs.

use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast non-cryptographic hasher for integer keys (the multiply–rotate scheme of rustc's
/// FxHash): maps keyed by cells, bit patterns and stencils, built once per array.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, x: u8) {
        self.add(x as u64)
    }
    fn write_u32(&mut self, x: u32) {
        self.add(x as u64)
    }
    fn write_i32(&mut self, x: i32) {
        self.add(x as u32 as u64)
    }
    fn write_u64(&mut self, x: u64) {
        self.add(x)
    }
    fn write_i64(&mut self, x: i64) {
        self.add(x as u64)
    }
    fn write_usize(&mut self, x: usize) {
        self.add(x as u64)
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A HashMap with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// For each point, the indices of the other points within distance `rc` (inclusive).
pub fn pairs_within(points: &[(f64, f64)], rc: f64) -> Vec<Vec<usize>> {
    let n = points.len();
    if !rc.is_finite() {
        return (0..n).map(|i| (0..n).filter(|&j| j != i).collect()).collect();
    }
    if n == 0 || rc <= 0.0 {
        return vec![Vec::new(); n];
    }
    // Cells slightly wider than rc, so a pair at exactly rc (common on a lattice) can never
    // land two cells apart through rounding.
    let side = rc * (1.0 + 1e-9);
    let cell = |p: &(f64, f64)| ((p.0 / side).floor() as i64, (p.1 / side).floor() as i64);
    let mut grid: FxHashMap<(i64, i64), Vec<usize>> = FxHashMap::default();
    for (i, p) in points.iter().enumerate() {
        grid.entry(cell(p)).or_default().push(i);
    }
    let rc2 = rc * rc * (1.0 + 1e-12);
    (0..n)
        .into_par_iter()
        .map(|i| {
            let (cx, cy) = cell(&points[i]);
            let mut out = Vec::new();
            for dx in -1..=1 {
                for dy in -1..=1 {
                    if let Some(list) = grid.get(&(cx + dx, cy + dy)) {
                        for &j in list {
                            let (ddx, ddy) = (points[j].0 - points[i].0, points[j].1 - points[i].1);
                            if j != i && ddx * ddx + ddy * ddy <= rc2 {
                                out.push(j);
                            }
                        }
                    }
                }
            }
            out.sort_unstable();
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pairs_at_exactly_the_cutoff_on_a_grid_are_all_found() {
        // Points on a grid of pitch a with rc = 3a: every interior point has the same count.
        let a = 5e-7;
        let pts: Vec<(f64, f64)> =
            (0..40).flat_map(|j| (0..40).map(move |i| ((i as f64 + 0.5) * a, j as f64 * a))).collect();
        let near = pairs_within(&pts, 3.0 * a);
        let counts: Vec<usize> =
            (10..30).flat_map(|j| (10..30).map(move |i| j * 40 + i)).map(|k| near[k].len()).collect();
        assert!(counts.iter().all(|&c| c == counts[0]), "{counts:?}");
        assert_eq!(counts[0], 28); // lattice points within radius 3 (excluding the centre)
    }

    proptest! {
        #[test]
        fn cell_list_equals_brute_force(pts in proptest::collection::vec((-5.0f64..5.0, -5.0f64..5.0), 0..60), rc in 0.1f64..3.0) {
            let fast = pairs_within(&pts, rc);
            for (i, p) in pts.iter().enumerate() {
                let brute: Vec<usize> = (0..pts.len())
                    .filter(|&j| j != i && ((pts[j].0 - p.0).powi(2) + (pts[j].1 - p.1).powi(2)) <= rc * rc * (1.0 + 1e-12))
                    .collect();
                prop_assert_eq!(&fast[i], &brute);
            }
        }
    }
}
