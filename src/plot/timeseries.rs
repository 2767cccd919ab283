//! Line plots of time series (e.g. average magnetisation versus time).
//!
//! Every plot is written to a PNG and, optionally, an identical SVG; both go
//! through one generic renderer over the plotters `DrawingBackend`.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::plot::style::draw_axes;

use super::style::{
    draw_legend, font_status, legend_width, series_colour, with_path, write_figure, Figure, Glyph, PlotResult, FIG_H,
    FIG_W, FONT_FAMILY, TITLE_FONT,
};

/// Width (px) of the data lines.
const LINE_WIDTH: u32 = 2;

/// Consecutive finite `(x, y)` points of one series.
type Run = Vec<(f64, f64)>;

/// A validated plot description shared by the PNG and SVG renderings.
struct Spec<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    /// Per series: name and runs of consecutive finite points (NaN breaks a line).
    series: Vec<(&'a str, Vec<Run>)>,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

/// Draws one or more series against a common `x` as coloured lines with a
/// boxed legend at the upper right (outside the axes, so it never hides
/// data), light-grey mesh and axis labels.
///
/// The y range covers all finite values with 5% padding (a constant series
/// gets a symmetric band around its value). Non-finite points are skipped and
/// break the line. The PNG is always written; the SVG, if `svg` is given, is
/// the same figure. Returns `Err` (naming the file) for empty input, length
/// mismatches, all-non-finite data or I/O / drawing failures.
pub fn line_plot(
    png: &Path,
    svg: Option<&Path>,
    title: &str,
    x_label: &str,
    y_label: &str,
    x: &[f64],
    series: &[(&str, &[f64])],
) -> PlotResult {
    plot_impl(png, svg, title, x_label, y_label, x, series, None)
}

/// [`line_plot`] with the y axis fixed to `y_range` (e.g. [0, 1] for r² curves).
#[allow(clippy::too_many_arguments)]
pub fn line_plot_fixed_y(
    png: &Path,
    svg: Option<&Path>,
    title: &str,
    x_label: &str,
    y_label: &str,
    x: &[f64],
    series: &[(&str, &[f64])],
    y_range: (f64, f64),
) -> PlotResult {
    plot_impl(png, svg, title, x_label, y_label, x, series, Some(y_range))
}

/// Plots the average magnetisation components `mx`, `my`, `mz` against time.
///
/// `t_seconds` is in seconds and is shown in nanoseconds ("t (ns)"); the y
/// axis ("⟨m⟩ (normalised)") is fixed to `[-1.05, 1.05]`. See [`line_plot`]
/// for output and error behaviour.
pub fn m_vs_t(png: &Path, svg: Option<&Path>, t_seconds: &[f64], mx: &[f64], my: &[f64], mz: &[f64]) -> PlotResult {
    let t_ns: Vec<f64> = t_seconds.iter().map(|t| t * 1e9).collect();
    let series: [(&str, &[f64]); 3] = [("mx", mx), ("my", my), ("mz", mz)];
    plot_impl(png, svg, "Average magnetisation", "t (ns)", "⟨m⟩ (normalised)", &t_ns, &series, Some((-1.05, 1.05)))
}

#[allow(clippy::too_many_arguments)]
fn plot_impl(
    png: &Path,
    svg: Option<&Path>,
    title: &str,
    x_label: &str,
    y_label: &str,
    x: &[f64],
    series: &[(&str, &[f64])],
    fixed_y: Option<(f64, f64)>,
) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    let spec = Spec::new(title, x_label, y_label, x, series, fixed_y).map_err(|e| with_path(png, e))?;
    write_figure(&spec, png, svg)
}

impl<'a> Spec<'a> {
    fn new(
        title: &'a str,
        x_label: &'a str,
        y_label: &'a str,
        x: &[f64],
        series: &[(&'a str, &[f64])],
        fixed_y: Option<(f64, f64)>,
    ) -> Result<Self, String> {
        if x.is_empty() {
            return Err("line plot: no data points".into());
        }
        if series.is_empty() {
            return Err("line plot: no series given".into());
        }
        let mut out = Vec::with_capacity(series.len());
        let (mut xlo, mut xhi) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut ylo, mut yhi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (name, ys) in series {
            if ys.len() != x.len() {
                return Err(format!("line plot: series '{name}' has {} points but x has {}", ys.len(), x.len()));
            }
            let mut runs: Vec<Run> = vec![Vec::new()];
            for (&xv, &yv) in x.iter().zip(ys.iter()) {
                if xv.is_finite() && yv.is_finite() {
                    (xlo, xhi) = (xlo.min(xv), xhi.max(xv));
                    (ylo, yhi) = (ylo.min(yv), yhi.max(yv));
                    if let Some(run) = runs.last_mut() {
                        run.push((xv, yv));
                    }
                } else if runs.last().is_some_and(|r| !r.is_empty()) {
                    runs.push(Vec::new());
                }
            }
            runs.retain(|r| !r.is_empty());
            out.push((*name, runs));
        }
        if !xlo.is_finite() {
            return Err("line plot: no finite data points".into());
        }
        let x_range = if xhi > xlo { (xlo, xhi) } else { padded(xlo, xhi) };
        let y_range = match fixed_y {
            Some((lo, hi)) if lo < hi => (lo, hi),
            Some(_) => return Err("line plot: invalid fixed y range".into()),
            None => padded(ylo, yhi),
        };
        Ok(Spec { title, x_label, y_label, series: out, x_range, y_range })
    }
}

/// Range `[lo, hi]` widened by 5% of its span on each side; a degenerate range
/// is widened by 10% of its magnitude (or by 1 around zero).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 1e-12 * lo.abs().max(hi.abs()) && span > 0.0 {
        (lo - 0.05 * span, hi + 0.05 * span)
    } else {
        let d = if lo.abs() > 0.0 { 0.1 * lo.abs() } else { 1.0 };
        (lo - d, hi + d)
    }
}

impl Figure for Spec<'_> {
    fn size(&self) -> (u32, u32) {
        (FIG_W, FIG_H)
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        render(root, self)
    }
}

/// Renders the figure onto any plotters backend.
fn render<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, spec: &Spec) -> Result<(), String> {
    let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(s)?;
    let (w, _h) = root.dim_in_pixel();

    // The title across the whole figure (a long one may be wider than the axes).
    let body = if spec.title.is_empty() {
        root.clone()
    } else {
        let (head, body) = root.split_vertically(TITLE_FONT + 24);
        let style = (FONT_FAMILY, TITLE_FONT).into_font().color(&BLACK).pos(Pos::new(HPos::Center, VPos::Center));
        head.draw_text(spec.title, &style, ((w / 2) as i32, (TITLE_FONT / 2 + 14) as i32)).map_err(s)?;
        body
    };
    // Legend outside the axes, upper right.
    let names: Vec<String> = spec.series.iter().map(|(n, _)| n.to_string()).collect();
    let (main, side) = body.split_horizontally(w.saturating_sub(legend_width(root, &names)?));

    let builder = &mut ChartBuilder::on(&main);
    let mut chart = builder
        .margin(18)
        .x_label_area_size(62)
        .y_label_area_size(82)
        .build_cartesian_2d(spec.x_range.0..spec.x_range.1, spec.y_range.0..spec.y_range.1)
        .map_err(s)?;
    draw_axes(&mut chart, spec.x_label, spec.y_label, (8, 8), true)?;

    for (i, (_, runs)) in spec.series.iter().enumerate() {
        let style = series_colour(i).stroke_width(LINE_WIDTH);
        chart.draw_series(runs.iter().map(|r| PathElement::new(r.clone(), style))).map_err(s)?;
        // Isolated points (runs of length 1) would be invisible as lines.
        let dots = runs.iter().filter(|r| r.len() == 1).map(|r| r[0]);
        chart.draw_series(dots.map(|p| Circle::new(p, 4, series_colour(i).filled()))).map_err(s)?;
    }

    // Boxed legend, top aligned with the plotting area.
    let top = chart.plotting_area().get_pixel_range().1.start;
    let entries: Vec<(Glyph, String)> = spec
        .series
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (Glyph::Line(series_colour(i), LINE_WIDTH), n.to_string()))
        .collect();
    draw_legend(&side, top, &entries)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::style::test_out as out;
    use super::*;

    fn nonempty(p: &Path) -> bool {
        std::fs::metadata(p).is_ok_and(|m| m.len() > 1000)
    }

    #[test]
    fn sine_plot_png_and_svg() {
        let x: Vec<f64> = (0..400).map(|i| i as f64 * 0.05).collect();
        let a: Vec<f64> = x.iter().map(|t| t.sin()).collect();
        let b: Vec<f64> = x.iter().map(|t| 0.5 * (2.0 * t).cos() + 0.2).collect();
        let (png, svg) = (out("sine.png"), out("sine.svg"));
        let series: [(&str, &[f64]); 2] = [("sin(t)", &a), ("0.5 cos(2t) + 0.2", &b)];
        line_plot(&png, Some(&svg), "Test signal", "t (s)", "amplitude (a.u.)", &x, &series).expect("plot");
        assert!(nonempty(&png) && nonempty(&svg));
    }

    #[test]
    fn m_vs_t_png_and_svg() {
        let t: Vec<f64> = (0..1000).map(|i| i as f64 * 5e-12).collect();
        let (mut mx, mut my, mut mz) = (vec![], vec![], vec![]);
        for &ti in &t {
            let (w, tau) = (2.0 * std::f64::consts::PI * 2e9, 1.5e-9);
            let theta = std::f64::consts::FRAC_PI_2 * (1.0 - (-ti / tau).exp()) + 0.05;
            mx.push(theta.sin() * (w * ti).cos());
            my.push(theta.sin() * (w * ti).sin());
            mz.push(theta.cos());
        }
        let (png, svg) = (out("m_vs_t.png"), out("m_vs_t.svg"));
        m_vs_t(&png, Some(&svg), &t, &mx, &my, &mz).expect("plot");
        assert!(nonempty(&png) && nonempty(&svg));
    }

    #[test]
    fn degenerate_inputs_are_errors_not_panics() {
        let p = out("bad.png");
        let e: [(&str, &[f64]); 1] = [("e", &[])];
        assert!(line_plot(&p, None, "t", "x", "y", &[], &e).is_err());
        assert!(line_plot(&p, None, "t", "x", "y", &[1.0], &[]).is_err());
        let nan: [(&str, &[f64]); 1] = [("n", &[f64::NAN, f64::NAN])];
        let err = line_plot(&p, None, "t", "x", "y", &[0.0, 1.0], &nan).unwrap_err();
        assert!(err.contains("bad.png"), "{err}");
        let short: [(&str, &[f64]); 1] = [("s", &[1.0])];
        assert!(line_plot(&p, None, "t", "x", "y", &[0.0, 1.0], &short).is_err());
        // Constant series and a single point work.
        let c: [(&str, &[f64]); 1] = [("c", &[2.0, 2.0, 2.0])];
        line_plot(&out("const.png"), None, "Constant", "x", "y", &[0.0, 1.0, 2.0], &c).expect("c");
        let one: [(&str, &[f64]); 1] = [("one", &[0.0])];
        line_plot(&out("single.png"), None, "", "x", "y", &[3.0], &one).expect("one");
    }
}
