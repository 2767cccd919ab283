//! An independent, literal evaluation of Aharoni's prism formula (J. Appl. Phys. 83, 3432
//! (1998), as printed in docs/physics.md) against the library's demagnetising factors.

/// π N_c for half-sides a, b, c (c along the wanted axis), term by term as printed.
fn aharoni_nc(a: f64, b: f64, c: f64) -> f64 {
    let r = (a * a + b * b + c * c).sqrt();
    let (rab, rbc, rac) = ((a * a + b * b).sqrt(), (b * b + c * c).sqrt(), (a * a + c * c).sqrt());
    let pi_n = (b * b - c * c) / (2.0 * b * c) * ((r - a) / (r + a)).ln()
        + (a * a - c * c) / (2.0 * a * c) * ((r - b) / (r + b)).ln()
        + b / (2.0 * c) * ((rab + a) / (rab - a)).ln()
        + a / (2.0 * c) * ((rab + b) / (rab - b)).ln()
        + c / (2.0 * a) * ((rbc - b) / (rbc + b)).ln()
        + c / (2.0 * b) * ((rac - a) / (rac + a)).ln()
        + 2.0 * (a * b / (c * r)).atan()
        + (a.powi(3) + b.powi(3) - 2.0 * c.powi(3)) / (3.0 * a * b * c)
        + (a * a + b * b - 2.0 * c * c) * r / (3.0 * a * b * c)
        + c / (a * b) * (rac + rbc)
        - (rab.powi(3) + rbc.powi(3) + rac.powi(3)) / (3.0 * a * b * c);
    pi_n / std::f64::consts::PI
}

#[test]
fn library_prism_factors_match_a_literal_aharoni_evaluation() {
    for &(lx, ly, lz) in
        &[(220e-9, 80e-9, 20e-9), (1.0, 1.0, 1.0), (600e-9, 150e-9, 20e-9), (3.0, 2.0, 1.0), (100e-9, 100e-9, 5e-9)]
    {
        let (a, b, c) = (lx / 2.0, ly / 2.0, lz / 2.0);
        let literal = [aharoni_nc(b, c, a), aharoni_nc(c, a, b), aharoni_nc(a, b, c)];
        let lib = nanomag::geometry::demag_factors::prism(lx, ly, lz);
        for k in 0..3 {
            assert!((lib[k] - literal[k]).abs() < 1e-9, "{lx}×{ly}×{lz}: {lib:?} vs {literal:?}");
        }
        assert!((literal.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{literal:?}");
    }
}
