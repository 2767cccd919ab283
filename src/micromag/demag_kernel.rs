//! The cell-averaged demagnetising tensor of a regular grid (Newell, Williams and Dunlop,
//! J. Geophys. Res. 98, 9551 (1993)): the field of a uniformly magnetised cell averaged over
//! another cell at offset (X, Y, Z), $\bar H_a = -\sum_b N_{ab}(X,Y,Z)\,M_b$.
//!
//! $$ N_{xx}(X,Y,Z) = \frac{1}{4\pi\,\Delta x\Delta y\Delta z} \sum_{i,j,k\in\{-1,0,1\}}
//!    w_i w_j w_k\, f(X+i\Delta x,\,Y+j\Delta y,\,Z+k\Delta z),\quad w_0=-2,\ w_{\pm1}=1 $$
//!
//! (a second difference along each axis; the sign makes the self term positive) with
//! $$ f = \tfrac{y}{2}(z^2-x^2)\,\mathrm{asinh}\tfrac{y}{\sqrt{x^2+z^2}}
//!      + \tfrac{z}{2}(y^2-x^2)\,\mathrm{asinh}\tfrac{z}{\sqrt{x^2+y^2}}
//!      - xyz\,\mathrm{atan}\tfrac{yz}{xR} + \tfrac16(2x^2-y^2-z^2)R, $$
//! and $N_{xy}$ the same stencil over
//! $$ g = xyz\,\mathrm{asinh}\tfrac{z}{\sqrt{x^2+y^2}} + \tfrac{y}{6}(3z^2-y^2)\,\mathrm{asinh}\tfrac{x}{\sqrt{y^2+z^2}}
//!      + \tfrac{x}{6}(3z^2-x^2)\,\mathrm{asinh}\tfrac{y}{\sqrt{x^2+z^2}} - \tfrac{z^3}{6}\mathrm{atan}\tfrac{xy}{zR}
//!      - \tfrac{zy^2}{2}\mathrm{atan}\tfrac{xz}{yR} - \tfrac{zx^2}{2}\mathrm{atan}\tfrac{yz}{xR} - \tfrac{xyR}{3}. $$
//! Other components by permuting axes. The 27-term stencil cancels catastrophically far away,
//! so beyond `FAR` cells the point-dipole tensor
//! $N_{ab} = -\frac{V}{4\pi}\,\frac{3 r_a r_b - \delta_{ab} r^2}{r^5}$ is used (relative
//! difference < 1e-5 there).

use std::f64::consts::PI;

/// Offsets (in cells, largest axis) beyond which the point-dipole form is used.
pub const FAR: f64 = 24.0;

fn asinh_ratio(a: f64, b2: f64) -> f64 {
    // asinh(a / sqrt(b2)), 0 when both vanish.
    if b2 <= 0.0 {
        0.0
    } else {
        (a / b2.sqrt()).asinh()
    }
}

fn atan_ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 {
        0.0
    } else {
        (num / den).atan()
    }
}

/// Newell's f(x, y, z) (for the diagonal components).
pub fn f(x: f64, y: f64, z: f64) -> f64 {
    let (x, y, z) = (x.abs(), y.abs(), z.abs());
    let (x2, y2, z2) = (x * x, y * y, z * z);
    let r = (x2 + y2 + z2).sqrt();
    let mut v = (2.0 * x2 - y2 - z2) * r / 6.0;
    if y > 0.0 {
        v += 0.5 * y * (z2 - x2) * asinh_ratio(y, x2 + z2);
    }
    if z > 0.0 {
        v += 0.5 * z * (y2 - x2) * asinh_ratio(z, x2 + y2);
    }
    if x > 0.0 && y > 0.0 && z > 0.0 {
        v -= x * y * z * atan_ratio(y * z, x * r);
    }
    v
}

/// Newell's g(x, y, z) (for the off-diagonal components), odd in x and y.
pub fn g(x: f64, y: f64, z: f64) -> f64 {
    let sign = x.signum() * y.signum();
    let (x, y, z) = (x.abs(), y.abs(), z.abs());
    let (x2, y2, z2) = (x * x, y * y, z * z);
    let r = (x2 + y2 + z2).sqrt();
    let mut v = -x * y * r / 3.0;
    if z > 0.0 {
        v += x * y * z * asinh_ratio(z, x2 + y2);
        v -= z * z2 / 6.0 * atan_ratio(x * y, z * r);
    }
    if x > 0.0 {
        v += y / 6.0 * (3.0 * z2 - y2) * asinh_ratio(x, y2 + z2);
    }
    if y > 0.0 {
        v += x / 6.0 * (3.0 * z2 - x2) * asinh_ratio(y, x2 + z2);
    }
    if y > 0.0 && z > 0.0 {
        v -= 0.5 * z * y2 * atan_ratio(x * z, y * r);
    }
    if x > 0.0 && z > 0.0 {
        v -= 0.5 * z * x2 * atan_ratio(y * z, x * r);
    }
    sign * v
}

const W: [f64; 3] = [1.0, -2.0, 1.0];

fn stencil(fun: impl Fn(f64, f64, f64) -> f64, x: f64, y: f64, z: f64, d: [f64; 3]) -> f64 {
    let mut s = 0.0;
    for (i, wi) in W.iter().enumerate() {
        for (j, wj) in W.iter().enumerate() {
            for (k, wk) in W.iter().enumerate() {
                let (a, b, c) = ((i as f64 - 1.0) * d[0], (j as f64 - 1.0) * d[1], (k as f64 - 1.0) * d[2]);
                s += wi * wj * wk * fun(x + a, y + b, z + c);
            }
        }
    }
    s
}

/// The six components (xx, yy, zz, xy, xz, yz) of N at offset (X, Y, Z) (m) for cells
/// d = (Δx, Δy, Δz) (m).
pub fn tensor(x: f64, y: f64, z: f64, d: [f64; 3]) -> [f64; 6] {
    let far = (x / d[0]).abs().max((y / d[1]).abs()).max((z / d[2]).abs()) > FAR;
    let v = d[0] * d[1] * d[2];
    if far {
        let r2 = x * x + y * y + z * z;
        let r5 = r2 * r2 * r2.sqrt();
        let c = -v / (4.0 * PI * r5);
        return [
            c * (3.0 * x * x - r2),
            c * (3.0 * y * y - r2),
            c * (3.0 * z * z - r2),
            c * 3.0 * x * y,
            c * 3.0 * x * z,
            c * 3.0 * y * z,
        ];
    }
    let k = -1.0 / (4.0 * PI * v);
    [
        k * stencil(f, x, y, z, d),
        k * stencil_perm(f, [1, 0, 2], x, y, z, d),
        k * stencil_perm(f, [2, 1, 0], x, y, z, d),
        k * stencil(g, x, y, z, d),
        k * stencil_perm(g, [0, 2, 1], x, y, z, d),
        k * stencil_perm(g, [1, 2, 0], x, y, z, d),
    ]
}

/// The stencil of `fun` with its arguments permuted: fun(p[0]-th coordinate, …).
fn stencil_perm(fun: impl Fn(f64, f64, f64) -> f64, p: [usize; 3], x: f64, y: f64, z: f64, d: [f64; 3]) -> f64 {
    stencil(
        |a, b, c| {
            let q = [a, b, c];
            fun(q[p[0]], q[p[1]], q[p[2]])
        },
        x,
        y,
        z,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A single cell's self tensor has trace 1 (and is diagonal); a cube's is 1/3 each.
    #[test]
    fn self_tensor_traces_to_one() {
        for d in [[1.0, 1.0, 1.0], [5e-9, 5e-9, 3e-9], [4e-9, 2e-9, 10e-9], [2.0, 1.0, 0.25]] {
            let n = tensor(0.0, 0.0, 0.0, d);
            assert!((n[0] + n[1] + n[2] - 1.0).abs() < 1e-10, "{d:?}: {n:?}");
            assert!(n[3].abs() < 1e-12 && n[4].abs() < 1e-12 && n[5].abs() < 1e-12);
        }
        let n = tensor(0.0, 0.0, 0.0, [1.0, 1.0, 1.0]);
        assert!((n[0] - 1.0 / 3.0).abs() < 1e-10);
    }

    /// Far away the Newell form equals the point dipole.
    #[test]
    fn newell_matches_point_dipole_far_away() {
        let d = [1.0, 1.0, 1.0];
        let (x, y, z) = (12.0, 7.0, 3.0);
        let k = -1.0 / (4.0 * PI);
        let newell = [k * stencil(f, x, y, z, d), k * stencil(g, x, y, z, d)];
        let r2: f64 = x * x + y * y + z * z;
        let c = -1.0 / (4.0 * PI * r2.powf(2.5));
        let dip = [c * (3.0 * x * x - r2), c * 3.0 * x * y];
        for (a, b) in newell.iter().zip(dip) {
            assert!((a - b).abs() < 2e-3 * b.abs(), "{a} vs {b}");
        }
    }
}
