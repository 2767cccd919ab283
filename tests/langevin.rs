//! Thermal field: an isotropic island (cube, no anisotropy) in a field B at temperature T has
//! the Langevin average ⟨m·b̂⟩ = coth(x) − 1/x, x = μB/(k_B T); the stochastic Heun run must
//! agree within 3 standard errors (block averages of correlated samples).

mod common;
use common::*;

#[test]
fn thermal_average_is_the_langevin_function() {
    let (side, ms, b, t) = (4e-9, 8.0e5, 0.15, 300.0);
    let mu = ms * side * side * side;
    let x = mu * b / (KB * t);
    let expected = 1.0 / x.tanh() - 1.0 / x;
    let toml = format!(
        "{}[material]\nms = {ms}\nalpha = 1.0\n[coupling]\nkind = \"none\"\n[temperature]\nt = {t}\nseed = 11\n\
         [init]\nkind = \"vector\"\nm = [0.0, 0.0, 1.0]\n[solver]\nmethod = \"heun\"\ndt = 4e-14\n\
         [[field]]\nb = [0.0, 0.0, {b}]\nduration = 600e-9\n[output]\ninterval = 10e-12\n",
        single_island("prism", side, side, side)
    );
    let rows = run(&toml);
    // Drop 1 ns of equilibration; blocks of 1 ns (≫ the ~0.07 ns relaxation time).
    let samples: Vec<f64> = rows.iter().filter(|r| r.t > 1e-9).map(|r| r.m.z).collect();
    let block = 100;
    let means: Vec<f64> = samples.chunks_exact(block).map(|c| c.iter().sum::<f64>() / block as f64).collect();
    let n = means.len() as f64;
    let mean = means.iter().sum::<f64>() / n;
    let var = means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let se = (var / n).sqrt();
    assert!(n >= 500.0);
    assert!(se < 0.01, "standard error {se} too large to test anything");
    assert!((mean - expected).abs() < 3.0 * se, "⟨m_z⟩ = {mean:.4} ± {se:.4}, Langevin L({x:.3}) = {expected:.4}");
}
