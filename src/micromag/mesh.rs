//! The grid: nx × ny × nz cells of size (dx, dy, dz), cell (i, j, k) at index
//! i + nx·(j + ny·k), centred at ((i+½)dx, (j+½)dy, (k+½)dz). Per-cell saturation
//! magnetisation Ms (A/m; 0 marks an empty cell outside the magnet).

/// A regular grid and its magnetic cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    pub n: [usize; 3],
    /// Cell size (m).
    pub d: [f64; 3],
    /// Ms per cell (A/m), 0 outside the magnet.
    pub ms: Vec<f64>,
}

impl Mesh {
    /// A box of n cells of size d, all magnetic with saturation magnetisation `ms`.
    pub fn cuboid(n: [usize; 3], d: [f64; 3], ms: f64) -> Self {
        Mesh { n, d, ms: vec![ms; n[0] * n[1] * n[2]] }
    }
    pub fn cells(&self) -> usize {
        self.n[0] * self.n[1] * self.n[2]
    }
    pub fn cell_volume(&self) -> f64 {
        self.d[0] * self.d[1] * self.d[2]
    }
    pub fn index(&self, i: usize, j: usize, k: usize) -> usize {
        i + self.n[0] * (j + self.n[1] * k)
    }
    /// (i, j, k) of index `c`.
    pub fn coords(&self, c: usize) -> [usize; 3] {
        [c % self.n[0], (c / self.n[0]) % self.n[1], c / (self.n[0] * self.n[1])]
    }
    /// Centre of cell `c` (m).
    pub fn centre(&self, c: usize) -> [f64; 3] {
        let [i, j, k] = self.coords(c);
        [(i as f64 + 0.5) * self.d[0], (j as f64 + 0.5) * self.d[1], (k as f64 + 0.5) * self.d[2]]
    }
}
