//! ⟨m⟩(t) of several runs on one set of axes: colour = component (mx, my, mz), line style =
//! source (solid line, hollow circles, dashes, dots), e.g. nanomag beside a published reference
//! solution. Time in ns.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::style::draw_axes;

use super::style::{
    draw_legend, font_status, legend_width, series_colour, with_path, write_figure, Figure, Glyph, PlotResult, FIG_H,
    FONT_FAMILY, TITLE_FONT,
};

/// One source: its label, t (s) and the three components.
#[derive(Debug, Clone)]
pub struct MSource {
    pub label: String,
    pub t: Vec<f64>,
    pub m: [Vec<f64>; 3],
}

#[derive(Debug, Clone)]
pub struct MCompare {
    pub title: String,
    pub sources: Vec<MSource>,
}

pub fn m_compare(png: &Path, svg: Option<&Path>, fig: &MCompare) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    if fig.sources.is_empty() || fig.sources.len() > 4 {
        return Err(with_path(png, "m comparison: give 1 to 4 sources"));
    }
    for s in &fig.sources {
        if s.t.is_empty() || s.m.iter().any(|c| c.len() != s.t.len()) {
            return Err(with_path(png, format!("m comparison: source {} has mismatched columns", s.label)));
        }
    }
    write_figure(fig, png, svg)
}

const COMPONENTS: [&str; 3] = ["⟨mx⟩", "⟨my⟩", "⟨mz⟩"];

impl Figure for MCompare {
    fn size(&self) -> (u32, u32) {
        (1100, FIG_H)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let mut entries: Vec<(Glyph, String)> =
            COMPONENTS.iter().enumerate().map(|(c, n)| (Glyph::Swatch(series_colour(c)), n.to_string())).collect();
        for (k, src) in self.sources.iter().enumerate() {
            let g = match k {
                0 => Glyph::Line(BLACK, 2),
                1 => Glyph::Ring(BLACK),
                2 => Glyph::Dashes(BLACK),
                _ => Glyph::Dot(BLACK),
            };
            entries.push((g, src.label.clone()));
        }
        let names: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w.saturating_sub(legend_width(root, &names)?));
        let t_max = self.sources.iter().flat_map(|s| s.t.iter()).fold(0.0f64, |a, &b| a.max(b)) * 1e9;
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT_FAMILY, TITLE_FONT))
            .margin(18)
            .x_label_area_size(62)
            .y_label_area_size(82)
            .build_cartesian_2d(0.0..t_max.max(1e-6), -1.05..1.05)
            .map_err(s)?;
        draw_axes(&mut chart, "t (ns)", "⟨m⟩ (normalised)", (10, 10), true)?;
        for (k, src) in self.sources.iter().enumerate() {
            for (c, comp) in src.m.iter().enumerate() {
                let colour = series_colour(c);
                let pts: Vec<(f64, f64)> = src.t.iter().zip(comp).map(|(t, v)| (t * 1e9, *v)).collect();
                match k {
                    0 => {
                        chart.draw_series(std::iter::once(PathElement::new(pts, colour.stroke_width(2)))).map_err(s)?;
                    }
                    2 => {
                        // Dashes: every other short stretch of the curve.
                        let dashes: Vec<Vec<(f64, f64)>> = dash(&pts, t_max / 120.0);
                        chart
                            .draw_series(dashes.into_iter().map(|d| PathElement::new(d, colour.stroke_width(2))))
                            .map_err(s)?;
                    }
                    1 => {
                        chart
                            .draw_series(pts.into_iter().map(|p| Circle::new(p, 4, colour.stroke_width(1))))
                            .map_err(s)?;
                    }
                    _ => {
                        chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 3, colour.filled()))).map_err(s)?;
                    }
                }
            }
        }
        let top = chart.plotting_area().get_pixel_range().1.start;
        draw_legend(&side, top, &entries)
    }
}

/// Splits a polyline into dashes of length `len` along x (ns), with gaps as long.
fn dash(pts: &[(f64, f64)], len: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let steps = ((b.0 - a.0) / (len / 4.0)).ceil().max(1.0) as usize;
        for k in 0..steps {
            let u = k as f64 / steps as f64;
            let p = (a.0 + u * (b.0 - a.0), a.1 + u * (b.1 - a.1));
            let on = ((p.0 / len).floor() as i64) % 2 == 0;
            if on {
                cur.push(p);
            } else if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if let Some(&l) = pts.last() {
        cur.push(l);
    }
    if cur.len() > 1 {
        out.push(cur);
    }
    out
}
