//! Ridge regression with an intercept. Columns are standardised on the fit rows (mean 0,
//! std 1; constant columns get weight 0) and each target centred; then
//!
//! $$ \min_w \frac1n \lVert X_s w - (y - \bar y)\rVert^2 + \lambda \lVert w\rVert^2 , $$
//!
//! whose solution is the normal-equations one, $(X_s^T X_s + n\lambda I)\,w = X_s^T (y-\bar y)$
//! (tested against nalgebra's Cholesky and linfa-linear). The weights map back to raw features
//! as $w_j/\sigma_j$, with intercept $\bar y - \sum_j w_j \mu_j/\sigma_j$.
//!
//! How it is solved: [`super::solve::System`] (faer) picks the primal or dual form by shape and
//! factors the shifted Gram or kernel matrix once per λ for all targets, with iterative
//! refinement and a QR fallback where f64 cannot hold the normal equations. λ is chosen per
//! target from the grid by the validation NRMSE of the fit on the training rows; the final
//! model is refitted on train ∪ validation. (linfa-elasticnet's ridge does not centre X, so it
//! is not used.)

use super::solve::{to_ndarray, System};
use super::{Fitted, LinearModel, Readout};
use crate::error::{Error, NumericalError};
use crate::reservoir::metrics::nrmse;
use faer::Mat;
use ndarray::{Array1, ArrayView1, ArrayView2, Axis};

/// The default λ grid: 1e-9 … 1 in decades.
pub fn default_lambdas() -> Vec<f64> {
    (-9..=0).map(|e| 10f64.powi(e)).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ridge {
    /// Candidate λ (≥ 0).
    pub lambdas: Vec<f64>,
}

/// The standardisation of a set of fit rows: kept (non-constant) columns, their means and
/// stds, and the target means.
#[derive(Debug, Clone)]
pub struct Standardiser {
    pub p: usize,
    pub keep: Vec<usize>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub y_mean: Vec<f64>,
}

impl Standardiser {
    /// Column j is kept when its std exceeds 1e-12·(1 + |mean|).
    pub fn from_moments(mean_all: &[f64], std_all: &[f64], y_mean: Vec<f64>) -> Self {
        let keep: Vec<usize> =
            (0..mean_all.len()).filter(|&j| std_all[j] > 1e-12 * (1.0 + mean_all[j].abs())).collect();
        Standardiser {
            p: mean_all.len(),
            mean: keep.iter().map(|&j| mean_all[j]).collect(),
            std: keep.iter().map(|&j| std_all[j]).collect(),
            keep,
            y_mean,
        }
    }

    /// Means and population stds of the rows of `x`, target means of `y`.
    pub fn new(x: ArrayView2<f64>, y: ArrayView2<f64>) -> Self {
        let p = x.ncols();
        let mean = x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(p));
        let std = x.std_axis(Axis(0), 0.0);
        let y_mean = (0..y.ncols()).map(|t| y.column(t).mean().unwrap_or(0.0)).collect();
        Self::from_moments(mean.as_slice().unwrap_or(&mean.to_vec()), std.as_slice().unwrap_or(&std.to_vec()), y_mean)
    }

    /// $X_s$: the kept columns of `x`, standardised.
    pub fn features(&self, x: ArrayView2<f64>) -> Mat<f64> {
        Mat::from_fn(x.nrows(), self.keep.len(), |i, c| (x[[i, self.keep[c]]] - self.mean[c]) / self.std[c])
    }

    /// $Y_c$: the targets, centred.
    pub fn targets(&self, y: ArrayView2<f64>) -> Mat<f64> {
        Mat::from_fn(y.nrows(), y.ncols(), |i, k| y[[i, k]] - self.y_mean[k])
    }

    /// Maps standardised weights (column `target` of `w`) back to a model on raw features.
    pub fn model(&self, w: &Mat<f64>, target: usize, lambda: f64) -> LinearModel {
        let mut weights = Array1::zeros(self.p);
        let mut intercept = self.y_mean[target];
        for (c, &j) in self.keep.iter().enumerate() {
            weights[j] = w[(c, target)] / self.std[c];
            intercept -= weights[j] * self.mean[c];
        }
        LinearModel { weights, intercept, lambda }
    }
}

pub(super) fn check(w: &Mat<f64>, lambda: f64) -> Result<(), Error> {
    if w.col_iter().all(|c| c.iter().all(|v| v.is_finite())) {
        return Ok(());
    }
    Err(NumericalError {
        t: 0.0,
        what: format!("the ridge readout gave non-finite weights at lambda = {lambda:e}"),
        advice: "use readout.lambdas > 0, fewer features or more training steps".into(),
    }
    .into())
}

/// Ridge fits of every column of `y` at one λ each (`lambdas[k]` for target k).
pub fn fit_ridge(x: ArrayView2<f64>, y: ArrayView2<f64>, lambdas: &[f64]) -> Result<Vec<LinearModel>, Error> {
    let st = Standardiser::new(x, y);
    let system = System::new(st.features(x), st.targets(y));
    let mut models: Vec<Option<LinearModel>> = vec![None; lambdas.len()];
    for (k, &lambda) in lambdas.iter().enumerate() {
        if models[k].is_some() {
            continue;
        }
        let (w, _) = system.solve(lambda);
        check(&w, lambda)?;
        for (t, &l) in lambdas.iter().enumerate() {
            if l == lambda {
                models[t] = Some(st.model(&w, t, l));
            }
        }
    }
    Ok(models.into_iter().flatten().collect())
}

/// Per target, the λ of `grid` with the lowest validation NRMSE (first on ties) and that NRMSE,
/// of the fit on the training rows (NaN if the validation rows cannot score it).
fn select(
    grid: &[f64],
    x_train: ArrayView2<f64>,
    y_train: ArrayView2<f64>,
    x_val: ArrayView2<f64>,
    y_val: ArrayView2<f64>,
) -> Result<Vec<(f64, f64)>, Error> {
    let k = y_train.ncols();
    if x_val.nrows() < 2 {
        return Ok(vec![(grid[0], f64::NAN); k]);
    }
    let st = Standardiser::new(x_train, y_train);
    let system = System::new(st.features(x_train), st.targets(y_train));
    let xv = st.features(x_val);
    let mut best = vec![(grid[0], f64::INFINITY); k];
    for &lambda in grid {
        let (w, _) = system.solve(lambda);
        check(&w, lambda)?;
        let pred = to_ndarray((&xv * &w).as_ref());
        for (t, b) in best.iter_mut().enumerate() {
            let p = pred.column(t).mapv(|v| v + st.y_mean[t]);
            let err = nrmse(y_val.column(t), p.view());
            if err.is_finite() && err < b.1 {
                *b = (lambda, err);
            }
        }
    }
    Ok(best.into_iter().map(|(l, e)| (l, if e.is_finite() { e } else { f64::NAN })).collect())
}

/// Notes for λ chosen at the edge of a grid of more than one value.
pub(super) fn edge_notes(grid: &[f64], chosen: &[(f64, f64)]) -> Vec<String> {
    let (lo, hi) = grid.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &l| (a.min(l), b.max(l)));
    if grid.len() < 2 {
        return vec![];
    }
    let mut notes = vec![];
    for (edge, word, hint) in [(lo, "smallest", "smaller"), (hi, "largest", "larger")] {
        let n = chosen.iter().filter(|c| c.0 == edge && c.1.is_finite()).count();
        if n > 0 {
            notes.push(format!(
                "readout.lambdas: {n} of {} targets chose the {word} value, {edge:e}; \
                 the best λ may lie beyond the grid (add {hint} values)",
                chosen.len()
            ));
        }
    }
    notes
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
        let chosen = select(&self.lambdas, x_train, y_train, x_val, y_val)?;
        let lambdas: Vec<f64> = chosen.iter().map(|c| c.0).collect();
        let x_fit =
            ndarray::concatenate(Axis(0), &[x_train.view(), x_val.view()]).map_err(|e| Error::io("ridge", e))?;
        let y_fit =
            ndarray::concatenate(Axis(0), &[y_train.view(), y_val.view()]).map_err(|e| Error::io("ridge", e))?;
        Ok(Fitted {
            models: fit_ridge(x_fit.view(), y_fit.view(), &lambdas)?,
            validation_nrmse: chosen.iter().map(|c| c.1).collect(),
            notes: edge_notes(&self.lambdas, &chosen),
        })
    }
}

/// Single-target convenience: fit at one λ.
pub fn fit_one(x: ArrayView2<f64>, y: ArrayView1<f64>, lambda: f64) -> Result<LinearModel, Error> {
    let y2 = y.insert_axis(Axis(1));
    Ok(fit_ridge(x, y2, &[lambda])?.remove(0))
}
