//! Stoner–Wohlfarth switching of the 220 × 80 × 20 nm prism: an in-plane field ramped slowly
//! against m at angle ψ to the easy axis switches it at
//! B_sw = B_K / (cos^(2/3)ψ + sin^(2/3)ψ)^(3/2), B_K = μ0 Ms (N_y − N_x), within 2 %.

mod common;
use common::*;

/// Field magnitude (T) at which m·x first turns negative under a slow ramp at angle ψ.
fn switching_field(psi_deg: f64) -> f64 {
    let psi = psi_deg.to_radians();
    let [nx, ny, _] = prism_factors();
    let bk = MU0 * 8.0e5 * (ny - nx);
    // A fast ramp to below the astroid's minimum (B_K/2), then a slow one through the
    // switching field: 0.3 B_K over 200 ns, slow against the ~0.1 ns relaxation time.
    let (b_lo, b_hi) = (0.45 * bk, 0.75 * bk);
    let dir = [-psi.cos(), -psi.sin()];
    let toml = format!(
        "{}[material]\nalpha = 0.5\n[coupling]\nkind = \"none\"\n[init]\nkind = \"easy\"\n\
         [solver]\nmethod = \"dopri5\"\nrtol = 1e-8\natol = 1e-10\n\
         [[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.0]\nto = [{}, {}, 0.0]\nduration = 2e-9\n\
         [[field]]\nkind = \"ramp\"\nfrom = [{}, {}, 0.0]\nto = [{}, {}, 0.0]\nduration = 200e-9\n\
         [output]\ninterval = 10e-12\n",
        single_island("prism", 220e-9, 80e-9, 20e-9),
        b_lo * dir[0],
        b_lo * dir[1],
        b_lo * dir[0],
        b_lo * dir[1],
        b_hi * dir[0],
        b_hi * dir[1],
    );
    let rows = run(&toml);
    let k = rows.iter().position(|r| r.m.x < 0.0).expect("the island switches within the ramp");
    assert!(rows[k].t > 2e-9, "switched during the fast ramp, below B_K/2");
    // Interpolate the crossing of m_x = 0 between rows k−1 and k.
    let (a, b) = (&rows[k - 1], &rows[k]);
    let s = a.m.x / (a.m.x - b.m.x);
    (a.b_ext + (b.b_ext - a.b_ext) * s).norm()
}

#[test]
fn switching_fields_follow_the_astroid() {
    let [nx, ny, _] = prism_factors();
    let bk = MU0 * 8.0e5 * (ny - nx);
    for psi in [10.0f64, 30.0, 45.0, 60.0] {
        let r = psi.to_radians();
        let expected = bk / (r.cos().powf(2.0 / 3.0) + r.sin().powf(2.0 / 3.0)).powf(1.5);
        let got = switching_field(psi);
        eprintln!(
            "ψ = {psi}°: B_sw = {got:.5} T, Stoner–Wohlfarth {expected:.5} T ({:+.2} %)",
            100.0 * (got / expected - 1.0)
        );
        assert!((got / expected - 1.0).abs() < 0.02, "ψ = {psi}°: B_sw = {got:.5} T, Stoner–Wohlfarth {expected:.5} T");
    }
}
