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

/// The same protocol in flatspin 2.6 (`data/flatspin/run_pinwheel_clocking.py`: nanomag's
/// islands as a CustomSpinIce with its h_c, α and neighbour distance): the state after every
/// clock pulse is flatspin's, island for island, with the default incremental dipolar sums and
/// with `switching.exact_sums`.
#[test]
fn clocking_matches_flatspin_state_for_state() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("data/flatspin/pinwheel_clocking");
    let mut islands = csv::Reader::from_path(dir.join("islands.csv")).unwrap();
    let islands: Vec<Vec<f64>> =
        islands.records().map(|r| r.unwrap().iter().map(|v| v.parse::<f64>().unwrap()).collect()).collect();
    let mut states = csv::Reader::from_path(dir.join("states.csv")).unwrap();
    let states: Vec<Vec<i8>> =
        states.records().map(|r| r.unwrap().iter().skip(2).map(|v| v.parse::<i8>().unwrap()).collect()).collect();
    assert_eq!((islands.len(), states.len()), (200, 13));
    let text = std::fs::read_to_string(root.join("experiments/pinwheel_clocking.toml")).unwrap();
    for exact in [false, true] {
        let toml = format!("{text}\n").replace("gamma = 3.9\n", &format!("gamma = 3.9\nexact_sums = {exact}\n"));
        let raw = nanomag::config::parse_toml(&toml, std::path::Path::new("t.toml")).unwrap();
        let cfg = nanomag::registry::validate(&raw, std::path::Path::new(".")).unwrap();
        let mut e = nanomag::switching::engine::SwitchingEngine::new(&cfg, cfg.protocol.clone()).unwrap();
        // The reference was made from these islands and this initial state.
        let a = &e.model.array;
        for (i, row) in islands.iter().enumerate() {
            assert!((a.islands[i].x / 500e-9 - row[1]).abs() < 1e-9 && (a.islands[i].y / 500e-9 - row[2]).abs() < 1e-9);
            assert!((a.axis[i].y.atan2(a.axis[i].x).to_degrees() - row[3]).abs() < 1e-9, "island {i}: axis");
            assert_eq!(a.spin[i] as f64, row[4], "island {i}: initial state");
        }
        nanomag::engine::Engine::relax(&mut e, 0.0).unwrap();
        for (k, want) in states.iter().enumerate() {
            if k > 0 {
                nanomag::engine::Engine::advance(&mut e, 1e-9, 1, &mut |_| Ok(())).unwrap();
            }
            assert_eq!(&e.model.array.spin, want, "exact_sums = {exact}: state after step {k}");
        }
    }
}
