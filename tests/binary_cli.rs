//! The switching and kmc engines and `nanomag calibrate` through the binary: outputs (flip
//! columns, the state history, the calibration files) and bad input (one line naming the
//! key, exit 2, never a panic).

use std::process::Command;

fn nanomag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).args(args).output().expect("binary runs")
}

const ISLANDS: &str = "[lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 500e-9\n\
    [[field]]\nb = [0.01, 0.0, 0.0]\nduration = 1e-9\n[output]\ninterval = 1e-10\n";

/// Runs `simulate` on a config text; returns (exit code, stderr, output dir).
fn simulate(toml: &str) -> (i32, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, toml).unwrap();
    let out = dir.path().join("out");
    let o = nanomag(&["simulate", cfg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned(), dir)
}

#[test]
fn binary_engines_write_flip_columns_and_histories() {
    for extra in ["[solver]\nkind = \"switching\"\n", "[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n"] {
        let (code, err, dir) = simulate(
            &format!("{extra}{ISLANDS}[output]\nhistory = \"npy\"\n")
                .replace("[output]\ninterval = 1e-10\n[output]\nhistory", "[output]\ninterval = 1e-10\nhistory"),
        );
        assert_eq!(code, 0, "{extra}: {err}");
        let out = dir.path().join("out");
        let table = std::fs::read_to_string(out.join("table.csv")).unwrap();
        assert!(table.lines().next().unwrap().ends_with(",flips,flips_total"), "{extra}");
        assert_eq!(table.lines().count(), 12);
        assert!(out.join("history_m.npy").metadata().unwrap().len() > 0);
    }
}

#[test]
fn bad_binary_engine_input_is_one_line_and_exit_2() {
    let cases = [
        (
            "[solver]\nkind = \"switching\"\n[temperature]\nt = 300.0\n[switching]\nm_therm = -1.0\n",
            "switching.m_therm",
        ),
        ("[solver]\nkind = \"switching\"\n[temperature]\nt = -3.0\n", "temperature.t"),
        ("[solver]\nkind = \"kmc\"\n", "temperature.t"),
        ("[solver]\nkind = \"switching\"\n[switching]\nflip = \"greedy\"\n", "switching.flip"),
        ("[solver]\nkind = \"switching\"\n[switching]\nhc = -0.1\n", "switching.hc"),
        ("[solver]\nkind = \"switching\"\n[switching]\nthresholds = \"nope.csv\"\n", "switching.thresholds"),
        ("[solver]\nkind = \"switching\"\nmethod = \"rk4\"\n", "solver.method"),
        ("[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n[kmc]\nscheme = \"ising\"\n", "kmc.scheme"),
        ("[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n[kmc]\nf0 = 0.0\n", "kmc.f0"),
        ("[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n[kmc]\nsweeps = 0\n", "kmc.sweeps"),
        ("[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n[switching]\nhc = 0.1\n", "switching"),
        ("[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n[material]\nalpha = 0.0\n", "material.alpha"),
    ];
    for (extra, key) in cases {
        let (code, err, _dir) = simulate(&format!("{extra}{ISLANDS}"));
        assert_eq!(code, 2, "{key}: exit {code}, stderr {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{key}: not one line: {err}");
        assert!(err.starts_with("error: ") && err.contains(key), "{key}: {err}");
    }
}

#[test]
fn spectrum_refuses_the_binary_engines() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let o =
        nanomag(&["spectrum", "experiments/kmc_thermal_relaxation.toml", "--out", out.to_str().unwrap(), "--quiet"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("solver.kind") && err.trim_end().lines().count() == 1, "{err}");
}

#[test]
fn calibrate_writes_a_fragment_the_switching_engine_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cal");
    let o = nanomag(&["calibrate", "experiments/switching_island.toml", "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["calibration.toml", "calibration.csv", "calibration.json", "astroid.png", "astroid.svg"] {
        assert!(out.join(f).metadata().map(|m| m.len() > 0).unwrap_or(false), "{f} missing");
    }
    // The fragment is valid input for both binary engines.
    let fragment = std::fs::read_to_string(out.join("calibration.toml")).unwrap();
    let (code, err, _d) =
        simulate(&format!("[solver]\nkind = \"switching\"\n{}{ISLANDS}", fragment.split("[kmc]").next().unwrap()));
    assert_eq!(code, 0, "{err}");
    for (args, key) in [
        (vec!["--engine", "llg"], "--engine"),
        (vec!["--angles", "10,20,95,40"], "--angles"),
        (vec!["--angles", "10,20"], "--angles"),
        (vec!["--step", "0"], "--step"),
    ] {
        let mut a = vec!["calibrate", "experiments/switching_island.toml", "--out", out.to_str().unwrap()];
        a.extend(args);
        let o = nanomag(&a);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{key}: {err}");
        assert!(err.contains(key) && err.trim_end().lines().count() == 1, "{key}: {err}");
    }
}
