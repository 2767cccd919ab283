//! The grid: nx × ny × nz cells of size (dx, dy, dz), cell (i, j, k) at index
//! i + nx·(j + ny·k), centred at origin + ((i+½)dx, (j+½)dy, (k+½)dz). Per cell: saturation
//! magnetisation Ms (A/m; 0 marks an empty cell outside the magnet), the uniaxial easy axis,
//! and which island of a lattice the cell belongs to.

/// Elements of work (cells, or FFT points) below which a parallel loop is not split: small
/// meshes then run on one thread without task overhead.
pub const PAR_GRAIN: usize = 8192;

/// Minimum items per parallel task when each item is `per_item` elements of work.
pub fn min_items(per_item: usize) -> usize {
    (PAR_GRAIN / per_item.max(1)).max(1)
}

/// Island label of cells that belong to no island.
pub const NO_ISLAND: u32 = u32::MAX;

/// A regular grid and its magnetic cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    pub n: [usize; 3],
    /// Cell size (m).
    pub d: [f64; 3],
    /// Position of the grid's lower corner (m).
    pub origin: [f64; 3],
    /// Ms per cell (A/m), 0 outside the magnet.
    pub ms: Vec<f64>,
    /// Uniaxial easy axis per cell (unit vector).
    pub axis: Vec<[f64; 3]>,
    /// Island index per cell ([`NO_ISLAND`] outside every island).
    pub island: Vec<u32>,
}

impl Mesh {
    /// A box of n cells of size d, all magnetic with saturation magnetisation `ms`, easy axis
    /// x, all in "island" 0.
    pub fn cuboid(n: [usize; 3], d: [f64; 3], ms: f64) -> Self {
        let cells = n[0] * n[1] * n[2];
        Mesh { n, d, origin: [0.0; 3], ms: vec![ms; cells], axis: vec![[1.0, 0.0, 0.0]; cells], island: vec![0; cells] }
    }
    pub fn cells(&self) -> usize {
        self.n[0] * self.n[1] * self.n[2]
    }
    /// Cells with Ms > 0.
    pub fn magnetic_cells(&self) -> usize {
        self.ms.iter().filter(|&&m| m > 0.0).count()
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
        [
            self.origin[0] + (i as f64 + 0.5) * self.d[0],
            self.origin[1] + (j as f64 + 0.5) * self.d[1],
            self.origin[2] + (k as f64 + 0.5) * self.d[2],
        ]
    }
}
