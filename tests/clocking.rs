//! Astroid clocking of pinwheel ice on the switching engine at T = 0
//! (`experiments/pinwheel_clocking.toml`): as Jensen et al. (Nat. Commun. 15, 964 (2024))
//! describe, the dipolar fields let only the islands at the domain wall switch, so every clock
//! pulse after the first switches exactly one row of one sub-lattice (A: +45°, B: −45°), the
//! rows next to each other, and the domain grows by one row of vertices per AB cycle.

use std::process::Command;

#[test]
fn clocking_grows_a_domain_row_by_row() {
    let tmp = tempfile::tempdir().unwrap();
    let exp = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("experiments/pinwheel_clocking.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["simulate", exp.to_str().unwrap(), "--out", tmp.path().to_str().unwrap(), "--quiet"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (shape, m) = nanomag::io::npy::read(&tmp.path().join("history_m.npy")).unwrap();
    let (rows, n) = (shape[0], shape[1]);
    assert_eq!((rows, n), (13, 200));
    // (y in m, long-axis angle in degrees) of every island, from magnets.csv.
    let mut csv = csv::Reader::from_path(tmp.path().join("magnets.csv")).unwrap();
    let islands: Vec<(f64, f64)> = csv
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[2].parse().unwrap(), r[3].parse().unwrap())
        })
        .collect();
    let up = |r: usize, i: usize| m[3 * (r * n + i)] > 0.0;
    let mut last_y = f64::INFINITY;
    for r in 2..rows {
        let new: Vec<usize> = (0..n).filter(|&i| up(r, i) && !up(r - 1, i)).collect();
        assert_eq!(new.len(), 10, "pulse {r}: one row of 10 islands switches, not {}", new.len());
        assert!((0..n).all(|i| !up(r - 1, i) || up(r, i)), "pulse {r}: nothing switches back");
        let (y0, angle0) = (islands[new[0]].0, islands[new[0]].1);
        for &i in &new {
            assert!((islands[i].0 - y0).abs() < 1e-9, "pulse {r}: the switched islands share a row");
            assert!((islands[i].1 - angle0).abs() < 1e-6, "pulse {r}: one sub-lattice");
        }
        // A (odd pulses) switches +45° islands, B the −45° (135°) ones.
        let a_pulse = r % 2 == 1;
        assert_eq!((angle0 - 45.0).abs() < 1.0, a_pulse, "pulse {r}: angle {angle0}°");
        assert!(y0 < last_y, "pulse {r}: the wall moves down, row by row");
        assert!(last_y == f64::INFINITY || last_y - y0 < 0.5 * 500e-9 + 1e-9, "pulse {r}: the next row");
        last_y = y0;
    }
    assert!(tmp.path().join("history.gif").exists() && tmp.path().join("history.png").exists());
}
