//! `m_final.png`: a micromagnetic state seen from above. Each cell of the chosen layer is
//! filled with the in-plane colour wheel, `hsv_wheel(atan2(my, mx), sqrt(mx² + my²))`
//! (m along ±z fades to white); empty cells are light grey. Axes in nm with equal aspect;
//! a colour-wheel key at the right.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::style::draw_axes;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{
    colour_key, font_status, hsv_wheel, with_path, write_figure, Figure, PlotResult, FONT_FAMILY, TITLE_FONT,
};

/// One layer of a grid: `m[i + nx·j]` is `None` for an empty cell.
#[derive(Debug, Clone)]
pub struct CellMap {
    pub title: String,
    pub nx: usize,
    pub ny: usize,
    /// Cell size (m) in x and y, and the grid's lower corner (m).
    pub d: [f64; 2],
    pub origin: [f64; 2],
    pub m: Vec<Option<[f64; 3]>>,
}

const MARGIN: u32 = 20;
const TITLE_H: u32 = 50;
const LEFT: u32 = 90;
const BOTTOM: u32 = 70;
const PANEL: u32 = 180;
const PLOT_MAX: f64 = 900.0;
const PLOT_MIN: f64 = 160.0;

/// Draws the map to `png` (bitmap only: a vector file of every cell would be large).
pub fn cell_map(png: &Path, fig: &CellMap) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    if fig.nx == 0 || fig.ny == 0 || fig.m.len() != fig.nx * fig.ny {
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
        let cells = (0..self.ny).flat_map(|j| (0..self.nx).map(move |i| (i, j)));
        chart
            .draw_series(cells.map(|(i, j)| {
                let colour = match self.m[i + self.nx * j] {
                    Some(m) => hsv_wheel(m[1].atan2(m[0]), m[0].hypot(m[1])),
                    None => RGBColor(235, 235, 235),
                };
                let (a, b) = (x0 + i as f64 * dx, y0 + j as f64 * dy);
                Rectangle::new([(a, b), (a + dx, b + dy)], colour.filled())
            }))
            .map_err(s)?;
        chart.draw_series(std::iter::once(Rectangle::new([(x0, y0), (x1, y1)], BLACK.stroke_width(1)))).map_err(s)?;
        let (w, _) = self.size();
        colour_key(root, ((w - MARGIN - PANEL / 2) as i32, (MARGIN + TITLE_H + 90) as i32), 55).map_err(s)
    }
}
