//! The ridge system of a standardised, centred problem, solved with faer (pure Rust,
//! multithreaded through rayon). Given standardised features $X_s$ (n × q) and centred
//! targets $Y_c$ (n × K), the solution at λ is
//!
//! $$ W(\lambda) = (X_s^T X_s + n\lambda I)^{-1} X_s^T Y_c
//!              = X_s^T (X_s X_s^T + n\lambda I)^{-1} Y_c . $$
//!
//! The form is chosen by shape: **primal** (q ≤ n) factors the q × q Gram matrix
//! $G = X_s^T X_s$, **dual** (q > n) the n × n kernel $K = X_s X_s^T$. Each is formed once
//! (a symmetric rank-n update) and serves the whole λ path and every target: one Cholesky
//! factorisation of $G + n\lambda I$ (or $K + n\lambda I$) per λ, then iterative refinement
//! with the residual computed from $X_s$ itself (not from the squared matrix), which restores
//! the accuracy the normal equations lose while $\varepsilon\,\kappa < 1$.
//!
//! In the dual, the direction $\mathbf 1$ that centring removes is deflated (c·11ᵀ/n added to K, docs/readout.md).
//!
//! **Condition check**: if the Cholesky factorisation fails, if its diagonal gives
//! $\kappa \gtrsim (\max_i L_{ii}/\min_i L_{ii})^2 > 10^{-2}/\varepsilon$, or if refinement
//! does not converge, that λ is solved by a stable Householder QR instead: primal, least
//! squares on $\begin{pmatrix}X_s\\ \sqrt{n\lambda}\,I\end{pmatrix}$; dual, the minimum-norm
//! solution of $\begin{pmatrix}X_s & \sqrt{n\lambda}\,I\end{pmatrix} z = Y_c$ through the QR of
//! its transpose (then $W$ is the first q rows of z).
//!
//! All conversions between ndarray and faer matrices live in this file.

use faer::linalg::matmul::matmul;
use faer::linalg::matmul::triangular::{matmul as tri_matmul, BlockStructure};
use faer::linalg::solvers::{Solve, SolveLstsq};
use faer::linalg::triangular_solve::solve_lower_triangular_in_place;
use faer::{Accum, Mat, MatRef, Par, Side};
use ndarray::{Array2, ArrayView2};

/// Which normal equations a problem factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// q ≤ n: $(X_s^T X_s + n\lambda I) W = X_s^T Y_c$.
    Primal,
    /// q > n: $(X_s X_s^T + n\lambda I) A = Y_c$, $W = X_s^T A$.
    Dual,
}

/// How one λ was solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Cholesky of the normal equations plus `refinements` steps of iterative refinement.
    Cholesky { refinements: usize },
    /// The stable QR fallback (the normal equations were too ill-conditioned for f64).
    Qr,
}

/// A standardised, centred ridge problem with its Gram (or kernel) matrix formed.
pub struct System {
    /// $X_s$ and $Y_c$; empty for a system built from streamed moments ([`System::from_gram`]).
    xs: Mat<f64>,
    yc: Mat<f64>,
    /// Rows n.
    n: usize,
    form: Form,
    /// Lower triangle of $G$ (primal) or $K$ (dual).
    gram: Mat<f64>,
    /// $X_s^T Y_c$ (primal only).
    xty: Mat<f64>,
}

/// How many parallel tasks faer splits work into. Fixed (not rayon's thread count) so that
/// the blocking, and so every rounding, is the same whatever the thread count; rayon runs the
/// tasks on the threads it has.
pub const TASKS: usize = 4;

/// The parallelism faer uses (see [`TASKS`]). Also made faer's global setting, which its
/// factorisations (`llt`, `qr`, eigendecomposition) read.
pub fn par() -> Par {
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| faer::set_global_parallelism(Par::rayon(TASKS)));
    Par::rayon(TASKS)
}

/// ndarray → faer.
pub fn to_faer(a: ArrayView2<f64>) -> Mat<f64> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]])
}

/// faer → ndarray.
pub fn to_ndarray(a: MatRef<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((a.nrows(), a.ncols()), |(i, j)| a[(i, j)])
}

/// C = A·B.
fn mul(a: MatRef<'_, f64>, b: MatRef<'_, f64>) -> Mat<f64> {
    let mut c = Mat::zeros(a.nrows(), b.ncols());
    matmul(c.as_mut(), Accum::Replace, a, b, 1.0, par());
    c
}

/// Lower triangle of A·Aᵀ (a symmetric rank-k update).
fn syrk(a: MatRef<'_, f64>) -> Mat<f64> {
    let mut g = Mat::zeros(a.nrows(), a.nrows());
    let r = BlockStructure::Rectangular;
    tri_matmul(g.as_mut(), BlockStructure::TriangularLower, Accum::Replace, a, r, a.transpose(), r, 1.0, par());
    g
}

/// Centred rows make $\mathbf 1$ a null vector of $K = X_s X_s^T$, so $K + n\lambda I$ would be
/// as ill-conditioned as λ is small. Since $Y_c \perp \mathbf 1$ the dual solution is too, and
/// adding $c\,\mathbf 1\mathbf 1^T/n$ (c = tr K / n) leaves it unchanged while lifting that
/// eigenvalue from nλ to c. Acts on the lower triangle.
fn deflate(mut k: Mat<f64>) -> Mat<f64> {
    let n = k.nrows();
    let c = (0..n).map(|i| k[(i, i)]).sum::<f64>() / (n * n).max(1) as f64;
    for j in 0..n {
        for i in j..n {
            k[(i, j)] += c;
        }
    }
    k
}

/// $\begin{pmatrix} A \\ s I\end{pmatrix}$ for A of r × c: (r + c) × c.
fn augmented(a: MatRef<'_, f64>, s: f64) -> Mat<f64> {
    let (r, c) = (a.nrows(), a.ncols());
    Mat::from_fn(r + c, c, |i, j| {
        if i < r {
            a[(i, j)]
        } else if i - r == j {
            s
        } else {
            0.0
        }
    })
}

fn frobenius(a: MatRef<'_, f64>) -> f64 {
    a.norm_l2()
}

impl System {
    /// Forms the Gram (q ≤ n) or kernel (q > n) matrix of `xs` (n × q, standardised) and
    /// `yc` (n × K, centred).
    pub fn new(xs: Mat<f64>, yc: Mat<f64>) -> Self {
        let _ = par();
        let form = if xs.ncols() <= xs.nrows() { Form::Primal } else { Form::Dual };
        let (gram, xty) = match form {
            Form::Primal => (syrk(xs.transpose()), mul(xs.transpose(), yc.as_ref())),
            Form::Dual => (deflate(syrk(xs.as_ref())), Mat::zeros(0, 0)),
        };
        System { n: xs.nrows(), xs, yc, form, gram, xty }
    }

    /// A primal system from the standardised Gram matrix `gram` = $X_s^T X_s$ (q × q, either
    /// triangle filled, the other is ignored), `xty` = $X_s^T Y_c$ and the row count `n`, as
    /// streamed moments give them. Without $X_s$, refinement uses $G$ and the fallback is the
    /// symmetric eigendecomposition $G = V\Lambda V^T$, $W = V(\Lambda + n\lambda)^{-1}V^T X_s^T Y_c$.
    pub fn from_gram(gram: Mat<f64>, xty: Mat<f64>, n: usize) -> Self {
        let _ = par();
        let q = gram.nrows();
        let full = Mat::from_fn(q, q, |i, j| if i >= j { gram[(i, j)] } else { gram[(j, i)] });
        System { xs: Mat::zeros(0, q), yc: Mat::zeros(0, xty.ncols()), n, form: Form::Primal, gram: full, xty }
    }

    /// True when the rows themselves are held (not only their moments).
    fn has_rows(&self) -> bool {
        self.xs.nrows() == self.n
    }

    pub fn form(&self) -> Form {
        self.form
    }

    /// Rows n.
    pub fn rows(&self) -> usize {
        self.n
    }

    /// The standardised features.
    pub fn features(&self) -> MatRef<'_, f64> {
        self.xs.as_ref()
    }

    /// Bytes held by the system's matrices (features, targets, Gram/kernel, one factor).
    pub fn bytes(&self) -> usize {
        let m = self.gram.nrows();
        8 * (self.xs.nrows() * self.xs.ncols() + self.yc.nrows() * self.yc.ncols() + 2 * m * m)
    }

    /// The weights W (q × K) at λ = `lambda` ≥ 0 and how they were found.
    pub fn solve(&self, lambda: f64) -> (Mat<f64>, Method) {
        if let Some((w, refinements)) = self.cholesky(lambda) {
            return (w, Method::Cholesky { refinements });
        }
        (self.stable(lambda), Method::Qr)
    }

    /// The residual of the normal equations, computed through $X_s$:
    /// primal $X_s^T(Y_c - X_s Z) - n\lambda Z$, dual $Y_c - X_s X_s^T Z - n\lambda Z$.
    fn residual(&self, z: MatRef<'_, f64>, shift: f64) -> Mat<f64> {
        let mut r = match self.form {
            Form::Primal if !self.has_rows() => {
                let mut r = self.xty.clone();
                matmul(r.as_mut(), Accum::Add, self.gram.as_ref(), z, -1.0, par());
                r
            }
            Form::Primal => {
                let mut e = self.yc.clone();
                matmul(e.as_mut(), Accum::Add, self.xs.as_ref(), z, -1.0, par());
                mul(self.xs.transpose(), e.as_ref())
            }
            Form::Dual => {
                let mut e = self.yc.clone();
                let xtz = mul(self.xs.transpose(), z);
                matmul(e.as_mut(), Accum::Add, self.xs.as_ref(), xtz.as_ref(), -1.0, par());
                e
            }
        };
        r -= Mat::from_fn(z.nrows(), z.ncols(), |i, j| shift * z[(i, j)]);
        r
    }

    /// Cholesky of the shifted normal equations with iterative refinement; `None` when the
    /// condition check sends this λ to the QR fallback.
    fn cholesky(&self, lambda: f64) -> Option<(Mat<f64>, usize)> {
        let m = self.gram.nrows();
        let shift = self.rows() as f64 * lambda;
        let mut a = self.gram.clone();
        for i in 0..m {
            a[(i, i)] += shift;
        }
        let llt = a.llt(Side::Lower).ok()?;
        let refine_limit = if self.has_rows() { 10 } else { 3 };
        let d = llt.L().diagonal().column_vector();
        let (lo, hi) = d.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let kappa = (hi / lo).powi(2);
        if m > 0 && (kappa.is_nan() || kappa * f64::EPSILON >= 1e-2) {
            return None;
        }
        let b = match self.form {
            Form::Primal => self.xty.as_ref(),
            Form::Dual => self.yc.as_ref(),
        };
        let mut z = llt.solve(b);
        let mut last = f64::INFINITY;
        for step in 1..=refine_limit {
            let dz = llt.solve(self.residual(z.as_ref(), shift).as_ref());
            let (size, norm) = (frobenius(dz.as_ref()), frobenius(z.as_ref()));
            z += &dz;
            if size <= 4.0 * f64::EPSILON * norm || size == 0.0 {
                return Some((self.weights(z), step));
            }
            if size > 0.5 * last {
                // Stalled: accept if already accurate, otherwise fall back.
                return (size <= 1e-12 * norm).then(|| (self.weights(z), step));
            }
            last = size;
        }
        None
    }

    /// Dual coefficients → weights.
    fn weights(&self, z: Mat<f64>) -> Mat<f64> {
        match self.form {
            Form::Primal => z,
            Form::Dual => mul(self.xs.transpose(), z.as_ref()),
        }
    }

    /// The stable QR solution (see the module docs).
    fn stable(&self, lambda: f64) -> Mat<f64> {
        let (n, q) = (self.xs.nrows(), self.xs.ncols());
        let s = (n as f64 * lambda).sqrt();
        if !self.has_rows() {
            return self.eigen(lambda);
        }
        match self.form {
            Form::Primal => {
                let m = augmented(self.xs.as_ref(), s);
                let rhs = Mat::from_fn(n + q, self.yc.ncols(), |i, j| if i < n { self.yc[(i, j)] } else { 0.0 });
                let w = m.qr().solve_lstsq(rhs);
                w.get(..q, ..).to_owned()
            }
            Form::Dual => {
                let qr = augmented(self.xs.transpose(), s).qr();
                let mut t = self.yc.clone();
                solve_lower_triangular_in_place(qr.thin_R().get(..n, ..n).transpose(), t.as_mut(), par());
                let z = mul(qr.compute_thin_Q().as_ref(), t.as_ref());
                z.get(..q, ..).to_owned()
            }
        }
    }
}

impl System {
    /// The Gram-only fallback: $W = V(\Lambda_+ + n\lambda)^{-1}V^T X_s^T Y_c$ with negative
    /// rounding eigenvalues set to 0.
    fn eigen(&self, lambda: f64) -> Mat<f64> {
        let shift = self.n as f64 * lambda;
        let Ok(evd) = self.gram.self_adjoint_eigen(Side::Lower) else {
            return Mat::from_fn(self.gram.nrows(), self.xty.ncols(), |_, _| f64::NAN);
        };
        let v = evd.U();
        let mut t = mul(v.transpose(), self.xty.as_ref());
        let e = evd.S().column_vector();
        for i in 0..t.nrows() {
            let f = 1.0 / (e[i].max(0.0) + shift);
            for k in 0..t.ncols() {
                t[(i, k)] *= f;
            }
        }
        mul(v, t.as_ref())
    }
}
