//! Energy breakdown: for each configuration a bar of its energy parts per input step, stacked
//! on a logarithmic axis (each part spans from the sum of the parts below it to that sum plus
//! itself, so the top of a bar is the total and parts far below it are honestly invisible).

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::style::{
    draw_legend, font_status, legend_width, series_colour, with_path, write_figure, Figure, Glyph, PlotResult,
    FONT_FAMILY, GRID_GREY, LABEL_FONT, TICK_FONT, TITLE_FONT,
};

/// Bars: one per configuration (label, one value per part, J); parts named in `parts`.
#[derive(Debug, Clone, Default)]
pub struct Breakdown {
    pub title: String,
    pub parts: Vec<String>,
    pub bars: Vec<(String, Vec<f64>)>,
}

pub fn energy_breakdown(png: &Path, svg: Option<&Path>, fig: &Breakdown) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    if fig.bars.is_empty() || fig.bars.iter().all(|(_, v)| v.iter().sum::<f64>() <= 0.0) {
        return Err(with_path(png, "energy_breakdown: no configuration with energy > 0"));
    }
    write_figure(fig, png, svg)
}

impl Figure for Breakdown {
    fn size(&self) -> (u32, u32) {
        (1200, 650)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let (lo, hi) = self.range();
        let n = self.bars.len();
        // "Title (which bars are which)": the bracket goes on a second, smaller line.
        let (head, groups) = match self.title.split_once(" (") {
            Some((h, g)) => (h.to_string(), Some(g.trim_end_matches(')').to_string())),
            None => (self.title.clone(), None),
        };
        let root = root.titled(&head, (FONT_FAMILY, TITLE_FONT)).map_err(s)?;
        let root = match &groups {
            Some(g) => root.titled(g, (FONT_FAMILY, TICK_FONT)).map_err(s)?,
            None => root,
        };
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w.saturating_sub(legend_width(&root, &self.parts)?));
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&main)
            .margin(18)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), lo.log10()..hi.log10())
            .map_err(s)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID_GREY)
            .light_line_style(WHITE.mix(0.0))
            .disable_x_mesh()
            .x_labels(n.min(40))
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                    labels[i as usize].clone()
                } else {
                    String::new()
                }
            })
            .y_labels(((hi / lo).log10().round() as usize + 1).min(30))
            .y_label_formatter(&|y| {
                if (y - y.round()).abs() < 1e-9 {
                    format!("1e{}", y.round())
                } else {
                    String::new()
                }
            })
            .x_desc("configuration (index in results.jsonl)")
            .y_desc("energy per input step (J), log scale")
            .label_style((FONT_FAMILY, TICK_FONT - 2))
            .axis_desc_style((FONT_FAMILY, LABEL_FONT))
            .draw()
            .map_err(s)?;
        self.draw_bars(&mut chart, lo)?;
        let legend: Vec<(Glyph, String)> =
            self.parts.iter().enumerate().map(|(k, p)| (Glyph::Swatch(series_colour(k)), p.clone())).collect();
        draw_legend(&side, chart.plotting_area().get_pixel_range().1.start, &legend)?;
        Ok(())
    }
}

impl Breakdown {
    /// The energy axis (J): from the decade below the smallest part (at most 16 decades
    /// below the top) to the decade above the largest total.
    fn range(&self) -> (f64, f64) {
        let tops: Vec<f64> = self.bars.iter().map(|(_, v)| v.iter().sum()).collect();
        let smallest =
            self.bars.iter().flat_map(|(_, v)| v.iter().copied()).filter(|v| *v > 0.0).fold(f64::INFINITY, f64::min);
        let hi = 10f64.powf(tops.iter().copied().fold(0.0, f64::max).log10().ceil());
        let lo = 10f64.powf(smallest.log10().floor()).max(hi * 1e-16);
        (lo, hi)
    }

    /// The stacked bars: part k of bar i spans, in log10 of energy, from the sum of the parts
    /// below it (at least `lo`) to that sum plus itself, at x ∈ i ± 0.38; parts ≤ 0, or whose
    /// top is still at or below `lo`, are skipped.
    fn draw_bars<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
        lo: f64,
    ) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        for (i, (_, vals)) in self.bars.iter().enumerate() {
            let mut below = lo;
            let mut cum = 0.0;
            for (k, v) in vals.iter().enumerate() {
                cum += v;
                if *v <= 0.0 || cum <= lo {
                    continue;
                }
                let x = i as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.38, below.log10()), (x + 0.38, cum.log10())],
                        series_colour(k).filled(),
                    )))
                    .map_err(s)?;
                below = cum;
            }
        }
        Ok(())
    }
}
