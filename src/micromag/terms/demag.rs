//! Demagnetisation by zero-padded FFT convolution with the cell-averaged tensor
//! ([`crate::micromag::demag_kernel`]):
//! $$ B_{d,a}(r_i) = -\mu_0 \sum_j \sum_b N_{ab}(r_i - r_j)\, M_{s,j}\, m_{b,j}, $$
//! computed as $\mathcal F^{-1}[\hat N_{ab}\,\hat M_b]$ on a grid padded to 2n along every axis
//! with more than one cell (so the circular convolution equals the linear one). The kernel's
//! FFT is computed once per mesh. Transforms: real-to-complex along x (realfft), complex along
//! y and z (rustfft); rows that are zero by padding are skipped, and only the unpadded
//! outputs are transformed back. Rows and lines are transformed in parallel (rayon), each
//! independently, so the result does not depend on the thread count. $E_d = -\tfrac12 \sum_i M_{s,i} V\, m_i\cdot B_{d,i}$.
//!
//! The convolution runs in f64 ([`Demag`]) or, as MuMax3 does, in f32 (`Demag<f32>`, half
//! the memory traffic and twice the SIMD width; the kernel is computed in f64 and rounded,
//! the field is returned in f64; relative error ~1e-6).

use crate::constants::MU0;
use crate::micromag::demag_kernel::tensor;
use crate::micromag::mesh::{min_items, Mesh, PAR_GRAIN};
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

/// Neighbouring x-indices whose y- or z-lines are transformed together.
const TILE: usize = 16;

/// The spectrum grid shared by the tiles of [`Demag::lines`], which touch disjoint elements.
#[derive(Clone, Copy)]
struct SharedGrid<T>(*mut C<T>);
// SAFETY: used only by `lines`, whose tasks access disjoint elements.
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
    /// FFT of N_xx, N_yy, N_zz, N_xy, N_xz, N_yz on the half-complex grid. Each component is
    /// even or odd along every axis, in pairs, so its transform is real: only the real part
    /// is kept.
    kernel: [Vec<T>; 6],
    /// N_xz and N_yz vanish (a single layer of cells): their products are skipped.
    flat: bool,
    r2c: Arc<dyn RealToComplex<T>>,
    c2r: Arc<dyn ComplexToReal<T>>,
    fy: Arc<dyn Fft<T>>,
    iy: Arc<dyn Fft<T>>,
    fz: Arc<dyn Fft<T>>,
    iz: Arc<dyn Fft<T>>,
}

/// The demag term of one mesh: the shared kernel and this copy's work buffers.
pub struct Demag<T: Real = f64> {
    core: Arc<Core<T>>,
    /// The three spectra, reused between calls.
    scratch: Mutex<[Vec<C<T>>; 3]>,
    /// One real component Ms·m_c per cell, reused between calls.
    comp: Mutex<Vec<T>>,
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
        let len = core.hx * core.p[1] * core.p[2];
        let cells = core.n[0] * core.n[1] * core.n[2];
        let zero = C::new(T::zero(), T::zero());
        Demag {
            scratch: Mutex::new(std::array::from_fn(|_| vec![zero; len])),
            comp: Mutex::new(vec![T::zero(); cells]),
            core,
        }
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
            fy: cp.plan_fft_forward(p[1]),
            iy: cp.plan_fft_inverse(p[1]),
            fz: cp.plan_fft_forward(p[2]),
            iz: cp.plan_fft_inverse(p[2]),
        }
    }
}

impl Core<f64> {
    /// Sizes, plans and the kernel's transform (f64).
    fn new(mesh: &Mesh) -> Self {
        let mut d = Core::<f64>::plans(mesh);
        let (n, p, hx) = (d.n, d.p, d.hx);
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
            let mut out = vec![Complex::new(0.0, 0.0); len];
            d.forward(&r, &mut out, false);
            // Relative to O(1) (the diagonal components' transforms are O(1)): an off-diagonal
            // component that vanishes identically is pure round-off.
            let scale = out.iter().map(|c| c.norm()).fold(1.0, f64::max);
            let im = out.iter().map(|c| c.im.abs()).fold(0.0, f64::max);
            debug_assert!(im <= 1e-9 * scale, "kernel component {c} has an imaginary part {im:e}");
            d.kernel[c] = out.iter().map(|c| c.re).collect();
        }
        d
    }
}

impl<T: Real> Core<T> {
    /// Forward 3D FFT of a real padded array (or, with `unpadded`, of an n-sized array that is
    /// zero-padded implicitly) into the half-complex layout x + hx·(y + py·z).
    fn forward(&self, src: &[T], out: &mut [C<T>], unpadded: bool) {
        let [px, py, pz] = self.p;
        let (ny_in, nz_in) = if unpadded { (self.n[1], self.n[2]) } else { (py, pz) };
        let row_len = if unpadded { self.n[0] } else { px };
        out.par_chunks_mut(self.hx).enumerate().with_min_len(min_items(px)).for_each(|(r, spec)| {
            let (j, k) = (r % py, r / py);
            if j >= ny_in || k >= nz_in {
                spec.iter_mut().for_each(|c| *c = C::new(T::zero(), T::zero()));
                return;
            }
            with_buffers(px, 0, self.r2c.get_scratch_len(), |row: &mut [T], _, scratch| {
                row.iter_mut().for_each(|v| *v = T::zero());
                let base = row_len * (j + ny_in * k);
                row[..row_len].copy_from_slice(&src[base..base + row_len]);
                self.r2c.process_with_scratch(row, spec, scratch).expect("plan sizes");
            });
        });
        if py > 1 {
            self.lines(out, 1, nz_in, py, self.fy.as_ref());
        }
        if pz > 1 {
            self.lines(out, 2, py, pz, self.fz.as_ref());
        }
    }

    /// Transforms every line of the half-complex grid along axis 1 (y) or 2 (z) whose other
    /// index (z for y-lines, y for z-lines) is below `outer`, keeping the first `keep` outputs
    /// of each line. Lines are handled in tiles of [`TILE`] neighbouring x-indices, so that
    /// gathering and scattering touch contiguous runs of memory; tiles run in parallel.
    fn lines(&self, data: &mut [C<T>], axis: usize, outer: usize, keep: usize, fft: &dyn Fft<T>) {
        let [_, py, pz] = self.p;
        let hx = self.hx;
        let len = if axis == 1 { py } else { pz };
        // Offset of (i = 0, o, q) and the stride of q.
        let (o_stride, q_stride) = if axis == 1 { (hx * py, hx) } else { (hx, hx * py) };
        let tiles_per_o = hx.div_ceil(TILE);
        let base = SharedGrid(data.as_mut_ptr());
        let total = data.len();
        (0..outer * tiles_per_o).into_par_iter().with_min_len(min_items(TILE * len)).for_each(|t| {
            with_buffers(0, TILE * len, fft.get_inplace_scratch_len(), |_: &mut [T], tile, scratch| {
                let (o, i0) = (t / tiles_per_o, (t % tiles_per_o) * TILE);
                let w = TILE.min(hx - i0);
                let start = o * o_stride + i0;
                // SAFETY: tile t reads and writes only the elements (i0..i0+w, o, q) of the
                // grid, which no other tile touches; all indices are < total.
                let at = |q: usize| {
                    let k = start + q * q_stride;
                    debug_assert!(k + w <= total);
                    unsafe { std::slice::from_raw_parts_mut(base.get().add(k), w) }
                };
                for q in 0..len {
                    for (x, v) in at(q).iter().enumerate() {
                        tile[x * len + q] = *v;
                    }
                }
                for x in 0..w {
                    fft.process_with_scratch(&mut tile[x * len..(x + 1) * len], scratch);
                }
                for q in 0..keep {
                    for (x, v) in at(q).iter_mut().enumerate() {
                        *v = tile[x * len + q];
                    }
                }
            })
        });
    }

    /// Inverse of [`Demag::forward`] keeping only the unpadded n-sized block (normalised);
    /// `spec` is destroyed.
    fn inverse(&self, spec: &mut [C<T>], dst: &mut [T]) {
        let [px, py, pz] = self.p;
        let [nx, ny, nz] = self.n;
        if pz > 1 {
            self.lines(spec, 2, py, nz, self.iz.as_ref());
        }
        if py > 1 {
            self.lines(spec, 1, nz, ny, self.iy.as_ref());
        }
        let norm = T::of(1.0 / (px * py * pz) as f64);
        let spec: &[C<T>] = spec;
        let c2r_scratch = self.c2r.get_scratch_len();
        dst[..nx * ny * nz].par_chunks_mut(nx).enumerate().with_min_len(min_items(px)).for_each(|(r, out)| {
            with_buffers(px, self.hx + c2r_scratch, 0, |row: &mut [T], buf, _| {
                let (half, scratch) = buf.split_at_mut(self.hx);
                let (j, k) = (r % ny, r / ny);
                let o = self.hx * (j + py * k);
                half.copy_from_slice(&spec[o..o + self.hx]);
                // The DC and Nyquist bins of a real signal are real; drop round-off.
                half[0].im = T::zero();
                if px % 2 == 0 {
                    half[self.hx - 1].im = T::zero();
                }
                self.c2r.process_with_scratch(half, row, scratch).expect("plan sizes");
                for (d, v) in out.iter_mut().zip(row.iter()) {
                    *d = *v * norm;
                }
            })
        });
    }
}

impl<T: Real> Demag<T> {
    /// Adds B_d (T) of magnetisation m (3 per cell, unit vectors) to `b`.
    pub fn add_field(&self, mesh: &Mesh, m: &[f64], b: &mut [f64]) {
        let cells = mesh.cells();
        let core = &self.core;
        let mut scratch = self.scratch.lock().expect("demag scratch");
        let [sx, sy, sz] = &mut *scratch;
        let mut comp = self.comp.lock().expect("demag scratch");
        let comp = &mut comp[..cells];
        for (c, s) in [&mut *sx, &mut *sy, &mut *sz].into_iter().enumerate() {
            comp.par_iter_mut()
                .enumerate()
                .with_min_len(PAR_GRAIN)
                .for_each(|(i, v)| *v = T::of(mesh.ms[i] * m[3 * i + c]));
            core.forward(comp, s, true);
        }
        let (k, flat) = (&core.kernel, core.flat);
        sx.par_iter_mut().zip(sy.par_iter_mut()).zip(sz.par_iter_mut()).enumerate().with_min_len(PAR_GRAIN).for_each(
            |(q, ((x, y), z))| {
                let (mx, my, mz) = (*x, *y, *z);
                if flat {
                    *x = mx * k[0][q] + my * k[3][q];
                    *y = mx * k[3][q] + my * k[1][q];
                    *z = mz * k[2][q];
                } else {
                    *x = mx * k[0][q] + my * k[3][q] + mz * k[4][q];
                    *y = mx * k[3][q] + my * k[1][q] + mz * k[5][q];
                    *z = mx * k[4][q] + my * k[5][q] + mz * k[2][q];
                }
            },
        );
        for (c, s) in [sx, sy, sz].into_iter().enumerate() {
            core.inverse(s, comp);
            b.par_chunks_mut(3).zip(comp.par_iter()).with_min_len(PAR_GRAIN).for_each(|(bi, h)| bi[c] -= MU0 * h.to());
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
