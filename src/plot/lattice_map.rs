//! Map of an artificial-spin-ice lattice: every island drawn to scale,
//! filled with the colour of its in-plane magnetisation angle, with an arrow
//! along the in-plane projection of its magnetisation.

use std::f64::consts::TAU;
use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::plot::style::draw_axes;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::style::{
    colour_key, font_status, hsv_wheel, with_path, write_figure, Figure, PlotResult, FIG_MAX, FONT_FAMILY,
    OUTLINE_GREY, TITLE_FONT,
};

/// One island to draw: centre, long-axis angle (rad, counter-clockwise from
/// +x), length and width (all in metres), shape and magnetisation unit vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IslandGlyph {
    pub x: f64,        // centre x (m)
    pub y: f64,        // centre y (m)
    pub angle: f64,    // long axis, rad counter-clockwise from +x
    pub length: f64,   // long axis (m)
    pub width: f64,    // short axis (m)
    pub ellipse: bool, // ellipse if true, else rectangle
    pub m: [f64; 3],   // magnetisation unit vector
}

impl IslandGlyph {
    /// The glyph of `island` with magnetisation `m`.
    pub fn of(island: &crate::geometry::Island, m: &nalgebra::Vector3<f64>) -> Self {
        IslandGlyph {
            x: island.x,
            y: island.y,
            angle: island.angle,
            length: island.length,
            width: island.width,
            ellipse: island.shape == crate::geometry::Shape::Ellipse,
            m: [m.x, m.y, m.z],
        }
    }
}

/// Above this many islands the arrows are skipped and only colours drawn.
const MAX_ARROWS: usize = 2500;
/// Outer margin, title band, axis-label bands and colour-key panel (px).
const MARGIN: u32 = 20;
const TITLE_H: u32 = 50;
const LEFT: u32 = 84;
const BOTTOM: u32 = 70;
const PANEL: u32 = 200;
/// Largest plotting-area side (px).
const PLOT_MAX: f64 = 800.0;
/// Largest width/height ratio of the map (the short side is padded).
const MAX_ASPECT: f64 = 2.5;

/// Precomputed geometry (µm) and layout shared by PNG and SVG rendering.
struct Layout<'a> {
    title: &'a str,
    shapes: Vec<(Vec<(f64, f64)>, RGBColor)>,
    islands: &'a [IslandGlyph],
    x_range: (f64, f64),
    y_range: (f64, f64),
    plot: (u32, u32),
    size: (u32, u32),
    /// Pixels per µm.
    scale: f64,
}

/// Draws a lattice magnetisation map to `png` (and the same figure to `svg`
/// if given).
///
/// Each island is drawn to scale as a rotated rectangle (or ellipse) with a
/// grey outline, filled with `hsv_wheel(atan2(my, mx), sqrt(mx² + my²))`, and
/// a black arrow of length 0.8 × island length × in-plane |m| along the
/// in-plane projection of `m` (a dot / cross marks m ≈ +z / −z). Axes are in
/// µm with equal aspect; the figure size follows the data extent (at most
/// [`FIG_MAX`] px per side) and a colour-wheel key is drawn at the right.
/// With more than 2500 islands only the colours are drawn. Returns `Err`
/// (naming the file) for no islands, non-finite or non-positive geometry, or
/// I/O / drawing failures.
pub fn lattice_map(png: &Path, svg: Option<&Path>, title: &str, islands: &[IslandGlyph]) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    let layout = Layout::new(title, islands, PLOT_MAX).map_err(|e| with_path(png, e))?;
    write_figure(&layout, png, svg)
}

/// Side of one panel's map in [`lattice_frames`] (px).
const PANEL_PLOT: f64 = 330.0;

/// Small multiples of a lattice's state history: one map per frame (title = its label), in
/// `columns` columns, to `png`. Errors name the file.
pub fn lattice_frames(png: &Path, frames: &[(String, Vec<IslandGlyph>)], columns: usize) -> PlotResult {
    font_status().map_err(|e| with_path(png, e))?;
    let layouts: Vec<Layout> = frames
        .iter()
        .map(|(t, g)| Layout::new(t, g, PANEL_PLOT))
        .collect::<Result<_, _>>()
        .map_err(|e| with_path(png, e))?;
    let first = layouts.first().ok_or_else(|| with_path(png, "lattice frames: no frames"))?;
    let (cols, (w, h)) = (columns.clamp(1, layouts.len()), first.size);
    let rows = layouts.len().div_ceil(cols);
    super::style::ensure_parent(png)?;
    let root = BitMapBackend::new(png, (w * cols as u32, h * rows as u32)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| with_path(png, e.to_string()))?;
    for (area, l) in root.split_evenly((rows, cols)).iter().zip(&layouts) {
        render(area, l).map_err(|e| with_path(png, e))?;
    }
    root.present().map_err(|e| with_path(png, e.to_string()))
}

/// An animated GIF of a lattice's state history: one frame per entry, `delay_ms` apart.
pub fn lattice_gif(gif: &Path, frames: &[(String, Vec<IslandGlyph>)], delay_ms: u32) -> PlotResult {
    font_status().map_err(|e| with_path(gif, e))?;
    let layouts: Vec<Layout> = frames
        .iter()
        .map(|(t, g)| Layout::new(t, g, PLOT_MAX))
        .collect::<Result<_, _>>()
        .map_err(|e| with_path(gif, e))?;
    let size = layouts.first().ok_or_else(|| with_path(gif, "lattice animation: no frames"))?.size;
    super::style::ensure_parent(gif)?;
    let root = BitMapBackend::gif(gif, size, delay_ms).map_err(|e| with_path(gif, e.to_string()))?.into_drawing_area();
    for l in &layouts {
        render(&root, l).map_err(|e| with_path(gif, e))?;
        root.present().map_err(|e| with_path(gif, e.to_string()))?;
    }
    Ok(())
}

/// Outline polygon of an island in µm.
fn outline(g: &IslandGlyph, segments: usize) -> Vec<(f64, f64)> {
    let (a, b) = (0.5e6 * g.length, 0.5e6 * g.width);
    let local: Vec<(f64, f64)> = if g.ellipse {
        (0..segments).map(|k| TAU * k as f64 / segments as f64).map(|t| (a * t.cos(), b * t.sin())).collect()
    } else {
        vec![(-a, -b), (a, -b), (a, b), (-a, b)]
    };
    let (s, c) = g.angle.sin_cos();
    let (x, y) = (g.x * 1e6, g.y * 1e6);
    local.into_iter().map(|(u, v)| (x + u * c - v * s, y + u * s + v * c)).collect()
}

/// Fill colour for a magnetisation vector.
fn fill(m: [f64; 3]) -> RGBColor {
    hsv_wheel(m[1].atan2(m[0]), m[0].hypot(m[1]))
}

impl<'a> Layout<'a> {
    /// The layout of a map whose longer side is `plot_max` px.
    fn new(title: &'a str, islands: &'a [IslandGlyph], plot_max: f64) -> Result<Self, String> {
        if islands.is_empty() {
            return Err("lattice map: no islands".into());
        }
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        let mut shapes = Vec::with_capacity(islands.len());
        let segments = match islands.len() {
            0..=100 => 96,
            101..=1000 => 48,
            _ => 16,
        };
        for (i, g) in islands.iter().enumerate() {
            let finite = [g.x, g.y, g.angle, g.length, g.width].iter().all(|v| v.is_finite());
            if !finite || g.length <= 0.0 || g.width <= 0.0 {
                return Err(format!("lattice map: island {i} has invalid geometry {g:?}"));
            }
            let poly = outline(g, segments);
            for &(x, y) in &poly {
                (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
            }
            shapes.push((poly, fill(g.m)));
        }
        // Pad, then widen the short side so the aspect ratio stays readable.
        let pad = 0.06 * (x1 - x0).max(y1 - y0);
        let (mut dx, mut dy) = (x1 - x0 + 2.0 * pad, y1 - y0 + 2.0 * pad);
        let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
        dx = dx.max(dy / MAX_ASPECT);
        dy = dy.max(dx / MAX_ASPECT);
        let scale = plot_max / dx.max(dy);
        let plot = ((dx * scale).round() as u32, (dy * scale).round() as u32);
        // Exact equal aspect: derive the y span from the integer pixel sizes.
        let dy = dx * plot.1 as f64 / plot.0 as f64;
        let size =
            ((2 * MARGIN + LEFT + plot.0 + PANEL).min(FIG_MAX), (2 * MARGIN + TITLE_H + plot.1 + BOTTOM).min(FIG_MAX));
        Ok(Layout {
            title,
            shapes,
            islands,
            x_range: (cx - 0.5 * dx, cx + 0.5 * dx),
            y_range: (cy - 0.5 * dy, cy + 0.5 * dy),
            plot,
            size,
            scale: plot.0 as f64 / dx,
        })
    }
}

impl Figure for Layout<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn render<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        render(root, self)
    }
}

/// Renders the map onto any plotters backend.
fn render<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, l: &Layout) -> Result<(), String> {
    let s = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(s)?;
    let centre = Pos::new(HPos::Center, VPos::Center);
    if !l.title.is_empty() {
        let x = (MARGIN + LEFT + l.plot.0 / 2) as i32;
        let style = (FONT_FAMILY, TITLE_FONT).into_font().color(&BLACK).pos(centre);
        root.draw_text(l.title, &style, (x, (MARGIN + TITLE_H / 2) as i32)).map_err(s)?;
    }
    let area = root.margin(MARGIN + TITLE_H, MARGIN, MARGIN, MARGIN + PANEL);
    let mut chart = ChartBuilder::on(&area)
        .set_label_area_size(LabelAreaPosition::Left, LEFT)
        .set_label_area_size(LabelAreaPosition::Bottom, BOTTOM)
        .build_cartesian_2d(l.x_range.0..l.x_range.1, l.y_range.0..l.y_range.1)
        .map_err(s)?;
    draw_axes(
        &mut chart,
        "x (µm)",
        "y (µm)",
        ((l.plot.0 / 110).max(3) as usize, (l.plot.1 / 90).max(3) as usize),
        true,
    )?;

    // Islands: fill, then outline when large enough to see.
    let min_px = l.islands.iter().map(|g| g.width * 1e6 * l.scale).fold(f64::MAX, f64::min);
    chart.draw_series(l.shapes.iter().map(|(p, c)| Polygon::new(p.clone(), c.filled()))).map_err(s)?;
    if min_px >= 4.0 {
        let stroke = OUTLINE_GREY.stroke_width(if min_px > 30.0 { 2 } else { 1 });
        chart
            .draw_series(l.shapes.iter().map(|(p, _)| {
                let mut closed = p.clone();
                closed.push(p[0]);
                PathElement::new(closed, stroke)
            }))
            .map_err(s)?;
    }

    // Arrows (in µm), skipped for large arrays or sub-12-px islands.
    let max_len_px = l.islands.iter().map(|g| g.length * 1e6 * l.scale).fold(0.0, f64::max);
    if l.islands.len() <= MAX_ARROWS && max_len_px >= 12.0 {
        let plot_area = chart.plotting_area();
        for g in l.islands {
            draw_arrow(plot_area, g, l.scale).map_err(s)?;
        }
    }
    // Frame around the map.
    let (xr, yr) = (l.x_range, l.y_range);
    chart
        .draw_series(std::iter::once(Rectangle::new([(xr.0, yr.0), (xr.1, yr.1)], BLACK.stroke_width(1))))
        .map_err(s)?;

    // Colour-wheel key in the right-hand panel.
    let cx = (l.size.0 - MARGIN - PANEL / 2) as i32;
    colour_key(root, (cx, (MARGIN + TITLE_H + 90) as i32), 60).map_err(s)
}

type MapArea<DB> = DrawingArea<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws the arrow (shaft + filled head, in µm) of one island, or a dot
/// (m ≈ +z) / cross (m ≈ −z) marker when the in-plane component is small.
fn draw_arrow<DB: DrawingBackend>(
    area: &MapArea<DB>,
    g: &IslandGlyph,
    scale: f64,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let [mx, my, mz] = g.m;
    if !(mx.is_finite() && my.is_finite() && mz.is_finite()) {
        return Ok(());
    }
    let (len, wid) = (g.length * 1e6, g.width * 1e6);
    let stroke = (len * scale / 40.0).clamp(1.0, 4.0) as u32;
    let (x, y) = (g.x * 1e6, g.y * 1e6);
    let ip = mx.hypot(my);
    if ip < 0.15 {
        let r = 0.2 * wid;
        if mz >= 0.0 {
            let dot = Circle::new((x, y), ((r * scale).round() as i32).max(1), BLACK.filled());
            return area.draw(&dot);
        }
        for (dx, dy) in [(r, r), (r, -r)] {
            area.draw(&PathElement::new(vec![(x - dx, y - dy), (x + dx, y + dy)], BLACK.stroke_width(stroke)))?;
        }
        return Ok(());
    }
    // Shaft from tail to the base of the head, head as a filled triangle.
    let (ux, uy) = (mx / ip, my / ip);
    let half = 0.4 * len * ip;
    let head = (0.22 * len).min(0.9 * half);
    let hw = (0.4 * head).min(0.35 * wid);
    let (tx, ty) = (x + half * ux, y + half * uy);
    let (bx, by) = (tx - head * ux, ty - head * uy);
    let shaft_end = (bx + 0.2 * head * ux, by + 0.2 * head * uy);
    area.draw(&PathElement::new(vec![(x - half * ux, y - half * uy), shaft_end], BLACK.stroke_width(stroke)))?;
    let tri = vec![(tx, ty), (bx - hw * uy, by + hw * ux), (bx + hw * uy, by - hw * ux)];
    area.draw(&Polygon::new(tri, BLACK.filled()))
}

#[cfg(test)]
mod tests {
    use super::super::style::test_out as out;
    use super::*;
    use std::f64::consts::{FRAC_PI_2, PI};

    fn nonempty(p: &Path) -> bool {
        std::fs::metadata(p).is_ok_and(|m| m.len() > 1000)
    }

    fn glyph(x: f64, y: f64, angle: f64, ellipse: bool, m: [f64; 3]) -> IslandGlyph {
        let (length, width) = (220e-9, 80e-9);
        IslandGlyph { x, y, angle, length, width, ellipse, m }
    }

    /// Square ice with n x n vertices (a = 500 nm): horizontal islands at
    /// ((i+½)a, ja), vertical ones at (ia, (j+½)a); pseudo-random m.
    fn square_ice(n: usize, ellipse: bool) -> Vec<IslandGlyph> {
        let a = 500e-9;
        let mut seed = 12345u64;
        let mut rnd = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut v = Vec::new();
        for (i, j) in (0..n).flat_map(|i| (0..n).map(move |j| (i as f64, j as f64))) {
            for (x, y, ang) in [((i + 0.5) * a, j * a, 0.0), (i * a, (j + 0.5) * a, FRAC_PI_2)] {
                let flip = if rnd() < 0.5 { PI } else { 0.0 };
                let phi = ang + flip + 0.3 * (rnd() - 0.5);
                let mz: f64 = 0.1 * (rnd() - 0.5);
                let ip = (1.0 - mz * mz).sqrt();
                v.push(glyph(x, y, ang, ellipse, [ip * phi.cos(), ip * phi.sin(), mz]));
            }
        }
        v
    }

    #[test]
    fn square_ice_3x3() {
        let (png, svg) = (out("lattice_3x3.png"), out("lattice_3x3.svg"));
        let mut isl = square_ice(3, false);
        // Out-of-plane examples: +z (dot), -z (cross), tilted (pale colour).
        isl[4].m = [0.0, 0.0, 1.0];
        isl[7].m = [0.0, 0.0, -1.0];
        isl[10].m = [0.0, 0.6, 0.8];
        lattice_map(&png, Some(&svg), "Square ice 3×3", &isl).expect("map");
        assert!(nonempty(&png) && nonempty(&svg));
        let png = out("lattice_3x3_ellipse.png");
        let title = "Square ice 3×3 (ellipses)";
        lattice_map(&png, None, title, &square_ice(3, true)).expect("map");
        assert!(nonempty(&png));
    }

    #[test]
    fn single_island_and_large_array() {
        let one = glyph(0.0, 0.0, 0.5, true, [0.8, 0.6, 0.0]);
        let png = out("lattice_single.png");
        lattice_map(&png, None, "Single island", &[one]).expect("one");
        assert!(nonempty(&png));
        let big = square_ice(71, false);
        assert!(big.len() > 10_000);
        let t = std::time::Instant::now();
        let (png, svg) = (out("lattice_big.png"), out("lattice_big.svg"));
        lattice_map(&png, Some(&svg), "Square ice 71×71", &big).expect("big");
        eprintln!("10^4 islands: {:?}", t.elapsed());
        assert!(nonempty(&png) && nonempty(&svg));
    }

    #[test]
    fn history_frames_and_gif() {
        let frames: Vec<(String, Vec<IslandGlyph>)> = (0..4)
            .map(|k| {
                let mut isl = square_ice(3, false);
                for g in isl.iter_mut().take(6 * k) {
                    g.m = [1.0, 0.0, 0.0];
                }
                (format!("step {k}"), isl)
            })
            .collect();
        let (png, gif) = (out("lattice_frames.png"), out("lattice_frames.gif"));
        lattice_frames(&png, &frames, 2).expect("frames");
        lattice_gif(&gif, &frames, 200).expect("gif");
        assert!(nonempty(&png) && nonempty(&gif));
        assert!(lattice_frames(&out("none.png"), &[], 2).is_err());
    }

    #[test]
    fn bad_input_is_error() {
        assert!(lattice_map(&out("bad_map.png"), None, "", &[]).is_err());
        let bad = glyph(f64::NAN, 0.0, 0.0, false, [1.0, 0.0, 0.0]);
        let err = lattice_map(&out("bad_map.png"), None, "", &[bad]).unwrap_err();
        assert!(err.contains("bad_map.png"), "{err}");
        let flat = IslandGlyph { width: 0.0, ..glyph(0.0, 0.0, 0.0, false, [1.0, 0.0, 0.0]) };
        assert!(lattice_map(&out("bad_map.png"), None, "", &[flat]).is_err());
    }
}
