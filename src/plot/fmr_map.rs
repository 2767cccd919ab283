//! The frequency–field map of a field-swept FMR measurement: bias field (mT) across, frequency
//! (GHz) up, colour = log10 of the power normalised to each field's strongest line.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::style::draw_axes;

use super::heatmap::viridis;
use super::style::{font_status, with_path, write_figure, Figure, PlotResult, FONT_FAMILY, TITLE_FONT};

/// Columns: one per bias (mT), each the power on a common frequency axis (GHz).
#[derive(Debug, Clone, Default)]
pub struct FmrMap {
    pub title: String,
    pub bias_mt: Vec<f64>,
    pub f_ghz: Vec<f64>,
    pub power: Vec<Vec<f64>>,
    /// Decades of dynamic range shown.
    pub decades: f64,
}

pub fn fmr_map(png: &Path, svg: Option<&Path>, fig: &FmrMap) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    if fig.bias_mt.len() < 2 || fig.f_ghz.len() < 2 || fig.power.len() != fig.bias_mt.len() {
        return Err(with_path(png, "fmr_map: need at least two bias fields and two frequencies"));
    }
    write_figure(fig, png, svg)
}

impl Figure for FmrMap {
    fn size(&self) -> (u32, u32) {
        (900, 650)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let db = (self.bias_mt[1] - self.bias_mt[0]).abs();
        let df = self.f_ghz[1] - self.f_ghz[0];
        let (b0, b1) =
            (self.bias_mt[0].min(*self.bias_mt.last().unwrap()), self.bias_mt[0].max(*self.bias_mt.last().unwrap()));
        let (f0, f1) = (self.f_ghz[0], *self.f_ghz.last().unwrap());
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("{} — colour: log10(P / P_max) per field, {} decades", self.title, self.decades),
                (FONT_FAMILY, TITLE_FONT - 6),
            )
            .margin(18)
            .x_label_area_size(62)
            .y_label_area_size(80)
            .build_cartesian_2d((b0 - 0.5 * db)..(b1 + 0.5 * db), f0..f1)
            .map_err(s)?;
        draw_axes(&mut chart, "bias field μ0H (mT)", "frequency (GHz)", (10, 10), false)?;
        for (b, col) in self.bias_mt.iter().zip(&self.power) {
            let top = col.iter().copied().fold(0.0, f64::max).max(1e-300);
            let cells = self.f_ghz.iter().zip(col).map(|(f, p)| {
                let t = ((p / top).max(1e-300).log10() / self.decades + 1.0).clamp(0.0, 1.0);
                Rectangle::new([(b - 0.5 * db, f - 0.5 * df), (b + 0.5 * db, f + 0.5 * df)], viridis(t).filled())
            });
            chart.draw_series(cells).map_err(s)?;
        }
        Ok(())
    }
}
