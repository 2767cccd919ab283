//! Readouts: a trained linear map from features to outputs, behind [`Readout`]. One file
//! per kind; [`ridge`] is the standard one, solved by [`solve`] (faer; linfa-linear is the
//! reference the tests compare with).

pub mod moments;
pub mod ridge;
pub mod solve;
pub mod streamed;

use crate::error::Error;
use ndarray::{Array1, ArrayView2};

/// A fitted affine readout ŷ = X·w + b.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    /// Weights, one per feature column.
    pub weights: Array1<f64>,
    /// Intercept (the bias feature).
    pub intercept: f64,
    /// Regularisation used.
    pub lambda: f64,
}

impl LinearModel {
    /// ŷ = X·w + b.
    pub fn predict(&self, x: ArrayView2<f64>) -> Array1<f64> {
        x.dot(&self.weights) + self.intercept
    }
}

/// What a readout fit gives: the final models and, per target, the validation NRMSE of the
/// model fitted on the training rows only at the chosen hyper-parameters (out of sample for
/// the weights; the hyper-parameters themselves were chosen on these rows). NaN when the
/// validation split is too short to score.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub models: Vec<LinearModel>,
    pub validation_nrmse: Vec<f64>,
    /// Remarks on the fit a user should see (a λ at the edge of its grid).
    pub notes: Vec<String>,
}

/// Trains a linear readout: chooses its hyper-parameters on the validation rows, then fits.
pub trait Readout: Send + Sync + std::fmt::Debug {
    fn name(&self) -> &'static str;
    /// Fits one model per target column of `y_train`, choosing hyper-parameters by the error
    /// on (`x_val`, `y_val`) of fits on the training rows; the final models are refitted on
    /// train ∪ validation (so a train or validation score of the final model is in-sample).
    fn fit(
        &self,
        x_train: ArrayView2<f64>,
        y_train: ArrayView2<f64>,
        x_val: ArrayView2<f64>,
        y_val: ArrayView2<f64>,
    ) -> Result<Fitted, Error>;
}
