//! Maps of one layer of cells seen from above, axes in nm with equal aspect, empty cells
//! light grey:
//! - `m_final.png`: a micromagnetic state, each cell filled with the in-plane colour wheel,
//!   `hsv_wheel(atan2(my, mx), sqrt(mx² + my²))` (m along ±z fades to white), a colour-wheel
//!   key at the right;
//! - mode maps: a scalar per cell (normalised to its largest value), viridis, with a colour
//!   bar.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::style::draw_axes;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{
    colour_key, font_status, hsv_wheel, with_path, write_figure, Figure, PlotResult, FONT_FAMILY, TITLE_FONT,
};

/// What a cell holds: `values[i + nx·j]` is `None` for an empty cell.
#[derive(Debug, Clone)]
pub enum CellValues {
    /// Unit magnetisation per cell.
    Magnetisation(Vec<Option<[f64; 3]>>),
    /// A scalar per cell, shown relative to the largest, with the colour bar's label.
    Scalar { values: Vec<Option<f64>>, label: String },
}

/// One layer of a grid.
#[derive(Debug, Clone)]
pub struct CellMap {
    pub title: String,
    pub nx: usize,
    pub ny: usize,
    /// Cell size (m) in x and y, and the grid's lower corner (m).
    pub d: [f64; 2],
    pub origin: [f64; 2],
    pub values: CellValues,
}

/// A scalar map is a [`CellMap`] of [`CellValues::Scalar`].
pub type ScalarMap = CellMap;

impl CellMap {
    fn of_layer(mesh: &crate::micromag::mesh::Mesh, title: String, values: CellValues) -> CellMap {
        let [nx, ny, _] = mesh.n;
        CellMap { title, nx, ny, d: [mesh.d[0], mesh.d[1]], origin: [mesh.origin[0], mesh.origin[1]], values }
    }

    /// The cell indices of the top layer of `mesh`.
    fn top(mesh: &crate::micromag::mesh::Mesh) -> std::ops::Range<usize> {
        let [nx, ny, nz] = mesh.n;
        nx * ny * (nz - 1)..nx * ny * nz
    }

    /// The top layer of cells of state m (3 per cell) on `mesh`, as seen from above.
    pub fn top_layer(mesh: &crate::micromag::mesh::Mesh, m: &[f64], title: String) -> CellMap {
        let cells =
            Self::top(mesh).map(|c| (mesh.ms[c] > 0.0).then(|| [m[3 * c], m[3 * c + 1], m[3 * c + 2]])).collect();
        Self::of_layer(mesh, title, CellValues::Magnetisation(cells))
    }

    /// The top layer of a scalar per cell on `mesh`.
    pub fn top_layer_scalar(mesh: &crate::micromag::mesh::Mesh, v: &[f64], title: String, label: &str) -> CellMap {
        let values = Self::top(mesh).map(|c| (mesh.ms[c] > 0.0).then_some(v[c])).collect();
        Self::of_layer(mesh, title, CellValues::Scalar { values, label: label.into() })
    }

    fn len(&self) -> usize {
        match &self.values {
            CellValues::Magnetisation(v) => v.len(),
            CellValues::Scalar { values, .. } => values.len(),
        }
    }

    /// The fill colour of cell k.
    fn colour(&self, k: usize, top: f64) -> RGBColor {
        let empty = RGBColor(235, 235, 235);
        match &self.values {
            CellValues::Magnetisation(v) => v[k].map_or(empty, |m| hsv_wheel(m[1].atan2(m[0]), m[0].hypot(m[1]))),
            CellValues::Scalar { values, .. } => values[k].map_or(empty, |x| super::heatmap::viridis(x / top)),
        }
    }
}

const MARGIN: u32 = 20;
const TITLE_H: u32 = 50;
const LEFT: u32 = 90;
const BOTTOM: u32 = 70;
const PANEL: u32 = 180;
const PLOT_MAX: f64 = 900.0;
const PLOT_MIN: f64 = 160.0;

/// Draws a scalar map (see [`cell_map`]).
pub fn scalar_map(png: &Path, fig: &ScalarMap) -> PlotResult {
    cell_map(png, fig)
}

/// Draws the map to `png` (bitmap only: a vector file of every cell would be large).
pub fn cell_map(png: &Path, fig: &CellMap) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    if fig.nx == 0 || fig.ny == 0 || fig.len() != fig.nx * fig.ny {
        return Err(with_path(png, "cell map: the grid and the data disagree"));
    }
    write_figure(fig, png, None)
}

impl CellMap {
    /// Plot-area size (px), equal aspect, the long side PLOT_MAX.
    fn plot_px(&self) -> (u32, u32) {
        let (w, h) = (self.nx as f64 * self.d[0], self.ny as f64 * self.d[1]);
        let s = PLOT_MAX / w.max(h);
        ((w * s).max(PLOT_MIN).round() as u32, (h * s).max(PLOT_MIN).round() as u32)
    }
}

impl Figure for CellMap {
    fn size(&self) -> (u32, u32) {
        let (pw, ph) = self.plot_px();
        (2 * MARGIN + LEFT + pw + PANEL, 2 * MARGIN + TITLE_H + BOTTOM + ph)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let (pw, _) = self.plot_px();
        let style = (FONT_FAMILY, TITLE_FONT).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw_text(&self.title, &style, ((MARGIN + LEFT + pw / 2) as i32, (MARGIN + TITLE_H / 2) as i32))
            .map_err(s)?;
        let nm = 1e9;
        let (x0, y0) = (self.origin[0] * nm, self.origin[1] * nm);
        let (x1, y1) = (x0 + self.nx as f64 * self.d[0] * nm, y0 + self.ny as f64 * self.d[1] * nm);
        let area = root.margin(MARGIN + TITLE_H, MARGIN, MARGIN, MARGIN + PANEL);
        let mut chart = ChartBuilder::on(&area)
            .set_label_area_size(LabelAreaPosition::Left, LEFT)
            .set_label_area_size(LabelAreaPosition::Bottom, BOTTOM)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(s)?;
        draw_axes(&mut chart, "x (nm)", "y (nm)", (6, 5), false)?;
        let (dx, dy) = (self.d[0] * nm, self.d[1] * nm);
        let top = match &self.values {
            CellValues::Scalar { values, .. } => values.iter().flatten().fold(0.0f64, |a, x| a.max(*x)).max(1e-300),
            CellValues::Magnetisation(_) => 1.0,
        };
        let cells = (0..self.ny).flat_map(|j| (0..self.nx).map(move |i| (i, j)));
        chart
            .draw_series(cells.map(|(i, j)| {
                let colour = self.colour(i + self.nx * j, top);
                let (a, b) = (x0 + i as f64 * dx, y0 + j as f64 * dy);
                Rectangle::new([(a, b), (a + dx, b + dy)], colour.filled())
            }))
            .map_err(s)?;
        chart.draw_series(std::iter::once(Rectangle::new([(x0, y0), (x1, y1)], BLACK.stroke_width(1)))).map_err(s)?;
        let (w, _) = self.size();
        let x = (w - MARGIN - PANEL / 2) as i32;
        match &self.values {
            CellValues::Magnetisation(_) => colour_key(root, (x, (MARGIN + TITLE_H + 90) as i32), 55).map_err(s),
            CellValues::Scalar { label, .. } => colour_bar(root, (x, (MARGIN + TITLE_H) as i32), label).map_err(s),
        }
    }
}

/// A vertical viridis bar from 0 (bottom) to 1 (top) with its label, top centre at `c`.
fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: (i32, i32),
    label: &str,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (h, w, steps) = (240, 24, 60);
    let top = c.1 + 40;
    for k in 0..steps {
        let y0 = top + h - (k + 1) * h / steps;
        let y1 = top + h - k * h / steps;
        let col = super::heatmap::viridis((k as f64 + 0.5) / steps as f64);
        root.draw(&Rectangle::new([(c.0 - w / 2, y0), (c.0 + w / 2, y1)], col.filled()))?;
    }
    root.draw(&Rectangle::new([(c.0 - w / 2, top), (c.0 + w / 2, top + h)], BLACK.stroke_width(1)))?;
    let small = (FONT_FAMILY, 18).into_font().color(&BLACK);
    let right = small.pos(Pos::new(HPos::Left, VPos::Center));
    for (t, y) in [("1", top), ("0.5", top + h / 2), ("0", top + h)] {
        root.draw_text(t, &right, (c.0 + w / 2 + 6, y))?;
    }
    root.draw_text(label, &small.pos(Pos::new(HPos::Center, VPos::Bottom)), (c.0, top - 8))?;
    Ok(())
}
