//! Accuracy metrics.
//!
//! NRMSE = RMSE / std(target) (population std); MSE; r² = cov²(a, b)/(var a · var b) — the
//! squared correlation used by the memory capacity.

use ndarray::ArrayView1;

/// Mean squared error $\frac1n\sum (y-\hat y)^2$.
pub fn mse(y: ArrayView1<f64>, yhat: ArrayView1<f64>) -> f64 {
    let n = y.len().max(1) as f64;
    y.iter().zip(yhat.iter()).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / n
}

/// $\mathrm{NRMSE} = \sqrt{\mathrm{MSE}}/\sigma_y$ (∞ for a constant target).
pub fn nrmse(y: ArrayView1<f64>, yhat: ArrayView1<f64>) -> f64 {
    let sd = y.std(0.0);
    if sd > 0.0 {
        mse(y, yhat).sqrt() / sd
    } else {
        f64::INFINITY
    }
}

/// Squared correlation $r^2 = \mathrm{cov}^2(a,b)/(\mathrm{var}\,a\,\mathrm{var}\,b)$ (0 if either is constant).
pub fn r_squared(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    let n = a.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (ma, mb) = (a.sum() / n, b.sum() / n);
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b.iter()) {
        cov += (x - ma) * (y - mb);
        va += (x - ma) * (x - ma);
        vb += (y - mb) * (y - mb);
    }
    if va > 0.0 && vb > 0.0 {
        cov * cov / (va * vb)
    } else {
        0.0
    }
}

/// Mean and sample standard deviation (0 for fewer than two values).
pub fn mean_std(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n.max(1.0);
    let s = if v.len() > 1 { (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)).sqrt() } else { 0.0 };
    (m, s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn hand_values() {
        let y = array![1.0, 2.0, 3.0, 4.0];
        let yh = array![1.0, 2.0, 3.0, 5.0];
        assert_eq!(mse(y.view(), yh.view()), 0.25);
        // std(y) = sqrt(1.25)
        assert!((nrmse(y.view(), yh.view()) - 0.5 / 1.25f64.sqrt()).abs() < 1e-15);
        assert!((r_squared(y.view(), (&y * 3.0 + 1.0).view()) - 1.0).abs() < 1e-15);
        assert_eq!(mean_std(&[1.0, 3.0]), (2.0, 2f64.sqrt()));
    }
}
