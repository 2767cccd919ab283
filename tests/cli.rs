//! The `nanomag` binary: every example in experiments/ runs and writes its files; bad input
//! gets a one-line error naming the key, exit code 2, and never a panic.

use std::path::Path;
use std::process::Command;

fn nanomag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).args(args).output().expect("binary runs")
}

#[test]
fn every_example_runs_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir("experiments").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        // `nanomag run` experiments are checked in tests/run_cli.rs, sweeps in sweep_cli.rs,
        // spectrum configs in spectrum.rs, micromagnetic ones in micromag_sp4.rs, optimise files
        // in optimise_cli.rs.
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("[task]")
            || text.contains("[[group]]")
            || text.contains("[spectrum]")
            || text.contains("kind = \"micromagnetic\"")
            || text.contains("[search]")
        {
            continue;
        }
        let out = dir.path().join(path.file_stem().unwrap());
        let o = nanomag(&["simulate", path.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
        assert!(o.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&o.stderr));
        for f in ["table.csv", "magnets.csv", "summary.json", "m_vs_t.png", "m_vs_t.svg", "lattice.png", "lattice.svg"]
        {
            let p = out.join(f);
            assert!(p.metadata().map(|m| m.len() > 0).unwrap_or(false), "{} missing", p.display());
        }
        let table = std::fs::read_to_string(out.join("table.csv")).unwrap();
        let header = table.lines().next().unwrap();
        assert!(header.starts_with("t_s,mx,my,mz,bx_t,by_t,bz_t,e_total_j,w_ext_j,q_diss_j,e_zeeman_j"), "{header}");
        assert!(table.lines().count() > 10);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
        assert!(summary["n_islands"].as_u64().unwrap() > 0);
        assert!(summary["resolved_config"]["material"]["ms"].as_f64().is_some());
        n += 1;
    }
    assert!(n >= 6, "one example per lattice kind");
}

/// Writes `toml` to a file, runs simulate on it and returns (exit code, stderr).
fn run_bad(toml: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, toml).unwrap();
    let o = nanomag(&["simulate", cfg.to_str().unwrap(), "--out", dir.path().join("o").to_str().unwrap(), "--quiet"]);
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

const FIELD: &str = "[[field]]\nb = [0.0, 0.0, 0.01]\nduration = 1e-10\n";

#[test]
fn bad_input_gets_one_line_naming_the_key_and_exit_2() {
    let cases = [
        (format!("[magnet]\nlength = -220e-9\n{FIELD}"), "magnet.length"),
        (format!("[lattice]\nkind = \"hexagonal\"\n{FIELD}"), "lattice.kind"),
        (format!("[material]\nms = nan\n{FIELD}"), "material.ms"),
        (format!("[lattice]\nnx = 0\n{FIELD}"), "lattice.nx"),
        (format!("[lattice]\nspacing = 200e-9\n{FIELD}"), "lattice.spacing"),
        (format!("[solver]\nmethod = \"rk4\"\ndt = 1e-11\n{FIELD}"), "solver.dt"),
        (format!("[solver]\nmethod = \"euler\"\n{FIELD}"), "solver.method"),
        (format!("[temperature]\nt = 300.0\n{FIELD}"), "solver.method"),
        (format!("[lattice]\nnxx = 3\n{FIELD}"), "nxx"),
        (
            "[[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0]\nto = [0.0, 0.0, 0.1]\nduration = 1e-9\n".to_string(),
            "field[0].from",
        ),
        ("[[field]]\nb = [0.0, 0.0, 0.1]\nduration = 0.0\n".to_string(), "field[0].duration"),
        ("[material]\nalpha = 0.1\n".to_string(), "field"),
        (format!("[lattice]\nkind = \"custom\"\nfile = \"nope.csv\"\n{FIELD}"), "lattice.file"),
        (format!("[output]\ninterval = 1e-20\n{FIELD}"), "output.interval"),
        (format!("[init]\nkind = \"vector\"\nm = [0.0, 0.0, 0.0]\n{FIELD}"), "init.m"),
        (format!("[coupling]\ncutoff = -1.0\n{FIELD}"), "coupling.cutoff"),
        ("this is not toml".to_string(), "config"),
    ];
    for (toml, key) in cases {
        let (code, err) = run_bad(&toml);
        assert_eq!(code, 2, "{key}: exit {code}, stderr {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{key}: not one line: {err}");
        assert!(err.starts_with("error: ") && err.contains(key), "{key}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn missing_config_file_is_exit_2() {
    let o = nanomag(&["simulate", "does/not/exist.toml", "--out", "unused", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new("unused").exists());
}

#[test]
fn bench_rejects_bad_arguments() {
    let o = nanomag(&["bench", "--cells", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--cells"));
    for (args, key) in [(["--runs", "0"], "--runs"), (["--max-features", "5"], "--max-features")] {
        let o = nanomag(&["bench", "--readout", args[0], args[1]]);
        assert_eq!(o.status.code(), Some(2), "bench --readout {args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(key) && err.lines().count() == 1, "{err}");
    }
}

#[test]
fn set_addresses_one_element_of_a_list_of_tables() {
    let text = std::fs::read_to_string("experiments/square.toml").unwrap();
    let mut t: toml::Table = toml::from_str(&text).unwrap();
    nanomag::config::apply_overrides(&mut t, &["field.1.duration=3e-9".to_string()]).unwrap();
    let fields = t["field"].as_array().unwrap();
    assert_eq!(fields[1]["duration"].as_float(), Some(3e-9));
    assert_eq!(fields[0]["duration"].as_float(), Some(0.5e-9), "the other segment is untouched");
    // On the command line: a valid index runs, a missing one is one line naming the key.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let ok = nanomag(&[
        "simulate",
        "experiments/square.toml",
        "--set",
        "field.0.duration=2e-10",
        "--set",
        "field.1.duration=2e-10",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let bad = nanomag(&[
        "simulate",
        "experiments/square.toml",
        "--set",
        "field.7.duration=1e-9",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(err.contains("field.7.duration") && err.contains("0 to 1") && err.lines().count() == 1, "{err}");
}

#[test]
fn of_several_set_arguments_the_failing_one_is_named_alone() {
    let dir = tempfile::tempdir().unwrap();
    let o = nanomag(&[
        "run",
        "experiments/narma10.toml",
        "--set",
        "input.hold=2e-10",
        "--set",
        "input.samples=many",
        "--out",
        dir.path().join("r").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("input.samples=many") && !err.contains("input.hold") && err.lines().count() == 1, "{err}");
}
