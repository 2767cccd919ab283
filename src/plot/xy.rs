//! A general x–y figure: labelled series drawn as lines, markers or both, one colour each,
//! with a legend at the right (e.g. a fitted astroid over computed switching fields, or the
//! same hysteresis loop from several engines).

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{
    draw_axes, draw_legend, font_status, legend_width, series_colour, with_path, write_figure, Figure, Glyph,
    PlotResult, FIG_H, FONT_FAMILY, TITLE_FONT,
};

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XyStyle {
    Line,
    Markers,
    /// Hollow circles (to show one series under another).
    Rings,
}

#[derive(Debug, Clone)]
pub struct XySeries {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    pub style: XyStyle,
}

#[derive(Debug, Clone)]
pub struct XyPlot {
    pub title: String,
    /// Axis labels, with units.
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<XySeries>,
}

/// Draws `fig` to `png` (and `svg`).
pub fn xy_plot(png: &Path, svg: Option<&Path>, fig: &XyPlot) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    let finite = fig.series.iter().flat_map(|s| &s.points).all(|p| p.0.is_finite() && p.1.is_finite());
    if fig.series.iter().all(|s| s.points.is_empty()) || !finite {
        return Err(with_path(png, "x–y figure: no points, or points that are not finite"));
    }
    write_figure(fig, png, svg)
}

fn range(v: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let pad = 0.05 * (hi - lo).max(1e-12 * hi.abs().max(1e-300));
    (lo - pad)..(hi + pad)
}

impl Figure for XyPlot {
    fn size(&self) -> (u32, u32) {
        (1100, FIG_H)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let entries: Vec<(Glyph, String)> = self
            .series
            .iter()
            .enumerate()
            .map(|(k, sr)| {
                let c = series_colour(k);
                let g = match sr.style {
                    XyStyle::Line => Glyph::Line(c, 3),
                    XyStyle::Markers => Glyph::Dot(c),
                    XyStyle::Rings => Glyph::Ring(c),
                };
                (g, sr.label.clone())
            })
            .collect();
        let names: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w.saturating_sub(legend_width(root, &names)?));
        let xs = range(self.series.iter().flat_map(|sr| sr.points.iter().map(|p| p.0)));
        let ys = range(self.series.iter().flat_map(|sr| sr.points.iter().map(|p| p.1)));
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT_FAMILY, TITLE_FONT))
            .margin(18)
            .x_label_area_size(62)
            .y_label_area_size(92)
            .build_cartesian_2d(xs, ys)
            .map_err(s)?;
        draw_axes(&mut chart, &self.x_label, &self.y_label, (10, 10), true)?;
        for (k, sr) in self.series.iter().enumerate() {
            let c = series_colour(k);
            let pts = sr.points.clone();
            match sr.style {
                XyStyle::Line => {
                    chart.draw_series(std::iter::once(PathElement::new(pts, c.stroke_width(3)))).map_err(s)?;
                }
                XyStyle::Markers => {
                    chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 6, c.filled()))).map_err(s)?;
                }
                XyStyle::Rings => {
                    chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 6, c.stroke_width(2)))).map_err(s)?;
                }
            }
        }
        let top = chart.plotting_area().get_pixel_range().1.start;
        draw_legend(&side, top, &entries)
    }
}
