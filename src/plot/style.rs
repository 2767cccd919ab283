//! Shared plotting style: bundled font, colour palette, figure and font
//! sizes, the in-plane magnetisation colour wheel and small helpers.
//!
//! All drawing functions in [`crate::plot`] return [`PlotResult`]; errors are
//! plain `String`s that name the output file, never panics.

use std::f64::consts::TAU;
use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Result of a drawing function: `Err` carries a human-readable message that
/// includes the path of the file being written.
pub type PlotResult = Result<(), String>;

/// The DejaVu Sans font bundled with the crate (`assets/DejaVuSans.ttf`).
static FONT_BYTES: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/DejaVuSans.ttf"));

/// Outcome of the one-time font registration.
static FONT_STATUS: OnceLock<Result<(), String>> = OnceLock::new();

/// Registers the bundled DejaVu Sans as the `"sans-serif"` family exactly once
/// per process. Bitmap text rendering needs a registered font; every drawing
/// function calls this itself, so callers rarely need to.
pub fn ensure_font() {
    let _ = font_status();
}

/// Registers the font if needed and reports whether registration succeeded.
pub(crate) fn font_status() -> PlotResult {
    FONT_STATUS
        .get_or_init(|| {
            plotters::style::register_font("sans-serif", FontStyle::Normal, FONT_BYTES)
                .map_err(|_| "bundled font assets/DejaVuSans.ttf is not a valid font".to_string())
        })
        .clone()
}

/// Okabe–Ito colour-blind-friendly palette (black and yellow omitted: black is
/// reserved for axes/arrows and yellow is too faint on white).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(117, 112, 179), // slate purple
];

/// Colour of the `i`-th data series (cycles through [`PALETTE`]).
pub fn series_colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Default figure width in pixels.
pub const FIG_W: u32 = 900;
/// Default figure height in pixels.
pub const FIG_H: u32 = 600;
/// Largest width or height (pixels) a figure may be given.
pub const FIG_MAX: u32 = 1200;

/// Font size (px) of figure titles.
pub const TITLE_FONT: u32 = 28;
/// Font size (px) of axis labels.
pub const LABEL_FONT: u32 = 24;
/// Font size (px) of tick labels.
pub const TICK_FONT: u32 = 19;
/// Font size (px) of legend entries.
pub const LEGEND_FONT: u32 = 20;

/// Font family name under which the bundled font is registered.
pub const FONT_FAMILY: &str = "sans-serif";

/// Light grey for mesh lines.
pub const GRID_GREY: RGBColor = RGBColor(225, 225, 225);
/// Grey for island outlines.
pub const OUTLINE_GREY: RGBColor = RGBColor(140, 140, 140);

/// Maps an in-plane magnetisation angle to a colour on an HSV hue wheel.
///
/// `angle_rad` is the in-plane angle `atan2(my, mx)`: 0 rad is red, 2π/3 green,
/// 4π/3 blue, continuous with period 2π. `saturation` (clamped to `[0, 1]`) is
/// meant to be the in-plane magnitude `sqrt(mx² + my²)`, so a magnetisation
/// pointing along ±z fades to white. Non-finite input gives mid grey.
pub fn hsv_wheel(angle_rad: f64, saturation: f64) -> RGBColor {
    if !angle_rad.is_finite() || !saturation.is_finite() {
        return RGBColor(128, 128, 128);
    }
    let s = saturation.clamp(0.0, 1.0);
    let h = angle_rad.rem_euclid(TAU) / TAU * 6.0;
    let sector = (h.floor() as i64).rem_euclid(6);
    let f = h - h.floor();
    let (v, p, q, t) = (1.0, 1.0 - s, 1.0 - s * f, 1.0 - s * (1.0 - f));
    let (r, g, b) = match sector {
        0 => (v, t, p),
        1 => (q, v, p),
        2 => (p, v, t),
        3 => (p, q, v),
        4 => (t, p, v),
        _ => (v, p, q),
    };
    let c = |x: f64| (x * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(c(r), c(g), c(b))
}

/// Formats an axis tick value compactly: at most four significant digits,
/// scientific notation for very large or very small magnitudes, and no
/// floating-point noise such as `0.30000000000000004`.
pub fn fmt_tick(v: &f64) -> String {
    let v = *v;
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if a < 1e-12 {
        return "0".to_string();
    }
    if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.2e}");
        // Trim mantissa zeros: "1.50e-6" -> "1.5e-6", "2.00e7" -> "2e7".
        if let Some((m, e)) = s.split_once('e') {
            let m = m.trim_end_matches('0').trim_end_matches('.');
            return format!("{m}e{e}");
        }
        return s;
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// A figure that can be rendered onto any plotters backend.
pub(crate) trait Figure {
    /// Figure size in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws the whole figure; errors are plain messages without the path.
    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Renders `fig` to `png` and, if given, identically to `svg`, creating
/// parent directories as needed. Errors name the offending file.
pub(crate) fn write_figure(fig: &impl Figure, png: &Path, svg: Option<&Path>) -> PlotResult {
    ensure_parent(png)?;
    let root = BitMapBackend::new(png, fig.size()).into_drawing_area();
    fig.render(&root).map_err(|e| with_path(png, e))?;
    root.present().map_err(|e| with_path(png, e))?;
    drop(root);
    if let Some(svg) = svg {
        ensure_parent(svg)?;
        let root = SVGBackend::new(svg, fig.size()).into_drawing_area();
        fig.render(&root).map_err(|e| with_path(svg, e))?;
        root.present().map_err(|e| with_path(svg, e))?;
    }
    Ok(())
}

/// What a legend entry shows beside its name.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Glyph {
    /// A line segment of the given width.
    Line(RGBColor, u32),
    /// A filled circle.
    Dot(RGBColor),
    /// A hollow circle.
    Ring(RGBColor),
    /// A dashed line.
    Dashes(RGBColor),
    /// A filled rectangle.
    Swatch(RGBColor),
}

/// Legend geometry (px): glyph width, padding, row height.
const LEGEND_SAMPLE: i32 = 30;
const LEGEND_PAD: i32 = 9;
const LEGEND_ROW: i32 = LEGEND_FONT as i32 + 9;

fn legend_text() -> TextStyle<'static> {
    (FONT_FAMILY, LEGEND_FONT).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center))
}

/// Width (px) of the column a boxed legend of `names` needs, margins included.
pub(crate) fn legend_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, names: &[String]) -> Result<u32, String> {
    let mut text_w = 0;
    for n in names {
        text_w = text_w.max(root.estimate_text_size(n, &legend_text()).map_err(|e| e.to_string())?.0);
    }
    Ok((5 * LEGEND_PAD + LEGEND_SAMPLE) as u32 + text_w)
}

/// Draws a boxed legend at the top-left of `area`, its top at `top` (px).
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: i32,
    entries: &[(Glyph, String)],
) -> Result<(), String> {
    let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let names: Vec<String> = entries.iter().map(|e| e.1.clone()).collect();
    let box_w = legend_width(area, &names)? as i32 - 2 * LEGEND_PAD;
    let (x0, y0) = (0, top);
    let y1 = top + 2 * LEGEND_PAD + entries.len() as i32 * LEGEND_ROW - 9;
    area.draw(&Rectangle::new([(x0, y0), (box_w, y1)], WHITE.filled())).map_err(s)?;
    area.draw(&Rectangle::new([(x0, y0), (box_w, y1)], BLACK.stroke_width(1))).map_err(s)?;
    for (i, (glyph, name)) in entries.iter().enumerate() {
        let y = y0 + LEGEND_PAD + i as i32 * LEGEND_ROW + (LEGEND_ROW - 9) / 2;
        let (a, b) = (x0 + LEGEND_PAD, x0 + LEGEND_PAD + LEGEND_SAMPLE);
        match *glyph {
            Glyph::Line(c, w) => area.draw(&PathElement::new(vec![(a, y), (b, y)], c.stroke_width(w))).map_err(s)?,
            Glyph::Dot(c) => area.draw(&Circle::new(((a + b) / 2, y), 6, c.filled())).map_err(s)?,
            Glyph::Ring(c) => area.draw(&Circle::new(((a + b) / 2, y), 6, c.stroke_width(2))).map_err(s)?,
            Glyph::Dashes(c) => {
                for k in 0..3 {
                    let d = a + k * 11;
                    area.draw(&PathElement::new(vec![(d, y), (d + 7, y)], c.stroke_width(2))).map_err(s)?;
                }
            }
            Glyph::Swatch(c) => area.draw(&Rectangle::new([(a, y - 8), (b, y + 8)], c.filled())).map_err(s)?,
        }
        // +2 px: the em-box centre sits above the visual centre of lower-case text.
        area.draw(&Text::new(name.clone(), (b + LEGEND_PAD, y + 2), legend_text())).map_err(s)?;
    }
    Ok(())
}

/// Draws the HSV colour-wheel key centred at `c` (pixels) with radius `r`:
/// hue = in-plane angle, white centre = out-of-plane.
pub(crate) fn colour_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: (i32, i32),
    r: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (rings, wedges, rf) = (12, 90, r as f64);
    let pt = |rad: f64, t: f64| (c.0 + (rad * t.cos()).round() as i32, c.1 - (rad * t.sin()).round() as i32);
    for i in 0..rings {
        let (r0, r1) = (rf * i as f64 / rings as f64, rf * (i + 1) as f64 / rings as f64);
        for k in 0..wedges {
            let (t0, t1) = (TAU * k as f64 / wedges as f64, TAU * (k + 1) as f64 / wedges as f64);
            let col = hsv_wheel(0.5 * (t0 + t1), (i as f64 + 0.5) / rings as f64);
            let quad = vec![pt(r0, t0), pt(r1, t0), pt(r1, t1), pt(r0, t1)];
            root.draw(&Polygon::new(quad, col.filled()))?;
        }
    }
    root.draw(&Circle::new(c, r, OUTLINE_GREY.stroke_width(1)))?;
    let small = (FONT_FAMILY, TICK_FONT - 2).into_font().color(&BLACK);
    let centred = small.pos(Pos::new(HPos::Center, VPos::Center));
    for (deg, t) in [("0°", 0.0), ("90°", 0.25), ("180°", 0.5), ("270°", 0.75)] {
        let off = if t == 0.0 || t == 0.5 { 28.0 } else { 14.0 };
        root.draw_text(deg, &centred, pt(rf + off, TAU * t))?;
    }
    let lines = ["colour: in-plane", "angle of m", "white: m ∥ ±z", "• +z    × −z"];
    let top = small.pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in lines.iter().enumerate() {
        root.draw_text(line, &top, (c.0, c.1 + r + 32 + 22 * i as i32))?;
    }
    Ok(())
}

/// Creates the parent directory of `path` if it does not exist yet.
pub(crate) fn ensure_parent(path: &Path) -> PlotResult {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create directory: {e}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Prefixes an error with the output path.
pub(crate) fn with_path(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

/// Output path for test figures: `$NANOMAG_PLOT_TEST_DIR/name` if that
/// variable is set (to inspect the images), else a temporary directory.
#[cfg(test)]
pub(crate) fn test_out(name: &str) -> std::path::PathBuf {
    std::env::var_os("NANOMAG_PLOT_TEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("nanomag_plot_tests"))
        .join(name)
}

/// Linear axes of the house style on a chart with f64 ranges: descriptions, `labels` ticks
/// per axis formatted by [`fmt_tick`], light grey grid lines (or none with `grid = false`).
pub(crate) fn draw_axes<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_desc: &str,
    y_desc: &str,
    labels: (usize, usize),
    grid: bool,
) -> Result<(), String> {
    let mut mesh = chart.configure_mesh();
    if grid {
        mesh.bold_line_style(GRID_GREY).light_line_style(WHITE.mix(0.0));
    } else {
        mesh.disable_mesh();
    }
    mesh.axis_style(BLACK.stroke_width(1))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(labels.0)
        .y_labels(labels.1)
        .x_label_formatter(&fmt_tick)
        .y_label_formatter(&fmt_tick)
        .label_style((FONT_FAMILY, TICK_FONT))
        .axis_desc_style((FONT_FAMILY, LABEL_FONT))
        .draw()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wheel_primaries_and_periodicity() {
        use std::f64::consts::{PI, TAU};
        assert_eq!(hsv_wheel(0.0, 1.0), RGBColor(255, 0, 0));
        assert_eq!(hsv_wheel(TAU / 3.0, 1.0), RGBColor(0, 255, 0));
        assert_eq!(hsv_wheel(2.0 * TAU / 3.0, 1.0), RGBColor(0, 0, 255));
        assert_eq!(hsv_wheel(-PI / 2.0, 1.0), hsv_wheel(1.5 * PI, 1.0));
        assert_eq!(hsv_wheel(1.0, 0.0), RGBColor(255, 255, 255));
        assert_eq!(hsv_wheel(f64::NAN, 1.0), RGBColor(128, 128, 128));
        // Continuity across the 2π seam.
        let (a, b) = (hsv_wheel(TAU - 1e-6, 1.0), hsv_wheel(1e-6, 1.0));
        assert!((a.0 as i32 - b.0 as i32).abs() <= 1 && (a.2 as i32 - b.2 as i32).abs() <= 1);
    }

    #[test]
    fn tick_format() {
        assert_eq!(fmt_tick(&0.30000000000000004), "0.3");
        assert_eq!(fmt_tick(&-1.0), "-1");
        assert_eq!(fmt_tick(&2.5), "2.5");
        assert_eq!(fmt_tick(&1.5e-6), "1.5e-6");
        assert_eq!(fmt_tick(&1e-15), "0");
        assert_eq!(fmt_tick(&1234.0), "1234");
    }

    #[test]
    fn font_registers() {
        ensure_font();
        assert!(font_status().is_ok());
    }
}
