//! Demagnetisation by zero-padded FFT convolution with the cell-averaged tensor
//! ([`crate::micromag::demag_kernel`]):
//! $$ B_{d,a}(r_i) = -\mu_0 \sum_j \sum_b N_{ab}(r_i - r_j)\, M_{s,j}\, m_{b,j}, $$
//! computed as $\mathcal F^{-1}[\hat N_{ab}\,\hat M_b]$ on a grid padded to 2n along every axis
//! with more than one cell (so the circular convolution equals the linear one). The kernel's
//! FFT is computed once per mesh. Transforms: real-to-complex along x (realfft), complex along
//! y and z (rustfft); rows that are zero by padding are skipped, and only the unpadded
//! outputs are transformed back. $E_d = -\tfrac12 \sum_i M_{s,i} V\, m_i\cdot B_{d,i}$.

use crate::constants::MU0;
use crate::micromag::demag_kernel::tensor;
use crate::micromag::mesh::Mesh;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};
use std::sync::{Arc, Mutex};

type C = Complex<f64>;

/// The demag term of one mesh: the kernel in Fourier space and the FFT plans.
pub struct Demag {
    n: [usize; 3],
    /// Padded sizes.
    p: [usize; 3],
    /// px/2 + 1.
    hx: usize,
    /// FFT of N_xx, N_yy, N_zz, N_xy, N_xz, N_yz on the half-complex grid.
    kernel: [Vec<C>; 6],
    r2c: Arc<dyn RealToComplex<f64>>,
    c2r: Arc<dyn ComplexToReal<f64>>,
    fy: Arc<dyn Fft<f64>>,
    iy: Arc<dyn Fft<f64>>,
    fz: Arc<dyn Fft<f64>>,
    iz: Arc<dyn Fft<f64>>,
    scratch: Mutex<[Vec<C>; 3]>,
}

impl std::fmt::Debug for Demag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Demag {{ n: {:?}, padded: {:?} }}", self.n, self.p)
    }
}

fn pad(n: usize) -> usize {
    if n > 1 {
        2 * n
    } else {
        1
    }
}

impl Demag {
    /// Builds the kernel of `mesh` (O(cells) tensor evaluations and one FFT per component).
    pub fn new(mesh: &Mesh) -> Self {
        let n = mesh.n;
        let p = n.map(pad);
        let hx = p[0] / 2 + 1;
        let mut rp = RealFftPlanner::<f64>::new();
        let mut cp = FftPlanner::<f64>::new();
        let mut d = Demag {
            n,
            p,
            hx,
            kernel: Default::default(),
            r2c: rp.plan_fft_forward(p[0]),
            c2r: rp.plan_fft_inverse(p[0]),
            fy: cp.plan_fft_forward(p[1]),
            iy: cp.plan_fft_inverse(p[1]),
            fz: cp.plan_fft_forward(p[2]),
            iz: cp.plan_fft_inverse(p[2]),
            scratch: Mutex::new(Default::default()),
        };
        let len = hx * p[1] * p[2];
        // The kernel on the padded grid: offset i ↦ i (i < n) or i − p (i > n), 0 at i = n.
        let off = |i: usize, ax: usize| -> Option<f64> {
            if p[ax] == 1 {
                Some(0.0)
            } else if i < n[ax] {
                Some(i as f64)
            } else if i > n[ax] {
                Some(i as f64 - p[ax] as f64)
            } else {
                None
            }
        };
        let mut real = vec![vec![0.0; p[0] * p[1] * p[2]]; 6];
        for k in 0..p[2] {
            for j in 0..p[1] {
                for i in 0..p[0] {
                    if let (Some(x), Some(y), Some(z)) = (off(i, 0), off(j, 1), off(k, 2)) {
                        let t = tensor(x * mesh.d[0], y * mesh.d[1], z * mesh.d[2], mesh.d);
                        for (c, v) in t.iter().enumerate() {
                            real[c][i + p[0] * (j + p[1] * k)] = *v;
                        }
                    }
                }
            }
        }
        for (c, r) in real.into_iter().enumerate() {
            let mut out = vec![C::new(0.0, 0.0); len];
            d.forward(&r, &mut out, false);
            d.kernel[c] = out;
        }
        *d.scratch.lock().expect("fresh") =
            [vec![C::new(0.0, 0.0); len], vec![C::new(0.0, 0.0); len], vec![C::new(0.0, 0.0); len]];
        d
    }

    /// Forward 3D FFT of a real padded array (or, with `unpadded`, of an n-sized array that is
    /// zero-padded implicitly) into the half-complex layout x + hx·(y + py·z).
    fn forward(&self, src: &[f64], out: &mut [C], unpadded: bool) {
        let [px, py, pz] = self.p;
        let (ny_in, nz_in) = if unpadded { (self.n[1], self.n[2]) } else { (py, pz) };
        let row_len = if unpadded { self.n[0] } else { px };
        out.iter_mut().for_each(|c| *c = C::new(0.0, 0.0));
        let mut row = vec![0.0; px];
        let mut spec = vec![C::new(0.0, 0.0); self.hx];
        for k in 0..nz_in {
            for j in 0..ny_in {
                row.iter_mut().for_each(|v| *v = 0.0);
                let base = row_len * (j + ny_in * k);
                row[..row_len].copy_from_slice(&src[base..base + row_len]);
                self.r2c.process(&mut row, &mut spec).expect("plan sizes");
                let o = self.hx * (j + py * k);
                out[o..o + self.hx].copy_from_slice(&spec);
            }
        }
        if py > 1 {
            self.lines(out, 1, nz_in, py, self.fy.as_ref());
        }
        if pz > 1 {
            self.lines(out, 2, py, pz, self.fz.as_ref());
        }
    }

    /// Transforms, in place, every line of the half-complex grid along axis 1 (y) or 2 (z)
    /// whose other index (z for y-lines, y for z-lines) is below `outer`, keeping the first
    /// `keep` outputs of each line.
    fn lines(&self, data: &mut [C], axis: usize, outer: usize, keep: usize, fft: &dyn Fft<f64>) {
        let [_, py, pz] = self.p;
        let len = if axis == 1 { py } else { pz };
        let at = |i: usize, o: usize, q: usize| {
            if axis == 1 {
                i + self.hx * (q + py * o)
            } else {
                i + self.hx * (o + py * q)
            }
        };
        let mut col = vec![C::new(0.0, 0.0); len];
        for o in 0..outer {
            for i in 0..self.hx {
                for (q, c) in col.iter_mut().enumerate() {
                    *c = data[at(i, o, q)];
                }
                fft.process(&mut col);
                for (q, c) in col.iter().enumerate().take(keep) {
                    data[at(i, o, q)] = *c;
                }
            }
        }
    }

    /// Inverse of [`Demag::forward`] keeping only the unpadded n-sized block (normalised);
    /// `spec` is destroyed.
    fn inverse(&self, spec: &mut [C], dst: &mut [f64]) {
        let [px, py, pz] = self.p;
        let [nx, ny, nz] = self.n;
        if pz > 1 {
            self.lines(spec, 2, py, nz, self.iz.as_ref());
        }
        if py > 1 {
            self.lines(spec, 1, nz, ny, self.iy.as_ref());
        }
        let norm = 1.0 / (px * py * pz) as f64;
        let mut half = vec![C::new(0.0, 0.0); self.hx];
        let mut row = vec![0.0; px];
        for k in 0..nz {
            for j in 0..ny {
                let o = self.hx * (j + py * k);
                half.copy_from_slice(&spec[o..o + self.hx]);
                // The DC and Nyquist bins of a real signal are real; drop round-off.
                half[0].im = 0.0;
                if px % 2 == 0 {
                    half[self.hx - 1].im = 0.0;
                }
                self.c2r.process(&mut half, &mut row).expect("plan sizes");
                let base = nx * (j + ny * k);
                for i in 0..nx {
                    dst[base + i] = row[i] * norm;
                }
            }
        }
    }

    /// Adds B_d (T) of magnetisation m (3 per cell, unit vectors) to `b`.
    pub fn add_field(&self, mesh: &Mesh, m: &[f64], b: &mut [f64]) {
        let cells = mesh.cells();
        let mut scratch = self.scratch.lock().expect("demag scratch");
        let mut comp = vec![0.0; cells];
        for c in 0..3 {
            for (i, v) in comp.iter_mut().enumerate() {
                *v = mesh.ms[i] * m[3 * i + c];
            }
            self.forward(&comp, &mut scratch[c], true);
        }
        let [sx, sy, sz] = &mut *scratch;
        let k = &self.kernel;
        for q in 0..sx.len() {
            let (mx, my, mz) = (sx[q], sy[q], sz[q]);
            sx[q] = k[0][q] * mx + k[3][q] * my + k[4][q] * mz;
            sy[q] = k[3][q] * mx + k[1][q] * my + k[5][q] * mz;
            sz[q] = k[4][q] * mx + k[5][q] * my + k[2][q] * mz;
        }
        for (c, s) in [sx, sy, sz].into_iter().enumerate() {
            self.inverse(s, &mut comp);
            for (i, h) in comp.iter().enumerate() {
                b[3 * i + c] -= MU0 * h;
            }
        }
    }

    /// E_d = −½ Σ Ms V m·B_d (J).
    pub fn energy(&self, mesh: &Mesh, m: &[f64]) -> f64 {
        let mut b = vec![0.0; m.len()];
        self.add_field(mesh, m, &mut b);
        let v = mesh.cell_volume();
        -0.5 * (0..mesh.cells())
            .map(|i| mesh.ms[i] * v * (0..3).map(|c| m[3 * i + c] * b[3 * i + c]).sum::<f64>())
            .sum::<f64>()
    }
}
