//! μMAG standard problem 4, field 1, on the 100 × 25 × 1 mesh (5 × 5 × 3 nm cells): the S-state
//! relaxed from m = (1, 0.1, 0), then μ0H = (−24.6, 4.3, 0) mT for 1 ns at α = 0.02. Compared
//! with magnum.np's reference solution on the same mesh (data/sp4/field1_magnumnp_100x25x1.csv)
//! and MuMax3's test value at 1 ns (128 × 32 × 1; docs/sp4_references.md).

use nalgebra::Vector3;
use nanomag::micromag::mesh::Mesh;
use nanomag::micromag::relax::relax;
use nanomag::micromag::rk45::Rk45;
use nanomag::micromag::system::{MicroMaterial, MicroSystem};
use nanomag::protocol::{Protocol, Segment};

fn reference() -> Vec<[f64; 4]> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sp4/field1_magnumnp_100x25x1.csv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('t'))
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect()
}

/// First time ⟨m_x⟩ crosses zero, by linear interpolation between samples.
fn first_zero(curve: &[[f64; 4]]) -> f64 {
    let w = curve.windows(2).find(|w| w[0][1] > 0.0 && w[1][1] <= 0.0).expect("m_x crosses zero");
    w[0][0] + (w[1][0] - w[0][0]) * w[0][1] / (w[0][1] - w[1][1])
}

#[test]
fn standard_problem_4_field_1_matches_the_published_solutions() {
    let n = [100, 25, 1];
    let mesh = Mesh::cuboid(n, [5e-9, 5e-9, 3e-9], 8.0e5);
    let material = MicroMaterial { alpha: 0.02, a_ex: 1.3e-11, ku: 0.0 };
    let b = Vector3::new(-24.6e-3, 4.3e-3, 0.0);
    let relaxing = MicroSystem::new(
        mesh.clone(),
        material.clone(),
        Protocol::new(vec![Segment::Constant { b: Vector3::zeros(), duration: 1e-9 }]),
    );
    let v = Vector3::new(1.0, 0.1, 0.0).normalize();
    let mut m: Vec<f64> = (0..mesh.cells()).flat_map(|_| [v.x, v.y, v.z]).collect();
    let start = std::time::Instant::now();
    relax(&relaxing, &mut m, 0.0, 1e-4, 20_000, &mut |_, _| {}).unwrap();
    let sys = MicroSystem::new(mesh, material, Protocol::new(vec![Segment::Constant { b, duration: 1e-9 }]));
    let mut rk = Rk45::new(m.len(), 1e-5);
    let mut t = 0.0;
    let mut curve = vec![];
    for s in 1..=100 {
        rk.advance(&sys, &mut t, &mut m, s as f64 * 1e-11, true).unwrap();
        let a = sys.average(&m);
        curve.push([t, a.x, a.y, a.z]);
    }
    let refc = reference();
    let last = curve.last().unwrap();
    let r = refc.last().unwrap();
    let dev = (1..4).map(|c| (last[c] - r[c]).abs()).fold(0.0, f64::max);
    let worst = curve
        .iter()
        .zip(&refc)
        .map(|(a, b)| (1..4).map(|c| (a[c] - b[c]).abs()).fold(0.0, f64::max))
        .fold(0.0, f64::max);
    let (tz, tz_ref) = (first_zero(&curve), first_zero(&refc));
    eprintln!(
        "SP4 field 1 ({:.1} s, {} steps, {} evaluations): <m>(1 ns) = {:?} vs {:?}; worst |Δm| over the curve {worst:.4}; first zero {tz:.4e} vs {tz_ref:.4e} s",
        start.elapsed().as_secs_f64(), rk.steps, rk.evaluations, &last[1..], &r[1..]
    );
    assert!(dev < 1e-2, "⟨m⟩ at 1 ns off by {dev}");
    assert!((tz / tz_ref - 1.0).abs() < 0.03, "first zero of m_x at {tz:e} s vs {tz_ref:e} s");
    let mumax = [-0.98461, 0.12604, 0.04327];
    let dev_mumax = (0..3).map(|c| (last[c + 1] - mumax[c]).abs()).fold(0.0, f64::max);
    eprintln!("vs MuMax3 (128 x 32 x 1): max deviation {dev_mumax:.4}");
    assert!(dev_mumax < 1e-2, "⟨m⟩ at 1 ns off MuMax3's by {dev_mumax}");
    assert!(worst < 1e-2, "the curve leaves the reference by {worst}");
}
