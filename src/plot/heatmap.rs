//! Heat map of a value over two swept parameters (cells coloured on a viridis-like scale and
//! labelled with their value), one panel per value of an optional third parameter.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{
    font_status, with_path, write_figure, Figure, PlotResult, FONT_FAMILY, LABEL_FONT, TICK_FONT, TITLE_FONT,
};

/// Panels of a grid: `values[panel][iy][ix]` (NaN = missing).
#[derive(Debug, Clone, Default)]
pub struct HeatMap {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_ticks: Vec<String>,
    pub y_ticks: Vec<String>,
    pub panels: Vec<(String, Vec<Vec<f64>>)>,
    /// What the colour shows (with unit).
    pub value_label: String,
}

pub fn heatmap(png: &Path, svg: Option<&Path>, fig: &HeatMap) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    if fig.panels.is_empty() || fig.x_ticks.is_empty() || fig.y_ticks.is_empty() {
        return Err(with_path(png, "heatmap: empty grid"));
    }
    write_figure(fig, png, svg)
}

/// Viridis, interpolated between 5 anchors, for t ∈ [0, 1].
pub fn viridis(t: f64) -> RGBColor {
    const A: [(f64, f64, f64); 5] =
        [(68.0, 1.0, 84.0), (59.0, 82.0, 139.0), (33.0, 145.0, 140.0), (94.0, 201.0, 98.0), (253.0, 231.0, 37.0)];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let f = t * 4.0;
    let i = (f.floor() as usize).min(3);
    let u = f - i as f64;
    let mix = |a: f64, b: f64| (a + u * (b - a)).round() as u8;
    RGBColor(mix(A[i].0, A[i + 1].0), mix(A[i].1, A[i + 1].1), mix(A[i].2, A[i + 1].2))
}

impl Figure for HeatMap {
    fn size(&self) -> (u32, u32) {
        // Wide enough for the title line (about 11 px per character at its font).
        let title = (self.title.chars().count() + self.value_label.chars().count() + 40) as u32;
        let w = (420 * self.panels.len().clamp(1, 4) as u32 + 40).max(11 * title + 40).min(super::style::FIG_MAX);
        (w, 520)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let all: Vec<f64> =
            self.panels.iter().flat_map(|p| p.1.iter().flatten().copied()).filter(|v| v.is_finite()).collect();
        let (lo, hi) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let span = if hi > lo { hi - lo } else { 1.0 };
        let root = root
            .titled(
                &format!("{} — colour: {} ({:.3}…{:.3}, dark = low)", self.title, self.value_label, lo, hi),
                (FONT_FAMILY, TITLE_FONT - 6),
            )
            .map_err(s)?;
        let areas = root.split_evenly((1, self.panels.len()));
        let (nx, ny) = (self.x_ticks.len(), self.y_ticks.len());
        let xt = self.x_ticks.clone();
        let yt = self.y_ticks.clone();
        for (area, (name, grid)) in areas.iter().zip(&self.panels) {
            let mut chart = ChartBuilder::on(area)
                .caption(name, (FONT_FAMILY, LABEL_FONT - 2))
                .margin(12)
                .x_label_area_size(56)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5f64..(nx as f64 - 0.5), -0.5f64..(ny as f64 - 0.5))
                .map_err(s)?;
            let pick = |t: &Vec<String>, v: f64| {
                let i = v.round();
                if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < t.len() {
                    t[i as usize].clone()
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(nx)
                .y_labels(ny)
                .x_label_formatter(&|v| pick(&xt, *v))
                .y_label_formatter(&|v| pick(&yt, *v))
                .x_desc(&self.x_label)
                .y_desc(&self.y_label)
                .label_style((FONT_FAMILY, TICK_FONT - 2))
                .axis_desc_style((FONT_FAMILY, LABEL_FONT - 4))
                .draw()
                .map_err(s)?;
            for (iy, rowv) in grid.iter().enumerate() {
                for (ix, v) in rowv.iter().enumerate() {
                    let (x, y) = (ix as f64, iy as f64);
                    let t = (v - lo) / span;
                    let c = if v.is_finite() { viridis(t) } else { RGBColor(200, 200, 200) };
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                            c.filled(),
                        )))
                        .map_err(s)?;
                    let ink = if t > 0.6 { BLACK } else { WHITE };
                    let label = if v.is_finite() { format!("{v:.3}") } else { "–".into() };
                    let style =
                        (FONT_FAMILY, TICK_FONT - 3).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                    chart.draw_series(std::iter::once(Text::new(label, (x, y), style))).map_err(s)?;
                }
            }
        }
        Ok(())
    }
}
