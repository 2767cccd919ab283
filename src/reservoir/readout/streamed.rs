//! The ridge readout fitted from streamed [`SplitMoments`] instead of the state matrix
//! (primal form only: the dual needs the rows). Same standardisation, λ path, selection and
//! refit as `Ridge`'s [`super::Readout::fit`]; the validation error of a model $\hat y = x^T w + b$ comes from the
//! validation moments,
//!
//! $$ \sum_i (y_i - \hat y_i)^2 = n_v(\bar y - \bar x^T w - b)^2 + C_{yy} - 2\,w^T C_{xy} + w^T C_{xx} w , $$
//!
//! and NRMSE $= \sqrt{\sum_i (y_i-\hat y_i)^2 / C_{yy}}$ (the population std of the targets).

use super::moments::{Moments, SplitMoments};
use super::ridge::{edge_notes, Ridge, Standardiser};
use super::solve::System;
use super::{Fitted, LinearModel};
use crate::error::{ConfigError, Error};
use faer::Mat;

/// The standardisation and primal system of one set of moments.
fn system(m: &Moments) -> Result<(Standardiser, System), Error> {
    let (p, n) = (m.p, m.n as f64);
    let std: Vec<f64> = (0..p).map(|j| (m.co(j, j) / n).max(0.0).sqrt()).collect();
    let st = Standardiser::from_moments(&m.mean[..p], &std, m.mean[p..].to_vec());
    let q = st.keep.len();
    if q > m.n {
        return Err(ConfigError::new(
            "readout",
            format!("{q} features, {} fit rows", m.n),
            "a streamed fit needs no more features than fit rows (the dual form needs the states: use --states)",
        )
        .into());
    }
    let gram = Mat::from_fn(q, q, |a, b| m.co(st.keep[a], st.keep[b]) / (st.std[a] * st.std[b]));
    let xty = Mat::from_fn(q, m.k, |a, t| m.co(st.keep[a], p + t) / st.std[a]);
    Ok((st, System::from_gram(gram, xty, m.n)))
}

/// NRMSE of `model` for target `t` on the rows summarised by `v` (formula in the module docs).
pub fn nrmse_from_moments(v: &Moments, model: &LinearModel, t: usize) -> f64 {
    let p = v.p;
    let w = &model.weights;
    let nz: Vec<usize> = (0..p).filter(|&j| w[j] != 0.0).collect();
    let bias = v.mean[p + t] - nz.iter().map(|&j| v.mean[j] * w[j]).sum::<f64>() - model.intercept;
    let cyy = v.co(p + t, p + t);
    let cxy: f64 = nz.iter().map(|&j| w[j] * v.co(j, p + t)).sum();
    let quad: f64 = nz.iter().map(|&i| w[i] * nz.iter().map(|&j| v.co(i, j) * w[j]).sum::<f64>()).sum();
    let ss = (v.n as f64 * bias * bias + cyy - 2.0 * cxy + quad).max(0.0);
    if cyy > 0.0 {
        (ss / cyy).sqrt()
    } else {
        f64::INFINITY
    }
}

impl Ridge {
    /// [`super::Readout::fit`] from streamed moments: λ chosen on the validation moments of
    /// fits on the training moments, final models fitted on train ∪ validation. Flushes
    /// the rows still buffered first.
    ///
    /// ```
    /// use nanomag::reservoir::readout::{moments::SplitMoments, ridge::Ridge};
    /// // 10 washout rows, then 200 train, 50 validation and the rest test; y = 2x₀ − x₁ + 1.
    /// let mut m = SplitMoments::new(2, 1, 10, 200, 50);
    /// for i in 0..300 {
    ///     let x = [(i as f64 * 0.37).sin(), (i as f64 * 0.11).cos()];
    ///     m.push(&x, &[2.0 * x[0] - x[1] + 1.0]);
    /// }
    /// let fit = Ridge { lambdas: vec![1e-10, 1e-3] }.fit_streamed(&mut m).unwrap();
    /// let model = &fit.models[0];
    /// assert!((model.weights[0] - 2.0).abs() < 1e-6 && (model.intercept - 1.0).abs() < 1e-6);
    /// assert!(fit.validation_nrmse[0] < 1e-6);
    /// ```
    pub fn fit_streamed(&self, m: &mut SplitMoments) -> Result<Fitted, Error> {
        m.finish();
        let [train, val, _] = &m.splits;
        let k = train.k;
        let mut chosen = vec![(self.lambdas[0], f64::INFINITY); k];
        if val.n >= 2 {
            let (st, sys) = system(train)?;
            for &lambda in &self.lambdas {
                let (w, _) = sys.solve(lambda);
                for (t, c) in chosen.iter_mut().enumerate() {
                    let e = nrmse_from_moments(val, &st.model(&w, t, lambda), t);
                    if e.is_finite() && e < c.1 {
                        *c = (lambda, e);
                    }
                }
            }
        }
        let chosen: Vec<(f64, f64)> =
            chosen.into_iter().map(|(l, e)| (l, if e.is_finite() { e } else { f64::NAN })).collect();
        let mut fit = train.clone();
        fit.merge(val);
        let (st, sys) = system(&fit)?;
        let mut models: Vec<Option<LinearModel>> = vec![None; k];
        for t in 0..k {
            if models[t].is_none() {
                let lambda = chosen[t].0;
                let (w, _) = sys.solve(lambda);
                super::ridge::check(&w, lambda)?;
                for (u, c) in chosen.iter().enumerate() {
                    if c.0 == lambda {
                        models[u] = Some(st.model(&w, u, lambda));
                    }
                }
            }
        }
        Ok(Fitted {
            models: models.into_iter().flatten().collect(),
            validation_nrmse: chosen.iter().map(|c| c.1).collect(),
            notes: edge_notes(&self.lambdas, &chosen),
        })
    }
}
