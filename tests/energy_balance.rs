//! Energy bookkeeping: E(t) − E(0) = W_ext − Q (T = 0, dopri5) within 1e-6 relative; energy
//! conserved with α = 0 in a constant field; and (proptest) energy never rises without drive.

mod common;
use common::*;
use proptest::prelude::*;

/// 2 × 2 square ice with all-pairs dipolar coupling, driven by a sine plus a ramp.
fn driven_square(alpha: f64) -> String {
    format!(
        "[material]\nalpha = {alpha}\n[lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 400e-9\n\
         [coupling]\nkind = \"dipole\"\ncutoff = inf\n[init]\nkind = \"random\"\nseed = 3\n\
         [solver]\nmethod = \"dopri5\"\nrtol = 1e-10\natol = 1e-12\n\
         [[field]]\nkind = \"sine\"\nb0 = [0.0, 0.0, 0.01]\namplitude = [0.06, 0.03, 0.0]\nfrequency = 2e9\nduration = 1.5e-9\n\
         [[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.01]\nto = [-0.1, 0.05, 0.0]\nduration = 1e-9\n\
         [output]\ninterval = 5e-12\n"
    )
}

#[test]
fn energy_change_equals_work_minus_dissipation() {
    let rows = run(&driven_square(0.05));
    let e0 = rows[0].e_total;
    let (w_end, q_end) = (rows.last().unwrap().w_ext, rows.last().unwrap().q_diss);
    // The scale: the largest of the energy flows involved.
    let scale = rows.iter().map(|r| (r.e_total - e0).abs().max(r.w_ext.abs()).max(r.q_diss.abs())).fold(0.0, f64::max);
    assert!(q_end > 0.0 && w_end.abs() > 0.0 && scale > 0.0);
    for r in &rows {
        let resid = (r.e_total - e0) - (r.w_ext - r.q_diss);
        assert!(resid.abs() <= 1e-6 * scale, "t = {:e}: residual {resid:e} J of scale {scale:e} J", r.t);
    }
    // Q only grows.
    for w in rows.windows(2) {
        assert!(w[1].q_diss >= w[0].q_diss);
    }
}

#[test]
fn undamped_array_in_constant_field_conserves_energy() {
    let toml = "[material]\nalpha = 0.0\n[lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 400e-9\n\
         [coupling]\ncutoff = inf\n[init]\nkind = \"random\"\nseed = 5\n\
         [solver]\nrtol = 1e-10\natol = 1e-12\n\
         [[field]]\nb = [0.02, -0.01, 0.005]\nduration = 2e-9\n[output]\ninterval = 10e-12\n";
    let rows = run(toml);
    let e0 = rows[0].e_total;
    let scale: f64 = rows[0].parts.iter().map(|p| p.1.abs()).sum();
    // The state must move (else conservation is trivial).
    assert!((rows.last().unwrap().m - rows[0].m).norm() > 1e-3);
    for r in &rows {
        assert!((r.e_total - e0).abs() <= 1e-7 * scale, "t = {:e}: E − E0 = {:e} J", r.t, r.e_total - e0);
        assert_eq!(r.q_diss, 0.0);
        assert_eq!(r.w_ext, 0.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    /// Damped, undriven (constant field): E never rises and every |m_i| stays 1.
    #[test]
    fn energy_never_rises_without_drive(seed in 0u64..1000, alpha in 0.005f64..0.5, bx in -0.05f64..0.05, method in 0usize..3) {
        let m = ["dopri5", "rk4", "heun"][method];
        let toml = format!(
            "[material]\nalpha = {alpha}\n[lattice]\nkind = \"kagome\"\nnx = 2\nny = 2\nspacing = 500e-9\n\
             [coupling]\ncutoff = 2.0\n[init]\nkind = \"random\"\nseed = {seed}\n\
             [solver]\nmethod = \"{m}\"\ndt = 2e-14\nrtol = 1e-9\natol = 1e-11\n\
             [[field]]\nb = [{bx}, 0.01, 0.0]\nduration = 0.3e-9\n[output]\ninterval = 5e-12\n");
        let (cfg, mut e) = engine(&toml);
        use nanomag::engine::Engine;
        let first = e.observables();
        let scale: f64 = first.parts.iter().map(|p| p.1.abs()).sum();
        let mut energies = vec![first.e_total];
        let n = (cfg.protocol.duration() / cfg.output_interval).round() as usize;
        e.advance(cfg.output_interval, n, &mut |o| {
            energies.push(o.e_total);
            Ok(())
        }).unwrap();
        for w in energies.windows(2) {
            prop_assert!(w[1] <= w[0] + 1e-9 * scale, "E rose from {:e} to {:e} J", w[0], w[1]);
        }
        for mi in e.island_m() {
            prop_assert!((mi.norm() - 1.0).abs() < 1e-12);
        }
    }
}
