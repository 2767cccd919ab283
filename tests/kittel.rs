//! Kittel uniform mode of the 220 × 80 × 20 nm prism magnetised along its long axis x:
//! f = (γ/2π)·sqrt((B + μ0Ms(N_y−N_x))(B + μ0Ms(N_z−N_x))), within 1 %, at B = 0 and 50 mT.

mod common;
use common::*;
use std::f64::consts::PI;

fn ringdown_frequency(b: f64) -> f64 {
    let toml = format!(
        "{}[material]\nalpha = 0.001\n[coupling]\nkind = \"none\"\n[init]\nkind = \"vector\"\nm = [1.0, 0.02, 0.01]\n\
         [solver]\nmethod = \"dopri5\"\nrtol = 1e-9\natol = 1e-11\n\
         [[field]]\nkind = \"constant\"\nb = [{b}, 0.0, 0.0]\nduration = 3e-9\n[output]\ninterval = 1e-12\n",
        single_island("prism", 220e-9, 80e-9, 20e-9)
    );
    let rows = run(&toml);
    // Upward zero crossings of m_y, linearly interpolated; f = (crossings − 1)/(t_last − t_first).
    let mut crossings = Vec::new();
    for w in rows.windows(2) {
        if w[0].m.y < 0.0 && w[1].m.y >= 0.0 {
            crossings.push(w[0].t + (w[1].t - w[0].t) * (-w[0].m.y) / (w[1].m.y - w[0].m.y));
        }
    }
    assert!(crossings.len() > 10, "too few periods: {}", crossings.len());
    (crossings.len() - 1) as f64 / (crossings.last().unwrap() - crossings[0])
}

#[test]
fn ringdown_matches_kittel() {
    let [nx, ny, nz] = prism_factors();
    let ms = 8.0e5;
    for b in [0.0, 0.05] {
        let expected = GAMMA / (2.0 * PI) * ((b + MU0 * ms * (ny - nx)) * (b + MU0 * ms * (nz - nx))).sqrt();
        let f = ringdown_frequency(b);
        eprintln!(
            "B = {b} T: f = {:.4} GHz, Kittel {:.4} GHz ({:+.3} %)",
            f / 1e9,
            expected / 1e9,
            100.0 * (f / expected - 1.0)
        );
        assert!((f / expected - 1.0).abs() < 0.01, "B = {b} T: f = {f:e} Hz, Kittel {expected:e} Hz");
    }
}

#[test]
fn demag_factors_of_the_reference_prism() {
    // Aharoni values quoted in docs/physics.md.
    let n = prism_factors();
    for (got, want) in n.iter().zip([0.0718, 0.2060, 0.7222]) {
        assert!((got - want).abs() < 1e-4, "{n:?}");
    }
    assert!((n.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}
