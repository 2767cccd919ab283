//! Demagnetisation by zero-padded FFT convolution with the cell-averaged tensor
//! ([`crate::micromag::demag_kernel`]):
//! $$ B_{d,a}(r_i) = -\mu_0 \sum_j \sum_b N_{ab}(r_i - r_j)\, M_{s,j}\, m_{b,j}, $$
//! computed as $\mathcal F^{-1}[\hat N_{ab}\,\hat M_b]$ on a grid padded to 2n along every axis
//! with more than one cell (so the circular convolution equals the linear one). The kernel's
//! FFT is computed once per mesh. $E_d = -\tfrac12 \sum_i M_{s,i} V\, m_i\cdot B_{d,i}$.
//!
//! One evaluation makes three passes, none of which touches the zero padding in memory:
//! 1. every unpadded row along x of each component M_s m_c is transformed real-to-complex
//!    (realfft; rows of empty cells are zero and skipped) into px/2 + 1 bins;
//! 2. for tiles of `TILE` neighbouring x-bins, the three components' (y, z) planes are
//!    gathered once, zero-padded in a small buffer, transformed along y (only the nz y-lines
//!    that hold data) and z, multiplied by the kernel, transformed back keeping only the
//!    unpadded outputs, and scattered back — the whole y/z work of a tile stays in cache;
//! 3. every unpadded row is transformed complex-to-real and −μ0·h added to the field.
//!
//! Rows and tiles run in parallel (rayon), each independently, so the result does not depend
//! on the thread count. The convolution runs in f64 ([`Demag`]) or, as MuMax3 does, in f32
//! (`Demag<f32>`, half the memory traffic; the kernel is computed in f64 and rounded, the
//! field is returned in f64; relative error ~1e-6).

use crate::constants::MU0;
use crate::micromag::demag_kernel::tensor;
use crate::micromag::mesh::{min_items, Mesh};
use rayon::prelude::*;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlanner};
use std::sync::{Arc, Mutex};

type C<T> = Complex<T>;
/// Per-thread work buffers of the row and line passes (real row, complex row/tile, FFT
/// scratch), grown once and reused: no allocation per field evaluation.
type Buffers<T> = std::cell::RefCell<(Vec<T>, Vec<C<T>>, Vec<C<T>>)>;

thread_local! {
    static BUFFERS_F64: Buffers<f64> = const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
    static BUFFERS_F32: Buffers<f32> = const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new())) };
}

/// The floating-point type of the convolution: f64 or f32.
pub trait Real: rustfft::FftNum + rustfft::num_traits::Float + Default {
    fn of(x: f64) -> Self;
    fn to(self) -> f64;
    /// This thread's work buffers.
    fn buffers() -> &'static std::thread::LocalKey<Buffers<Self>>;
}

impl Real for f64 {
    fn of(x: f64) -> Self {
        x
    }
    fn to(self) -> f64 {
        self
    }
    fn buffers() -> &'static std::thread::LocalKey<Buffers<f64>> {
        &BUFFERS_F64
    }
}

impl Real for f32 {
    fn of(x: f64) -> Self {
        x as f32
    }
    fn to(self) -> f64 {
        self as f64
    }
    fn buffers() -> &'static std::thread::LocalKey<Buffers<f32>> {
        &BUFFERS_F32
    }
}

/// Runs `f` with this thread's buffers sized (at least) `nr` reals, `nc` and `ns` complex.
fn with_buffers<T: Real, R>(
    nr: usize,
    nc: usize,
    ns: usize,
    f: impl FnOnce(&mut [T], &mut [C<T>], &mut [C<T>]) -> R,
) -> R {
    T::buffers().with(|b| {
        let mut b = b.borrow_mut();
        let (r, c, s) = &mut *b;
        let zero = C::new(T::zero(), T::zero());
        if r.len() < nr {
            r.resize(nr, T::zero());
        }
        if c.len() < nc {
            c.resize(nc, zero);
        }
        if s.len() < ns {
            s.resize(ns, zero);
        }
        f(&mut r[..nr], &mut c[..nc], &mut s[..ns])
    })
}

/// Neighbouring x-bins whose (y, z) planes are transformed together (8 complex f64 = two
/// cache lines).
const TILE: usize = 8;

/// The spectra shared by the tiles of [`Core::planes`], which touch disjoint elements.
#[derive(Clone, Copy)]
struct SharedGrid<T>(*mut C<T>);
// SAFETY: used only by `planes`, whose tasks access disjoint elements.
unsafe impl<T> Send for SharedGrid<T> {}
unsafe impl<T> Sync for SharedGrid<T> {}
impl<T> SharedGrid<T> {
    fn get(self) -> *mut C<T> {
        self.0
    }
}

/// The kernel in Fourier space and the FFT plans of one mesh (shared by copies of the term).
struct Core<T: Real> {
    n: [usize; 3],
    /// Padded sizes.
    p: [usize; 3],
    /// px/2 + 1.
    hx: usize,
    /// FFT of N_xx, N_yy, N_zz, N_xy, N_xz, N_yz, at x-bin i and (qy, qz) stored at
    /// i·py·pz + qz·py + qy (the layout of [`Core::planes`]). Each component is even or odd
    /// along every axis, in pairs, so its transform is real: only the real part is kept.
    kernel: [Vec<T>; 6],
    /// N_xz and N_yz vanish (a single layer of cells): their products are skipped.
    flat: bool,
    r2c: Arc<dyn RealToComplex<T>>,
    c2r: Arc<dyn ComplexToReal<T>>,
    /// Transforms of length ny (half the padded py): the y-transform of a zero-padded line is
    /// done as two of them ([`Core::transform_plane`]).
    fy: Arc<dyn Fft<T>>,
    iy: Arc<dyn Fft<T>>,
    /// w_j = exp(−iπ j/ny), j < ny.
    tw: Vec<C<T>>,
    fz: Arc<dyn Fft<T>>,
    iz: Arc<dyn Fft<T>>,
}

/// The demag term of one mesh: the shared kernel and this copy's work buffers.
pub struct Demag<T: Real = f64> {
    core: Arc<Core<T>>,
    /// The x-transformed rows of the three components, [c][row][x-bin], reused between calls.
    spec: Mutex<Vec<C<T>>>,
}

impl<T: Real> std::fmt::Debug for Demag<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Demag {{ n: {:?}, padded: {:?} }}", self.core.n, self.core.p)
    }
}

impl<T: Real> Clone for Demag<T> {
    /// Shares the kernel; own work buffers (copies may run in parallel).
    fn clone(&self) -> Self {
        Demag::with_core(self.core.clone())
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
        Demag::build(mesh)
    }
}

impl<T: Real> Demag<T> {
    /// Builds the kernel of `mesh` in f64 and keeps it, and runs the convolution, in T.
    pub fn build(mesh: &Mesh) -> Self {
        let exact = Core::<f64>::new(mesh);
        let mut core = Core::<T>::plans(mesh);
        core.kernel = std::array::from_fn(|c| exact.kernel[c].iter().map(|&v| T::of(v)).collect());
        Demag::with_core(Arc::new(core))
    }

    fn with_core(core: Arc<Core<T>>) -> Self {
        let len = 3 * core.hx * core.n[1] * core.n[2];
        Demag { spec: Mutex::new(vec![C::new(T::zero(), T::zero()); len]), core }
    }
}

impl<T: Real> Core<T> {
    /// Sizes and FFT plans of `mesh`, with an empty kernel.
    fn plans(mesh: &Mesh) -> Self {
        let n = mesh.n;
        let p = n.map(pad);
        let hx = p[0] / 2 + 1;
        let mut rp = RealFftPlanner::<T>::new();
        let mut cp = FftPlanner::<T>::new();
        Core {
            n,
            p,
            hx,
            kernel: Default::default(),
            flat: p[2] == 1,
            r2c: rp.plan_fft_forward(p[0]),
            c2r: rp.plan_fft_inverse(p[0]),
            fy: cp.plan_fft_forward(n[1]),
            iy: cp.plan_fft_inverse(n[1]),
            tw: (0..n[1])
                .map(|j| {
                    let a = -std::f64::consts::PI * j as f64 / n[1] as f64;
                    C::new(T::of(a.cos()), T::of(a.sin()))
                })
                .collect(),
            fz: cp.plan_fft_forward(p[2]),
            iz: cp.plan_fft_inverse(p[2]),
        }
    }
}

impl Core<f64> {
    /// Sizes, plans and the kernel's transform (f64).
    fn new(mesh: &Mesh) -> Self {
        let mut d = Core::<f64>::plans(mesh);
        let (n, p) = (d.n, d.p);
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
            let out = d.full_transform(&r);
            // Relative to O(1) (the diagonal components' transforms are O(1)): an off-diagonal
            // component that vanishes identically is pure round-off.
            let scale = out.iter().map(|c| c.norm()).fold(1.0, f64::max);
            let im = out.iter().map(|c| c.im.abs()).fold(0.0, f64::max);
            debug_assert!(im <= 1e-9 * scale, "kernel component {c} has an imaginary part {im:e}");
            d.kernel[c] = out.iter().map(|c| c.re).collect();
        }
        d
    }

    /// The 3D FFT of a real padded array (x fastest) in the kernel's layout (once per mesh):
    /// y-bin q stored at position q/2 (even q) or ny + q/2 (odd q) of its line, the order in
    /// which [`Core::transform_plane`] produces them.
    fn full_transform(&self, src: &[f64]) -> Vec<C<f64>> {
        let [px, py, pz] = self.p;
        let (hx, ny) = (self.hx, self.n[1]);
        let zero = C::new(0.0, 0.0);
        let mut out = vec![zero; hx * py * pz];
        let mut row = vec![0.0; px];
        let mut spec = vec![zero; hx];
        let perm = |q: usize| {
            if py == 1 {
                q
            } else if q.is_multiple_of(2) {
                q / 2
            } else {
                ny + q / 2
            }
        };
        let full_y = FftPlanner::<f64>::new().plan_fft_forward(py);
        let mut line = vec![zero; py.max(pz)];
        for k in 0..pz {
            for j in 0..py {
                row.copy_from_slice(&src[px * (j + py * k)..px * (j + py * k + 1)]);
                self.r2c.process(&mut row, &mut spec).expect("plan sizes");
                for (i, v) in spec.iter().enumerate() {
                    out[i * py * pz + k * py + j] = *v;
                }
            }
        }
        for plane in out.chunks_mut(py * pz) {
            for l in plane.chunks_mut(py) {
                full_y.process(l);
                line[..py].copy_from_slice(l);
                (0..py).for_each(|q| l[perm(q)] = line[q]);
            }
            for j in 0..py {
                (0..pz).for_each(|k| line[k] = plane[k * py + j]);
                self.fz.process(&mut line[..pz]);
                (0..pz).for_each(|k| plane[k * py + j] = line[k]);
            }
        }
        out
    }
}

impl<T: Real> Core<T> {
    /// Pass 1: the x-transform of every unpadded row of M_s m_c into `spec` ([c][row][bin]);
    /// rows of empty cells are zero.
    fn rows_forward(&self, mesh: &Mesh, m: &[f64], spec: &mut [C<T>]) {
        let [nx, ny, nz] = self.n;
        let (px, hx, rows) = (self.p[0], self.hx, ny * nz);
        let zero = C::new(T::zero(), T::zero());
        spec.par_chunks_mut(hx).enumerate().with_min_len(min_items(px)).for_each(|(r, out)| {
            let (c, first) = (r / rows, (r % rows) * nx);
            let ms = &mesh.ms[first..first + nx];
            if ms.iter().all(|&v| v == 0.0) {
                out.iter_mut().for_each(|v| *v = zero);
                return;
            }
            with_buffers(px, 0, self.r2c.get_scratch_len(), |row: &mut [T], _, scratch| {
                let mc = &m[3 * first..3 * (first + nx)];
                for (i, v) in row[..nx].iter_mut().enumerate() {
                    *v = T::of(ms[i] * mc[3 * i + c]);
                }
                row[nx..].iter_mut().for_each(|v| *v = T::zero());
                self.r2c.process_with_scratch(row, out, scratch).expect("plan sizes");
            });
        });
    }

    /// Pass 2: for tiles of [`TILE`] x-bins, the (y, z) transforms, the product with the
    /// kernel and the inverse (y, z) transforms, in place in `spec`.
    fn planes(&self, spec: &mut [C<T>]) {
        let [_, ny, nz] = self.n;
        let [_, py, pz] = self.p;
        let (hx, plane) = (self.hx, py * pz);
        let per_c = hx * ny * nz;
        let base = SharedGrid(spec.as_mut_ptr());
        let total = spec.len();
        let scratch_len = [&self.fy, &self.iy, &self.fz, &self.iz].iter().map(|f| f.get_inplace_scratch_len()).max();
        let tiles = hx.div_ceil(TILE);
        (0..tiles).into_par_iter().with_min_len(min_items(3 * TILE * plane)).for_each(|t| {
            let (i0, w) = (t * TILE, TILE.min(hx - t * TILE));
            let tile_len = 3 * TILE * plane;
            with_buffers(0, tile_len + pz, scratch_len.unwrap_or(0), |_: &mut [T], buf, scratch| {
                let (tile, line) = buf.split_at_mut(tile_len);
                // SAFETY: tile t reads and writes only the bins i0..i0+w of every row of every
                // component, which no other tile touches; all indices are < total.
                let at = |c: usize, row: usize| {
                    let k = c * per_c + row * hx + i0;
                    debug_assert!(k + w <= total);
                    unsafe { std::slice::from_raw_parts_mut(base.get().add(k), w) }
                };
                // Only the z-padding needs zeroing: the data and the y-transforms fill the rest.
                let zero = C::new(T::zero(), T::zero());
                tile.chunks_mut(plane).for_each(|pl| pl[nz * py..].iter_mut().for_each(|v| *v = zero));
                for c in 0..3 {
                    for row in 0..ny * nz {
                        let (j, k) = (row % ny, row / ny);
                        for (x, v) in at(c, row).iter().enumerate() {
                            tile[(c * TILE + x) * plane + k * py + j] = *v;
                        }
                    }
                }
                for c in 0..3 {
                    for x in 0..w {
                        let pl = &mut tile[(c * TILE + x) * plane..(c * TILE + x + 1) * plane];
                        self.transform_plane(pl, line, scratch, false);
                    }
                }
                self.multiply(tile, i0, w);
                for c in 0..3 {
                    for x in 0..w {
                        let pl = &mut tile[(c * TILE + x) * plane..(c * TILE + x + 1) * plane];
                        self.transform_plane(pl, line, scratch, true);
                    }
                }
                for c in 0..3 {
                    for row in 0..ny * nz {
                        let (j, k) = (row % ny, row / ny);
                        for (x, v) in at(c, row).iter_mut().enumerate() {
                            *v = tile[(c * TILE + x) * plane + k * py + j];
                        }
                    }
                }
            })
        });
    }

    /// Forward (or inverse) transform of one (y, z) plane, layout qz·py + (y position). Along
    /// y a line holds ny values followed by ny zeros of padding, whose 2ny-point transform is
    /// X_{2q} = F_ny[x]_q and X_{2q+1} = F_ny[w x]_q with w_j = exp(−iπ j/ny): two ny-point
    /// transforms, even bins stored first. The inverse keeps the first ny outputs,
    /// x_j = F⁻¹_ny[X_even]_j + w̄_j F⁻¹_ny[X_odd]_j. Only the nz y-lines that hold data are
    /// transformed; along z the padded lines are transformed whole, the inverse first.
    fn transform_plane(&self, pl: &mut [C<T>], line: &mut [C<T>], scratch: &mut [C<T>], inverse: bool) {
        let [_, ny, nz] = self.n;
        let [_, py, pz] = self.p;
        let ylines = |pl: &mut [C<T>], scratch: &mut [C<T>]| {
            if py == 1 {
                return;
            }
            for l in pl[..nz * py].chunks_mut(py) {
                let (e, o) = l.split_at_mut(ny);
                if inverse {
                    self.iy.process_with_scratch(e, scratch);
                    self.iy.process_with_scratch(o, scratch);
                    for ((a, b), w) in e.iter_mut().zip(o.iter()).zip(&self.tw) {
                        *a = *a + *b * w.conj();
                    }
                } else {
                    for ((b, a), w) in o.iter_mut().zip(e.iter()).zip(&self.tw) {
                        *b = *a * *w;
                    }
                    self.fy.process_with_scratch(e, scratch);
                    self.fy.process_with_scratch(o, scratch);
                }
            }
        };
        if !inverse {
            ylines(pl, scratch);
        }
        if pz > 1 {
            let fz = if inverse { &self.iz } else { &self.fz };
            for j in 0..py {
                (0..pz).for_each(|k| line[k] = pl[k * py + j]);
                fz.process_with_scratch(&mut line[..pz], scratch);
                (0..pz).for_each(|k| pl[k * py + j] = line[k]);
            }
        }
        if inverse {
            ylines(pl, scratch);
        }
    }

    /// ĥ_a = Σ_b N̂_ab M̂_b on the planes of x-bins i0..i0+w of a tile.
    fn multiply(&self, tile: &mut [C<T>], i0: usize, w: usize) {
        let plane = self.p[1] * self.p[2];
        let k = &self.kernel;
        for x in 0..w {
            let o = (i0 + x) * plane;
            let (sx, rest) = tile.split_at_mut(TILE * plane);
            let (sy, sz) = rest.split_at_mut(TILE * plane);
            let r = x * plane..(x + 1) * plane;
            let (sx, sy, sz) = (&mut sx[r.clone()], &mut sy[r.clone()], &mut sz[r]);
            let kq = |c: usize| &k[c][o..o + plane];
            let (kxx, kyy, kzz, kxy) = (kq(0), kq(1), kq(2), kq(3));
            if self.flat {
                for q in 0..plane {
                    let (mx, my) = (sx[q], sy[q]);
                    sx[q] = mx * kxx[q] + my * kxy[q];
                    sy[q] = mx * kxy[q] + my * kyy[q];
                    sz[q] = sz[q] * kzz[q];
                }
            } else {
                let (kxz, kyz) = (kq(4), kq(5));
                for q in 0..plane {
                    let (mx, my, mz) = (sx[q], sy[q], sz[q]);
                    sx[q] = mx * kxx[q] + my * kxy[q] + mz * kxz[q];
                    sy[q] = mx * kxy[q] + my * kyy[q] + mz * kyz[q];
                    sz[q] = mx * kxz[q] + my * kyz[q] + mz * kzz[q];
                }
            }
        }
    }

    /// Pass 3: the inverse x-transform of every unpadded row (normalised), −μ0·h added to `b`.
    fn rows_inverse(&self, spec: &[C<T>], b: &mut [f64]) {
        let [nx, ny, nz] = self.n;
        let [px, py, pz] = self.p;
        let (hx, per_c) = (self.hx, self.hx * ny * nz);
        // Normalised in T, then scaled by μ0 in f64 (as the field is used).
        let norm = T::of(1.0 / (px * py * pz) as f64);
        let c2r_scratch = self.c2r.get_scratch_len();
        b.par_chunks_mut(3 * nx).enumerate().with_min_len(min_items(3 * px)).for_each(|(r, brow)| {
            with_buffers(px, hx + c2r_scratch, 0, |row: &mut [T], buf, _| {
                let (half, scratch) = buf.split_at_mut(hx);
                for c in 0..3 {
                    let o = c * per_c + r * hx;
                    half.copy_from_slice(&spec[o..o + hx]);
                    // The DC and Nyquist bins of a real signal are real; drop round-off.
                    half[0].im = T::zero();
                    if px % 2 == 0 {
                        half[hx - 1].im = T::zero();
                    }
                    self.c2r.process_with_scratch(half, row, scratch).expect("plan sizes");
                    for (bi, v) in brow.chunks_exact_mut(3).zip(row.iter()) {
                        bi[c] -= MU0 * (*v * norm).to();
                    }
                }
            })
        });
    }
}

impl<T: Real> Demag<T> {
    /// Adds B_d (T) of magnetisation m (3 per cell, unit vectors) to `b`.
    pub fn add_field(&self, mesh: &Mesh, m: &[f64], b: &mut [f64]) {
        let mut spec = self.spec.lock().expect("demag scratch");
        self.core.rows_forward(mesh, m, &mut spec);
        self.core.planes(&mut spec);
        self.core.rows_inverse(&spec, b);
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

impl<T: Real> super::MicroTerm for Demag<T> {
    fn name(&self) -> &'static str {
        "e_demag"
    }
    fn add_field(&self, mesh: &Mesh, m: &[f64], _b_ext: &nalgebra::Vector3<f64>, b: &mut [f64]) {
        Demag::<T>::add_field(self, mesh, m, b);
    }
    fn energy(&self, mesh: &Mesh, m: &[f64], _b_ext: &nalgebra::Vector3<f64>) -> f64 {
        Demag::<T>::energy(self, mesh, m)
    }
    fn clone_box(&self) -> Box<dyn super::MicroTerm> {
        Box::new(self.clone())
    }
}
