//! Islands of a lattice on the grid: a cell is magnetic, and belongs to island i, when its
//! centre lies inside the island's outline (rectangle or ellipse in the plane, 0 ≤ z <
//! thickness). The grid covers the islands' bounding box plus one empty cell on every side
//! in-plane; nz = round(max thickness / dz). Each cell's easy axis is its island's long axis.

use super::mesh::{Mesh, NO_ISLAND};
use crate::error::ConfigError;
use crate::geometry::{Island, Shape};

/// Most cells a rasterised mesh may have.
pub const MAX_CELLS: usize = 1 << 25;

/// Whether the point (x, y) lies inside the island's outline.
pub fn inside(island: &Island, x: f64, y: f64) -> bool {
    let (u, v) = (island.long_axis(), island.short_axis());
    let (dx, dy) = (x - island.x, y - island.y);
    let (a, b) = ((dx * u.x + dy * u.y) / (0.5 * island.length), (dx * v.x + dy * v.y) / (0.5 * island.width));
    match island.shape {
        Shape::Prism => a.abs() <= 1.0 && b.abs() <= 1.0,
        Shape::Ellipse => a * a + b * b <= 1.0,
    }
}

/// Rasterises `islands` onto cells of size `d` (m) with saturation magnetisation `ms`.
pub fn rasterise(islands: &[Island], d: [f64; 3], ms: f64) -> Result<Mesh, ConfigError> {
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    let mut t_max: f64 = 0.0;
    for isl in islands {
        let (u, v) = (isl.long_axis(), isl.short_axis());
        let ex = 0.5 * (isl.length * u.x.abs() + isl.width * v.x.abs());
        let ey = 0.5 * (isl.length * u.y.abs() + isl.width * v.y.abs());
        lo = [lo[0].min(isl.x - ex), lo[1].min(isl.y - ey)];
        hi = [hi[0].max(isl.x + ex), hi[1].max(isl.y + ey)];
        t_max = t_max.max(isl.thickness);
    }
    let nx = ((hi[0] - lo[0]) / d[0]).ceil() as usize + 2;
    let ny = ((hi[1] - lo[1]) / d[1]).ceil() as usize + 2;
    let nz = ((t_max / d[2]).round() as usize).max(1);
    let cells = nx.saturating_mul(ny).saturating_mul(nz);
    if cells > MAX_CELLS {
        return Err(ConfigError::new(
            "mesh.cell",
            format!("{d:?}"),
            format!("gives {nx} × {ny} × {nz} = {cells} cells for this lattice: at most {MAX_CELLS}; use larger cells"),
        ));
    }
    // Centre the islands' bounding box in the grid.
    let origin = [0.5 * (lo[0] + hi[0]) - 0.5 * nx as f64 * d[0], 0.5 * (lo[1] + hi[1]) - 0.5 * ny as f64 * d[1], 0.0];
    let mut mesh = Mesh {
        n: [nx, ny, nz],
        d,
        origin,
        ms: vec![0.0; cells],
        axis: vec![[1.0, 0.0, 0.0]; cells],
        island: vec![NO_ISLAND; cells],
    };
    for (k_isl, isl) in islands.iter().enumerate() {
        let (u, v) = (isl.long_axis(), isl.short_axis());
        let ex = 0.5 * (isl.length * u.x.abs() + isl.width * v.x.abs());
        let ey = 0.5 * (isl.length * u.y.abs() + isl.width * v.y.abs());
        let range = |c: f64, e: f64, ax: usize, n: usize| {
            let a = (((c - e - origin[ax]) / d[ax]).floor().max(0.0)) as usize;
            let b = ((((c + e - origin[ax]) / d[ax]).ceil()) as usize + 1).min(n);
            a..b
        };
        for k in 0..nz {
            for j in range(isl.y, ey, 1, ny) {
                for i in range(isl.x, ex, 0, nx) {
                    let c = mesh.index(i, j, k);
                    let [x, y, z] = mesh.centre(c);
                    if z < isl.thickness && mesh.island[c] == NO_ISLAND && inside(isl, x, y) {
                        mesh.ms[c] = ms;
                        mesh.axis[c] = [u.x, u.y, u.z];
                        mesh.island[c] = k_isl as u32;
                    }
                }
            }
        }
    }
    if let Some((k, _)) = islands.iter().enumerate().find(|(k, _)| !mesh.island.contains(&(*k as u32))) {
        return Err(ConfigError::new(
            "mesh.cell",
            format!("{d:?}"),
            format!("is too coarse: island {k} covers no cell centre; use cells smaller than the islands"),
        ));
    }
    Ok(mesh)
}

/// Volume-weighted mean m of each island's cells.
pub fn island_means(mesh: &Mesh, m: &[f64], islands: usize) -> Vec<nalgebra::Vector3<f64>> {
    let mut sum = vec![(nalgebra::Vector3::zeros(), 0.0); islands];
    for c in 0..mesh.cells() {
        let k = mesh.island[c];
        if k != NO_ISLAND && (k as usize) < islands {
            let s = &mut sum[k as usize];
            s.0 += nalgebra::Vector3::new(m[3 * c], m[3 * c + 1], m[3 * c + 2]) * mesh.ms[c];
            s.1 += mesh.ms[c];
        }
    }
    sum.into_iter().map(|(s, w)| if w > 0.0 { s / w } else { s }).collect()
}

/// Moment Σ Ms V_c of each island's cells (A·m²).
pub fn island_moments(mesh: &Mesh, islands: usize) -> Vec<f64> {
    let mut mu = vec![0.0; islands];
    let v = mesh.cell_volume();
    for c in 0..mesh.cells() {
        let k = mesh.island[c];
        if k != NO_ISLAND && (k as usize) < islands {
            mu[k as usize] += mesh.ms[c] * v;
        }
    }
    mu
}

/// Per island: |⟨m⟩| (Ms-weighted), circulation ⟨ẑ·(r̂ × m)⟩ over its cells (r̂ the in-plane
/// direction from the island centre; cells within half a cell of the centre are skipped) and
/// m_z of its most out-of-plane cell.
pub fn island_textures(mesh: &Mesh, m: &[f64], islands: &[Island]) -> Vec<crate::engine::Texture> {
    let means = island_means(mesh, m, islands.len());
    let mut circ = vec![(0.0, 0usize); islands.len()];
    let mut pol = vec![0.0f64; islands.len()];
    let r_min = 0.5 * mesh.d[0].min(mesh.d[1]);
    for c in 0..mesh.cells() {
        let k = mesh.island[c];
        if k == NO_ISLAND || (k as usize) >= islands.len() || mesh.ms[c] == 0.0 {
            continue;
        }
        let (k, isl) = (k as usize, &islands[k as usize]);
        let [x, y, _] = mesh.centre(c);
        let (dx, dy) = (x - isl.x, y - isl.y);
        let r = dx.hypot(dy);
        let mc = [m[3 * c], m[3 * c + 1], m[3 * c + 2]];
        if r > r_min {
            circ[k].0 += (dx * mc[1] - dy * mc[0]) / r;
            circ[k].1 += 1;
        }
        if mc[2].abs() > pol[k].abs() {
            pol[k] = mc[2];
        }
    }
    (0..islands.len())
        .map(|k| crate::engine::Texture {
            norm: means[k].norm(),
            circulation: if circ[k].1 > 0 { circ[k].0 / circ[k].1 as f64 } else { 0.0 },
            polarity: pol[k],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(shape: Shape, angle_deg: f64) -> Island {
        Island {
            x: 0.0,
            y: 0.0,
            angle: angle_deg.to_radians(),
            shape,
            length: 220e-9,
            width: 80e-9,
            thickness: 20e-9,
            sublattice: 0,
        }
    }

    #[test]
    fn rasterised_volume_matches_the_island() {
        for (shape, angle) in [(Shape::Prism, 0.0), (Shape::Prism, 30.0), (Shape::Ellipse, 0.0), (Shape::Ellipse, 45.0)]
        {
            let isl = bar(shape, angle);
            let mesh = rasterise(std::slice::from_ref(&isl), [2e-9, 2e-9, 5e-9], 8e5).unwrap();
            let v = mesh.magnetic_cells() as f64 * mesh.cell_volume();
            assert!((v / isl.volume() - 1.0).abs() < 0.02, "{shape:?} at {angle}°: {v:e} vs {:e}", isl.volume());
            assert_eq!(mesh.n[2], 4);
            // Every magnetic cell's easy axis is the island's long axis.
            let u = isl.long_axis();
            assert!(mesh
                .axis
                .iter()
                .zip(&mesh.ms)
                .filter(|(_, &m)| m > 0.0)
                .all(|(a, _)| (a[0] - u.x).abs() < 1e-15 && (a[1] - u.y).abs() < 1e-15));
        }
    }

    #[test]
    fn cells_coarser_than_an_island_are_refused() {
        let small = Island { length: 4e-9, width: 2e-9, ..bar(Shape::Prism, 0.0) };
        let far = Island { x: 300e-9, ..bar(Shape::Prism, 0.0) };
        assert!(rasterise(&[far, small], [10e-9, 10e-9, 10e-9], 8e5).is_err());
    }
}
