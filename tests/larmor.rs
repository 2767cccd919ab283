//! Larmor precession of a cubic island (N = 1/3 each: no shape anisotropy) in 0.1 T along z.
//! α = 0: f = γB/2π (within 0.5 %). α > 0: tan(θ/2) = tan(θ0/2)·exp(−αγBt/(1+α²)) (1 %).

mod common;
use common::*;
use std::f64::consts::PI;

fn cube_in_field(alpha: f64, duration: f64) -> String {
    format!(
        "{}[material]\nalpha = {alpha}\n[coupling]\nkind = \"none\"\n[init]\nkind = \"vector\"\nm = [0.5, 0.0, 0.8660254037844386]\n\
         [solver]\nmethod = \"dopri5\"\nrtol = 1e-10\natol = 1e-12\n\
         [[field]]\nkind = \"constant\"\nb = [0.0, 0.0, 0.1]\nduration = {duration:e}\n[output]\ninterval = 2e-12\n",
        single_island("prism", 10e-9, 10e-9, 10e-9)
    )
}

#[test]
fn undamped_precession_is_at_the_larmor_frequency() {
    let rows = run(&cube_in_field(0.0, 2e-9));
    // Unwrapped in-plane phase φ(t); its slope is the angular precession rate.
    let mut phase = Vec::with_capacity(rows.len());
    let mut last = 0.0;
    let mut turns = 0.0;
    for r in &rows {
        let p = r.m.y.atan2(r.m.x);
        if !phase.is_empty() && p - last > PI {
            turns -= 2.0 * PI;
        } else if !phase.is_empty() && last - p > PI {
            turns += 2.0 * PI;
        }
        last = p;
        phase.push(p + turns);
    }
    let (t0, t1) = (rows[0].t, rows.last().unwrap().t);
    let omega = (phase.last().unwrap() - phase[0]) / (t1 - t0);
    let f = omega.abs() / (2.0 * PI);
    let expected = GAMMA * 0.1 / (2.0 * PI);
    eprintln!("Larmor: f = {:.6} GHz, γB/2π = {:.6} GHz", f / 1e9, expected / 1e9);
    assert!((f / expected - 1.0).abs() < 0.005, "f = {f:e} Hz, γB/2π = {expected:e} Hz");
    // dm/dt = −γ m × B with m = x̂, B = Bẑ gives dm/dt = +γB ŷ: counter-clockwise about +z.
    assert!(omega > 0.0);
    // No damping: the cone angle stays.
    for r in &rows {
        assert!((r.m.z - 0.8660254037844386).abs() < 1e-6);
    }
}

#[test]
fn damped_cone_angle_follows_the_closed_form() {
    let alpha = 0.05;
    let rows = run(&cube_in_field(alpha, 3e-9));
    let theta0: f64 = 30f64.to_radians();
    let rate = alpha * GAMMA * 0.1 / (1.0 + alpha * alpha);
    let mut checked = 0;
    for r in rows.iter().step_by(100) {
        let theta = r.m.z.clamp(-1.0, 1.0).acos();
        let expected = 2.0 * ((theta0 / 2.0).tan() * (-rate * r.t).exp()).atan();
        assert!((theta / expected - 1.0).abs() < 0.01, "t = {:e}: θ = {theta}, expected {expected}", r.t);
        checked += 1;
    }
    assert!(checked > 10);
    // The run must actually have damped a lot, or the test could not fail.
    let last = rows.last().unwrap().m.z.acos();
    assert!(last < 0.5 * theta0);
}
