//! A single-domain nanomagnet island: its centre, in-plane long-axis angle, shape and size.

use super::demag_factors;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};

/// Cross-section of an island in the plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// Rectangular prism length × width × thickness (Aharoni demagnetising factors).
    Prism,
    /// Elliptical cylinder with axes length × width and height thickness.
    Ellipse,
}

impl Shape {
    pub fn parse(s: &str) -> Option<Shape> {
        match s {
            "prism" => Some(Shape::Prism),
            "ellipse" => Some(Shape::Ellipse),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Shape::Prism => "prism",
            Shape::Ellipse => "ellipse",
        }
    }
}

/// One island. Lengths in m, angle in rad (long axis, counter-clockwise from +x).
#[derive(Debug, Clone, PartialEq)]
pub struct Island {
    pub x: f64,
    pub y: f64,
    pub angle: f64,
    pub shape: Shape,
    pub length: f64,
    pub width: f64,
    pub thickness: f64,
    /// Sub-lattice label (0, 1, …) set by the lattice, e.g. horizontal / vertical bars.
    pub sublattice: u8,
}

impl Island {
    /// Volume V (m³): L·W·T for a prism, (π/4)·L·W·T for an elliptical cylinder.
    pub fn volume(&self) -> f64 {
        let box_v = self.length * self.width * self.thickness;
        match self.shape {
            Shape::Prism => box_v,
            Shape::Ellipse => std::f64::consts::FRAC_PI_4 * box_v,
        }
    }

    /// Demagnetising factors (N_long, N_short, N_thickness) in the island frame; sum 1.
    pub fn demag_factors(&self) -> [f64; 3] {
        match self.shape {
            Shape::Prism => demag_factors::prism(self.length, self.width, self.thickness),
            Shape::Ellipse => demag_factors::elliptic_cylinder(self.length, self.width, self.thickness),
        }
    }

    /// Unit vector along the long (easy) axis, u = (cos θ, sin θ, 0).
    pub fn long_axis(&self) -> Vector3<f64> {
        Vector3::new(self.angle.cos(), self.angle.sin(), 0.0)
    }

    /// Unit vector along the short in-plane axis, v = ẑ × u.
    pub fn short_axis(&self) -> Vector3<f64> {
        Vector3::new(-self.angle.sin(), self.angle.cos(), 0.0)
    }

    /// Half-extents of the island's outline along its own axes (m).
    fn corners(&self) -> [(f64, f64); 4] {
        let (u, v) = (self.long_axis(), self.short_axis());
        let (hl, hw) = (0.5 * self.length, 0.5 * self.width);
        let mut c = [(0.0, 0.0); 4];
        for (k, (sl, sw)) in [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0)].iter().enumerate() {
            c[k] = (self.x + sl * hl * u.x + sw * hw * v.x, self.y + sl * hl * u.y + sw * hw * v.y);
        }
        c
    }

    /// Whether the outlines (bounding rectangles, shrunk by `tolerance` m) of two islands
    /// overlap, by the separating-axis test. Ellipses are tested by their bounding rectangle
    /// shrunk to the ellipse's inscribed square, which never reports a false overlap.
    pub fn overlaps(&self, other: &Island, tolerance: f64) -> bool {
        let a = self.shrunk(tolerance);
        let b = other.shrunk(tolerance);
        let (ca, cb) = (a.corners(), b.corners());
        for isl in [&a, &b] {
            for axis in [isl.long_axis(), isl.short_axis()] {
                let proj = |c: &[(f64, f64); 4]| {
                    c.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                        let d = p.0 * axis.x + p.1 * axis.y;
                        (lo.min(d), hi.max(d))
                    })
                };
                let (alo, ahi) = proj(&ca);
                let (blo, bhi) = proj(&cb);
                if ahi <= blo || bhi <= alo {
                    return false;
                }
            }
        }
        true
    }

    fn shrunk(&self, tol: f64) -> Island {
        let f = match self.shape {
            Shape::Prism => 1.0,
            Shape::Ellipse => std::f64::consts::FRAC_1_SQRT_2,
        };
        Island { length: (f * self.length - tol).max(0.0), width: (f * self.width - tol).max(0.0), ..self.clone() }
    }
}

/// Default island shape and size (m).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MagnetSpec {
    pub shape: Shape,
    pub length: f64,
    pub width: f64,
    pub thickness: f64,
}

impl MagnetSpec {
    /// An island of this shape and size at (x, y) m, long axis at `angle` rad.
    pub fn island(&self, x: f64, y: f64, angle: f64, sublattice: u8) -> Island {
        Island {
            x,
            y,
            angle,
            shape: self.shape,
            length: self.length,
            width: self.width,
            thickness: self.thickness,
            sublattice,
        }
    }
}
