//! Binning islands on a grid: the islands' bounding box of centres cut into nx × ny equal
//! rectangles (shared by the `tiles` features and the `region` sensor).

use super::Island;

/// The cell (row-major, x fastest) of each island on an nx × ny grid over the islands'
/// bounding box of centres; a degenerate extent puts every island in cell 0 along it.
pub fn grid_cells(islands: &[Island], nx: usize, ny: usize) -> Vec<usize> {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for i in islands {
        (x0, x1, y0, y1) = (x0.min(i.x), x1.max(i.x), y0.min(i.y), y1.max(i.y));
    }
    let cell = |v: f64, lo: f64, hi: f64, n: usize| -> usize {
        if hi > lo {
            (((v - lo) / (hi - lo) * n as f64) as usize).min(n - 1)
        } else {
            0
        }
    };
    islands.iter().map(|i| cell(i.y, y0, y1, ny) * nx + cell(i.x, x0, x1, nx)).collect()
}
