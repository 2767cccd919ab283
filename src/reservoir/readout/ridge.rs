//! Ridge regression with an intercept. Columns are standardised on the fit rows (mean 0,
//! std 1; constant columns get weight 0) and each target centred; then
//!
//! $$ \min_w \frac1n \lVert X_s w - (y - \bar y)\rVert^2 + \lambda \lVert w\rVert^2 , $$
//!
//! whose solution is the normal-equations one, $(X_s^T X_s + n\lambda I)\,w = X_s^T (y-\bar y)$
//! (tested). The weights map back to raw features as $w_j/\sigma_j$, with intercept
//! $\bar y - \sum_j w_j \mu_j/\sigma_j$.
//!
//! How it is solved: one Householder QR of $[X_s \mid Y_c]$ (nalgebra) gives $R$ and
//! $C = Q^T Y_c$ for every target at once, since
//! $\lVert X_s w - y_c\rVert^2 = \lVert R w - c\rVert^2 + \text{const}$. The final fit of
//! each target is then linfa-linear's least squares on the small Tikhonov-augmented system
//! $\begin{pmatrix} R \\ \sqrt{n\lambda}\,I\end{pmatrix} w \approx \begin{pmatrix} c \\ 0\end{pmatrix}$. λ is chosen per target from a grid by the validation
//! NRMSE, scored with the SVD $R = U S V^T$: $w(\lambda) = V\,\mathrm{diag}\!\big(s/(s^2+n\lambda)\big)\,U^T c$.
//! (linfa-elasticnet's ridge does not centre X, so it is not used.)

use super::{Fitted, LinearModel, Readout};
use crate::error::{Error, NumericalError};
use crate::reservoir::metrics::nrmse;
use linfa::prelude::*;
use linfa_linear::LinearRegression;
use nalgebra::DMatrix;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// The default λ grid: 1e-9 … 1 in decades.
pub fn default_lambdas() -> Vec<f64> {
    (-9..=0).map(|e| 10f64.powi(e)).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ridge {
    /// Candidate λ (≥ 0).
    pub lambdas: Vec<f64>,
}

/// Standardised, centred and QR-compressed fit data.
struct Compressed {
    n: usize,
    /// Kept (non-constant) columns, their means and stds.
    keep: Vec<usize>,
    mean: Vec<f64>,
    std: Vec<f64>,
    y_mean: Vec<f64>,
    /// R (r × q) and C = Qᵀ Y_c (r × K).
    r: DMatrix<f64>,
    c: DMatrix<f64>,
    p: usize,
}

impl Compressed {
    fn new(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Self {
        let (n, p) = x.dim();
        let k = y.ncols();
        let mean_all = x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(p));
        let std_all = x.std_axis(Axis(0), 0.0);
        let keep: Vec<usize> = (0..p).filter(|&j| std_all[j] > 1e-12 * (1.0 + mean_all[j].abs())).collect();
        let mean: Vec<f64> = keep.iter().map(|&j| mean_all[j]).collect();
        let std: Vec<f64> = keep.iter().map(|&j| std_all[j]).collect();
        let y_mean: Vec<f64> = (0..k).map(|t| y.column(t).mean().unwrap_or(0.0)).collect();
        let q = keep.len();
        let m = DMatrix::from_fn(n, q + k, |i, c| {
            if c < q {
                (x[[i, keep[c]]] - mean[c]) / std[c]
            } else {
                y[[i, c - q]] - y_mean[c - q]
            }
        });
        let rows = n.min(q);
        let full = m.qr().r();
        let r = full.view((0, 0), (rows, q)).into_owned();
        let c = full.view((0, q), (rows, k)).into_owned();
        Compressed { n, keep, mean, std, y_mean, r, c, p }
    }

    /// Maps standardised weights back to a model on raw features.
    fn model(&self, w: &[f64], target: usize, lambda: f64) -> LinearModel {
        let mut weights = Array1::zeros(self.p);
        let mut intercept = self.y_mean[target];
        for (c, &j) in self.keep.iter().enumerate() {
            weights[j] = w[c] / self.std[c];
            intercept -= weights[j] * self.mean[c];
        }
        LinearModel { weights, intercept, lambda }
    }

    /// The ridge solution of target `k` at `lambda`, by linfa-linear on the augmented system.
    fn solve(&self, k: usize, lambda: f64) -> Result<LinearModel, Error> {
        let (rows, q) = self.r.shape();
        if q == 0 {
            return Ok(self.model(&[], k, lambda));
        }
        let a = Array2::from_shape_fn((rows + q, q), |(i, j)| {
            if i < rows {
                self.r[(i, j)]
            } else if i - rows == j {
                (self.n as f64 * lambda).sqrt()
            } else {
                0.0
            }
        });
        let b = Array1::from_shape_fn(rows + q, |i| if i < rows { self.c[(i, k)] } else { 0.0 });
        let fitted =
            LinearRegression::new().with_intercept(false).fit(&Dataset::new(a, b)).map_err(|e| singular(lambda, e))?;
        let w = fitted.params();
        if w.iter().any(|v| !v.is_finite()) {
            return Err(singular(lambda, "non-finite weights"));
        }
        Ok(self.model(w.as_slice().unwrap_or(&w.to_vec()), k, lambda))
    }
}

fn singular(lambda: f64, e: impl std::fmt::Display) -> Error {
    NumericalError {
        t: 0.0,
        what: format!("the ridge readout failed at lambda = {lambda:e} ({e})"),
        advice: "use readout.lambdas > 0, fewer features or more training steps".into(),
    }
    .into()
}

/// Ridge fits of every column of `y` at one λ each (`lambdas[k]` for target k).
pub fn fit_ridge(x: ArrayView2<f64>, y: ArrayView2<f64>, lambdas: &[f64]) -> Result<Vec<LinearModel>, Error> {
    let comp = Compressed::new(x, y);
    lambdas.iter().enumerate().map(|(k, &l)| comp.solve(k, l)).collect()
}

/// For each target, the λ of `grid` with the lowest validation NRMSE (first on ties) and that
/// NRMSE, of the fit on the training rows (NaN if the validation rows cannot score it).
fn select(
    grid: &[f64],
    x_train: ArrayView2<f64>,
    y_train: ArrayView2<f64>,
    x_val: ArrayView2<f64>,
    y_val: ArrayView2<f64>,
) -> Vec<(f64, f64)> {
    let k = y_train.ncols();
    if x_val.nrows() < 2 {
        return vec![(grid[0], f64::NAN); k];
    }
    let comp = Compressed::new(x_train, y_train);
    let q = comp.keep.len();
    let svd = comp.r.clone().svd(true, true);
    let (Some(u), Some(vt)) = (svd.u.as_ref(), svd.v_t.as_ref()) else { return vec![(grid[0], f64::NAN); k] };
    let utc = u.transpose() * &comp.c;
    // Standardised validation features.
    let xv = DMatrix::from_fn(x_val.nrows(), q, |i, c| (x_val[[i, comp.keep[c]]] - comp.mean[c]) / comp.std[c]);
    let mut best = vec![(grid[0], f64::INFINITY); k];
    for &lambda in grid {
        let shrink: Vec<f64> = svd.singular_values.iter().map(|s| s / (s * s + comp.n as f64 * lambda)).collect();
        let mut z = utc.clone();
        for (i, f) in shrink.iter().enumerate() {
            z.row_mut(i).scale_mut(*f);
        }
        let w = vt.transpose() * z;
        let pred = &xv * &w;
        for (t, b) in best.iter_mut().enumerate() {
            let p = Array1::from_iter(pred.column(t).iter().map(|v| v + comp.y_mean[t]));
            let err = nrmse(y_val.column(t), p.view());
            if err.is_finite() && err < b.1 {
                *b = (lambda, err);
            }
        }
    }
    best.into_iter().map(|(l, e)| (l, if e.is_finite() { e } else { f64::NAN })).collect()
}

impl Readout for Ridge {
    fn name(&self) -> &'static str {
        "ridge"
    }
    fn fit(
        &self,
        x_train: ArrayView2<f64>,
        y_train: ArrayView2<f64>,
        x_val: ArrayView2<f64>,
        y_val: ArrayView2<f64>,
    ) -> Result<Fitted, Error> {
        let chosen = select(&self.lambdas, x_train, y_train, x_val, y_val);
        let lambdas: Vec<f64> = chosen.iter().map(|c| c.0).collect();
        let x_fit =
            ndarray::concatenate(Axis(0), &[x_train.view(), x_val.view()]).map_err(|e| Error::io("ridge", e))?;
        let y_fit =
            ndarray::concatenate(Axis(0), &[y_train.view(), y_val.view()]).map_err(|e| Error::io("ridge", e))?;
        Ok(Fitted {
            models: fit_ridge(x_fit.view(), y_fit.view(), &lambdas)?,
            validation_nrmse: chosen.iter().map(|c| c.1).collect(),
        })
    }
}

/// Single-target convenience: fit at one λ.
pub fn fit_one(x: ArrayView2<f64>, y: ArrayView1<f64>, lambda: f64) -> Result<LinearModel, Error> {
    let y2 = y.insert_axis(Axis(1));
    Ok(fit_ridge(x, y2, &[lambda])?.remove(0))
}
