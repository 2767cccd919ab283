//! The accuracy-versus-energy figure: test error against energy per input step (log x), one
//! marker series per reservoir family or swept value, the Pareto front, vertical floor lines
//! (Landauer) and reference marks on the energy axis (other hardware, per operation).

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{
    draw_legend, fmt_tick, font_status, legend_width, series_colour, with_path, write_figure, Figure, Glyph,
    PlotResult, FONT_FAMILY, GRID_GREY, LABEL_FONT, TICK_FONT, TITLE_FONT,
};

/// Marker series: filled circles, or hollow ones (`hollow`), with optional per-point labels
/// and ± error bars in y (`errors`, one per point, or empty). `faded` draws the series in a
/// light tint: the idealised bound beside the device estimates.
#[derive(Debug, Clone, Default)]
pub struct Scatter {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub labels: Vec<String>,
    pub errors: Vec<f64>,
    pub hollow: bool,
    pub faded: bool,
    pub colour: usize,
}

impl Scatter {
    fn rgb(&self) -> RGBColor {
        let c = series_colour(self.colour);
        if self.faded {
            let t = |v: u8| (v as f64 + 0.6 * (255.0 - v as f64)) as u8;
            RGBColor(t(c.0), t(c.1), t(c.2))
        } else {
            c
        }
    }
}

/// Everything the figure shows.
#[derive(Debug, Clone, Default)]
pub struct AccuracyEnergy {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Scatter>,
    /// Non-dominated points, joined as a staircase.
    pub pareto: Vec<(f64, f64)>,
    /// Non-dominated points of the baselines tuned on validation: a dashed staircase.
    pub cmos_front: Vec<(f64, f64)>,
    /// Vertical dashed lines (name, x).
    pub floors: Vec<(String, f64)>,
    /// Triangles on the energy axis (name, x).
    pub references: Vec<(String, f64)>,
}

/// Writes the figure to `png` (and `svg`). Errors name the file.
pub fn accuracy_vs_energy(png: &Path, svg: Option<&Path>, fig: &AccuracyEnergy) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    let xs = fig.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let xs: Vec<f64> = xs.chain(fig.floors.iter().map(|f| f.1)).chain(fig.references.iter().map(|r| r.1)).collect();
    if !xs.iter().any(|x| x.is_finite() && *x > 0.0) {
        return Err(with_path(png, "accuracy_vs_energy: no point with a positive energy"));
    }
    write_figure(fig, png, svg)
}

fn decade_range(v: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) =
        v.filter(|x| x.is_finite() && *x > 0.0).fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
    // Half a decade of room on the right for point labels.
    (10f64.powf(lo.log10().floor()), 10f64.powf((hi.log10() + 0.5).ceil().max(lo.log10().floor() + 1.0)))
}

impl Figure for AccuracyEnergy {
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(s)?;
        let (x_range, y_range) = self.ranges();
        let legend = self.legend();
        let names: Vec<String> = legend.iter().map(|l| l.1.clone()).collect();
        let (w, _) = root.dim_in_pixel();
        let (main, side) = root.split_horizontally(w.saturating_sub(legend_width(root, &names)?));
        let title_px = self.title_px(&main);
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT_FAMILY, title_px))
            .margin(18)
            .x_label_area_size(62)
            .y_label_area_size(82)
            .build_cartesian_2d(x_range.0.log10()..x_range.1.log10(), y_range.0..y_range.1)
            .map_err(s)?;
        chart
            .configure_mesh()
            .bold_line_style(GRID_GREY)
            .light_line_style(WHITE.mix(0.0))
            .axis_style(BLACK.stroke_width(1))
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_labels(((x_range.1 / x_range.0).log10().round() as usize + 1).min(30))
            .y_labels(8)
            .x_label_formatter(&|x| {
                // Every decade, or every second one when there are many.
                let k = x.round();
                let every = if (x_range.1 / x_range.0).log10() > 12.0 { 2.0 } else { 1.0 };
                if (x - k).abs() < 1e-9 && (k / every).fract() == 0.0 {
                    format!("1e{k}")
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&fmt_tick)
            .label_style((FONT_FAMILY, TICK_FONT))
            .axis_desc_style((FONT_FAMILY, LABEL_FONT))
            .draw()
            .map_err(s)?;

        self.draw_fronts(&mut chart, y_range.1)?;
        self.draw_points(&mut chart, x_range, y_range.1)?;
        self.draw_references(&mut chart, y_range.1)?;
        draw_legend(&side, chart.plotting_area().get_pixel_range().1.start, &legend)?;
        Ok(())
    }
}

/// The chart area of the figure: log10 of energy against NRMSE.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl AccuracyEnergy {
    /// The axes' ranges: x in whole decades around every energy (points, floors, references;
    /// J), y from 0 to 1.08 × the largest error plus its error bar (at least 0.1).
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let xs = self.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
        let x_range =
            decade_range(xs.chain(self.floors.iter().map(|f| f.1)).chain(self.references.iter().map(|r| r.1)));
        let ymax = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().enumerate().map(|(i, p)| p.1 + s.errors.get(i).copied().unwrap_or(0.0)))
            .filter(|y| y.is_finite())
            .fold(0.0, f64::max);
        (x_range, (0.0, (ymax * 1.08).max(0.1)))
    }

    /// Legend entries: each series, each floor, then the Pareto and CMOS fronts when drawn.
    fn legend(&self) -> Vec<(Glyph, String)> {
        let mut legend: Vec<(Glyph, String)> = self
            .series
            .iter()
            .map(|sc| {
                let c = sc.rgb();
                (if sc.hollow { Glyph::Ring(c) } else { Glyph::Dot(c) }, sc.name.clone())
            })
            .collect();
        legend.extend(self.floors.iter().enumerate().map(|(k, f)| (Glyph::Dashes(floor_colour(k)), f.0.clone())));
        if !self.pareto.is_empty() {
            legend.push((Glyph::Line(BLACK, 1), "Pareto front".into()));
        }
        if !self.cmos_front.is_empty() {
            legend.push((Glyph::Dashes(CMOS_GREY), "CMOS front (baselines tuned on validation)".into()));
        }
        legend
    }

    /// The title's font size (px): `TITLE_FONT`, shrunk (down to 12) until the title fits the
    /// plot area (long task names).
    fn title_px<DB: DrawingBackend>(&self, main: &DrawingArea<DB, Shift>) -> u32 {
        let main_w = main.dim_in_pixel().0 as i64 - 40;
        let mut title_px = TITLE_FONT;
        while title_px > 12
            && main
                .estimate_text_size(&self.title, &(FONT_FAMILY, title_px).into_text_style(main))
                .map_or(0, |d| d.0 as i64)
                > main_w
        {
            title_px -= 1;
        }
        title_px
    }

    /// Floors (dashed verticals), the Pareto front (staircase) and the CMOS front (dashed).
    fn draw_fronts<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>, ymax: f64) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let lx = |x: f64| x.log10();
        let y_range = (0.0, ymax);
        for (k, (_, x)) in self.floors.iter().enumerate() {
            let x = &lx(*x);
            let style = floor_colour(k).stroke_width(2);
            let dash = (0..40).map(|i| i as f64 / 40.0 * y_range.1).collect::<Vec<_>>();
            for pair in dash.chunks(2) {
                if let [a, b] = pair {
                    chart.draw_series(std::iter::once(PathElement::new(vec![(*x, *a), (*x, *b)], style))).map_err(s)?;
                }
            }
        }
        if self.pareto.len() > 1 {
            let stair = staircase(&self.pareto);
            chart.draw_series(std::iter::once(PathElement::new(stair, BLACK.stroke_width(1)))).map_err(s)?;
        }
        if self.cmos_front.len() > 1 {
            let stair = staircase(&self.cmos_front);
            // Dashes: every other piece of the staircase cut into 60 along its length.
            for seg in stair.windows(2) {
                let (a, b) = (seg[0], seg[1]);
                for k in (0..20).step_by(2) {
                    let p = |f: f64| (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1));
                    let piece = vec![p(k as f64 / 20.0), p((k + 1) as f64 / 20.0)];
                    chart
                        .draw_series(std::iter::once(PathElement::new(piece, CMOS_GREY.stroke_width(2))))
                        .map_err(s)?;
                }
            }
        }
        Ok(())
    }

    /// Every series: error bars, markers and point labels (a label that would overlap one
    /// already drawn is left out; the legend and the data files still name every point).
    fn draw_points<DB: DrawingBackend>(
        &self,
        chart: &mut Chart<'_, DB>,
        x_range: (f64, f64),
        ymax: f64,
    ) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let lx = |x: f64| x.log10();
        let y_range = (0.0, ymax);
        let small = (FONT_FAMILY, TICK_FONT - 3).into_font().color(&BLACK);
        // Point labels that would overlap one already drawn are left out (the legend and the
        // data files still name every point).
        let (u0, u1) = (lx(x_range.0), lx(x_range.1));
        let mut placed: Vec<(f64, f64)> = Vec::new();
        for sc in &self.series {
            let c = sc.rgb();
            let style = if sc.hollow { c.stroke_width(2) } else { c.filled() };
            for (p, e) in sc.points.iter().zip(&sc.errors).filter(|(p, e)| p.0 > 0.0 && **e > 0.0) {
                let (x, lo, hi) = (lx(p.0), p.1 - e, p.1 + e);
                chart
                    .draw_series(std::iter::once(PathElement::new(vec![(x, lo), (x, hi)], c.stroke_width(2))))
                    .map_err(s)?;
            }
            let pts: Vec<(f64, f64)> = sc.points.iter().filter(|p| p.0 > 0.0).map(|p| (lx(p.0), p.1)).collect();
            chart.draw_series(pts.iter().map(|p| Circle::new(*p, 6, style))).map_err(s)?;
            for (p, l) in pts.iter().zip(&sc.labels) {
                let at = ((p.0 - u0) / (u1 - u0), p.1 / y_range.1);
                if l.trim().is_empty() || placed.iter().any(|q| (q.0 - at.0).abs() < 0.16 && (q.1 - at.1).abs() < 0.045)
                {
                    continue;
                }
                placed.push(at);
                chart
                    .draw_series(std::iter::once(Text::new(
                        l.clone(),
                        *p,
                        // Near the right edge the label goes to the point's left.
                        small.pos(Pos::new(if at.0 > 0.85 { HPos::Right } else { HPos::Left }, VPos::Bottom)),
                    )))
                    .map_err(s)?;
            }
        }
        Ok(())
    }

    /// Reference devices: triangles just above the energy axis, labels stacked.
    fn draw_references<DB: DrawingBackend>(&self, chart: &mut Chart<'_, DB>, ymax: f64) -> Result<(), String> {
        let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let lx = |x: f64| x.log10();
        let grey = RGBColor(110, 110, 110);
        let y_range = (0.0, ymax);
        let small = (FONT_FAMILY, TICK_FONT - 3).into_font().color(&BLACK);
        // References: triangles just above the energy axis, labels stacked to avoid overlap.
        let mut refs: Vec<&(String, f64)> = self.references.iter().collect();
        refs.sort_by(|a, b| a.1.total_cmp(&b.1));
        for (k, (name, x)) in refs.into_iter().enumerate() {
            let x = &lx(*x);
            let y = y_range.1 * (0.03 + 0.07 * (k % 4) as f64);
            chart
                .draw_series(std::iter::once(TriangleMarker::new((*x, y_range.1 * 0.015), 7, grey.filled())))
                .map_err(s)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(*x, y_range.1 * 0.015), (*x, y)],
                    grey.stroke_width(1),
                )))
                .map_err(s)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(" {name}"),
                    (*x, y),
                    small.color(&grey).pos(Pos::new(HPos::Left, VPos::Center)),
                )))
                .map_err(s)?;
        }
        Ok(())
    }
}

/// Colour of the CMOS front.
const CMOS_GREY: RGBColor = RGBColor(90, 90, 90);

/// A front joined as a staircase in (log10 x, y): horizontal then vertical between points.
fn staircase(front: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut stair = Vec::new();
    for (i, p) in front.iter().enumerate() {
        if i > 0 {
            stair.push((p.0.log10(), front[i - 1].1));
        }
        stair.push((p.0.log10(), p.1));
    }
    stair
}

/// Greys of the floor lines: dark for the first, lighter after.
fn floor_colour(k: usize) -> RGBColor {
    [RGBColor(60, 60, 60), RGBColor(150, 150, 150), RGBColor(200, 200, 200)][k.min(2)]
}

/// Points not dominated by any other (no other point has both lower energy and lower error),
/// sorted by energy.
pub fn pareto_front(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> =
        points.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite() && *x > 0.0).collect();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut front: Vec<(f64, f64)> = Vec::new();
    for q in p {
        if front.last().is_none_or(|l| q.1 < l.1) {
            front.push(q);
        }
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pareto_keeps_only_non_dominated() {
        let pts = [(1.0, 0.5), (2.0, 0.6), (3.0, 0.2), (0.5, 0.9), (4.0, 0.2)];
        assert_eq!(pareto_front(&pts), vec![(0.5, 0.9), (1.0, 0.5), (3.0, 0.2)]);
    }
}
