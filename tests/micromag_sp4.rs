//! μMAG standard problem 4, field 1, run the way users run it: `nanomag simulate
//! experiments/sp4_field1.toml` (100 × 25 × 1 cells of 5 × 5 × 3 nm; S-state relaxed from
//! m = (1, 0.1, 0), then μ0H = (−24.6, 4.3, 0) mT for 1 ns at α = 0.02). Compared with
//! magnum.np's reference solution on the same mesh (data/sp4/field1_magnumnp_100x25x1.csv) and
//! with MuMax3's own test value at 1 ns (128 × 32 × 1 cells; docs/sp4_references.md).

use nanomag::cli::compare::{first_zero, read_m};
use nanomag::io::ovf;
use std::process::Command;

#[test]
fn standard_problem_4_field_1_matches_the_published_solutions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sp4");
    let start = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["--quiet", "simulate", "experiments/sp4_field1.toml", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ours = read_m(&out.join("table.csv")).unwrap();
    let reference = read_m(std::path::Path::new("data/sp4/field1_magnumnp_100x25x1.csv")).unwrap();
    let last = |s: &nanomag::plot::MSource| [s.m[0][s.t.len() - 1], s.m[1][s.t.len() - 1], s.m[2][s.t.len() - 1]];
    let (a, r) = (last(&ours), last(&reference));
    assert!((ours.t[ours.t.len() - 1] - 1e-9).abs() < 1e-18, "the last row is the end of the run");
    let dev = (0..3).map(|c| (a[c] - r[c]).abs()).fold(0.0, f64::max);
    let mumax = [-0.98461, 0.12604, 0.04327];
    let dev_mumax = (0..3).map(|c| (a[c] - mumax[c]).abs()).fold(0.0, f64::max);
    // The whole curve: our rows every 10 ps against the reference's (t = 10 ps … 1 ns).
    let mut worst: f64 = 0.0;
    for (k, t) in reference.t.iter().enumerate() {
        let j = ours.t.iter().position(|x| (x - t).abs() < 1e-15).expect("same sample times");
        for c in 0..3 {
            worst = worst.max((ours.m[c][j] - reference.m[c][k]).abs());
        }
    }
    let (tz, tz_ref) = (first_zero(&ours).unwrap(), first_zero(&reference).unwrap());
    eprintln!(
        "SP4 field 1 ({:.1} s): <m>(1 ns) = {a:?} vs magnum.np {r:?} (max dev {dev:.4}), vs MuMax3 {mumax:?} (max dev {dev_mumax:.4}); worst over the curve {worst:.4}; first zero of <mx> {tz:.4e} vs {tz_ref:.4e} s",
        start.elapsed().as_secs_f64()
    );
    assert!(dev < 1e-2, "⟨m⟩ at 1 ns off magnum.np's by {dev}");
    assert!(dev_mumax < 1e-2, "⟨m⟩ at 1 ns off MuMax3's by {dev_mumax}");
    assert!(worst < 1e-2, "the curve leaves the reference by {worst}");
    assert!((tz / tz_ref - 1.0).abs() < 0.03, "first zero of mx at {tz:e} s vs {tz_ref:e} s");

    // Outputs: table columns, OVF snapshots every 0.1 ns (11 incl. t = 0), figures, balance.
    let table = std::fs::read_to_string(out.join("table.csv")).unwrap();
    assert!(table.lines().next().unwrap().ends_with(",e_exchange_j,e_demag_j,e_zeeman_j"));
    for k in 0..=10 {
        let f = ovf::read(&out.join(format!("m{k:06}.ovf"))).unwrap();
        assert_eq!((f.n, f.dim), ([100, 25, 1], 3));
    }
    assert!(!out.join("m000011.ovf").exists());
    for f in ["m_final.png", "m_vs_t.png", "m_vs_t.svg", "summary.json"] {
        assert!(out.join(f).metadata().unwrap().len() > 0, "{f}");
    }
    // The final snapshot (Binary 4) averages to the table's last row within f32 rounding.
    let fin = ovf::read(&out.join("m_final.ovf")).unwrap();
    for (c, want) in a.iter().enumerate() {
        let mean = fin.data.iter().skip(c).step_by(3).sum::<f64>() / 2500.0;
        assert!((mean - want).abs() < 1e-6, "component {c}: {mean} vs {want}");
    }
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let de = s["energy_balance"]["delta_e_j"].as_f64().unwrap();
    let resid = s["energy_balance"]["residual_j"].as_f64().unwrap();
    assert!(resid.abs() < 1e-4 * de.abs(), "E(t) − E(0) = W − Q off by {resid:e} J of {de:e} J");
}
