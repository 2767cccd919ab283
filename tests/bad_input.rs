//! Every class of bad input issue 16 lists: one line on stderr naming the key, exit code 2,
//! before anything large is allocated or a long run starts. (The fuzzer
//! explores around these: examples/fuzz/.)

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn nanomag(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).current_dir(dir).args(args).output().expect("binary runs")
}

fn repo(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p).display().to_string()
}

/// Exit 2, one line `error: KEY = …`, within 20 s.
fn refused(dir: &Path, args: &[&str], key: &str) {
    let start = Instant::now();
    let o = nanomag(dir, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.starts_with(&format!("error: {key} = ")), "{args:?}: {err}");
    assert!(start.elapsed() < Duration::from_secs(20), "{args:?} took {:?}", start.elapsed());
    for leak in ["i64", "f64", "usize", "struct Raw", "untagged enum", "panicked"] {
        assert!(!err.contains(leak), "{args:?} leaks {leak}: {err}");
    }
}

#[test]
fn resources_are_bounded_before_anything_is_allocated() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let (square, sp4, narma) =
        (repo("experiments/square.toml"), repo("experiments/sp4_field1.toml"), repo("experiments/narma10.toml"));
    // 300 × 300 islands with coupling to every other: a terabyte of pair kernels.
    refused(
        dir,
        &["simulate", &square, "--set", "lattice.nx=300", "--set", "lattice.ny=300", "--set", "coupling.cutoff=inf"],
        "estimated cost",
    );
    // A 1 ms run at a fixed 1 fs step: work above the soft limit; --dry-run reports it, exit 0.
    let long = [
        "--set",
        "solver.method=\"rk4\"",
        "--set",
        "solver.dt=1e-15",
        "--set",
        "field.1.duration=1e-3",
        "--set",
        "output.interval=1e-6",
    ];
    let mut args = vec!["simulate", square.as_str()];
    args.extend(long);
    refused(dir, &args, "estimated cost");
    args.extend(["--dry-run", "--allow-large"]);
    let o = nanomag(dir, &args);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["within_limits"], true);
    assert!(v["estimate"]["work"].as_f64().unwrap() > 1e13);
    // dt at the smallest float, tiny snapshot intervals, unreachable relaxation torques.
    refused(dir, &["simulate", &square, "--set", "solver.method=\"rk4\"", "--set", "solver.dt=5e-324"], "solver.dt");
    refused(dir, &["simulate", &sp4, "--set", "output.snapshot_interval=1e-30"], "output.snapshot_interval");
    refused(dir, &["simulate", &sp4, "--set", "init.relax_torque=1e-300"], "init.relax_torque");
    // Counts and flags.
    refused(dir, &["run", &narma, "--repeats", "10000000"], "--repeats");
    refused(
        dir,
        &["sweep", &repo("experiments/energy_sweep.toml"), "--out", "s", "--threads", "100000000"],
        "--threads",
    );
    refused(dir, &["dataset", "narma10", "--steps", "1000000000000", "--out", "d.csv"], "--steps");
}

#[test]
fn input_files_are_checked_before_they_are_trusted() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    // An OVF header declaring a huge grid, and one whose syntax is broken (was exit 1).
    std::fs::write(dir.join("huge.ovf"), "# OOMMF OVF 2.0\n# xnodes: 100000000000\n# ynodes: 100000000\n# znodes: 1000\n# valuedim: 3\n# xstepsize: 5e-9\n# ystepsize: 5e-9\n# zstepsize: 3e-9\n# Begin: Data Binary 4\n").unwrap();
    std::fs::write(dir.join("broken.ovf"), "# OOMMF OVF 2.0\n# xnodes: many\n").unwrap();
    let sp4 = std::fs::read_to_string(repo("experiments/sp4_field1.toml")).unwrap();
    for f in ["huge.ovf", "broken.ovf"] {
        let text = sp4.replace("kind = \"vector\"\nm = [1.0, 0.1, 0.0]", &format!("kind = \"ovf\"\nfile = \"{f}\""));
        assert_ne!(text, sp4);
        std::fs::write(dir.join("from_ovf.toml"), text).unwrap();
        refused(dir, &["simulate", "from_ovf.toml"], "file");
    }
    // A lattice file that never ends, and one with a misspelt column (was silently ignored).
    std::fs::write(dir.join("custom.toml"), std::fs::read_to_string(repo("experiments/custom.toml")).unwrap()).unwrap();
    refused(dir, &["simulate", "custom.toml", "--set", "lattice.file=\"/dev/zero\""], "lattice.file");
    let csv = std::fs::read_to_string(repo("experiments/custom_magnets.csv")).unwrap().replace("width", "widht");
    std::fs::write(dir.join("custom_magnets.csv"), csv).unwrap();
    refused(dir, &["simulate", "custom.toml"], "lattice.file");
    // Tables given to compare: a NaN row (was exit 0, "first zero at none"), times near 1e308
    // (hung the figure).
    std::fs::write(dir.join("nan.csv"), "t,mx,my,mz\n0,1,0,0\n1e-9,nan,0,0\n").unwrap();
    std::fs::write(dir.join("big.csv"), "t,mx,my,mz\n0,1,0,0\n1e308,0,0,0\n").unwrap();
    refused(dir, &["compare", "nan.csv", "--out", "c.png"], "compare");
    refused(dir, &["compare", "big.csv", "--out", "c.png"], "compare");
    // results.jsonl problems in plot, merge and sweep --resume (were exit 1).
    std::fs::create_dir_all(dir.join("bad")).unwrap();
    std::fs::write(dir.join("bad/results.jsonl"), "{\"hash\": 3}\n").unwrap();
    refused(dir, &["plot", "bad"], "file");
    refused(dir, &["merge", "bad", "--out", "merged"], "file");
    refused(dir, &["sweep", &repo("experiments/energy_sweep.toml"), "--out", "bad", "--resume"], "file");
    // An --out that is a file (was exit 1), and a config that is not a file.
    std::fs::write(dir.join("a_file"), "x").unwrap();
    refused(dir, &["simulate", &repo("experiments/square.toml"), "--out", "a_file"], "--out");
    refused(dir, &["simulate", "/dev/zero"], "config");
}

#[test]
fn messages_use_plain_words_and_brief_numbers() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let square = repo("experiments/square.toml");
    let err = |args: &[&str]| String::from_utf8_lossy(&nanomag(dir, args).stderr).into_owned();
    let e = err(&["simulate", &square, "--set", "lattice.nx=2.5"]);
    assert!(e.contains("expected a whole number"), "{e}");
    let e = err(&["simulate", &square, "--set", "init=5"]);
    assert!(e.contains("expected a table"), "{e}");
    let e = err(&["simulate", &square, "--set", "field.7.duration=0.000000001"]);
    assert!(e.starts_with("error: field.7.duration = 1e-9: "), "{e}");
    let e = err(&["simulate", &square, "--set", "material.alpha=0.30000000000000004e300"]);
    assert!(e.len() < 200, "{e}");
    for args in
        [["simulate", square.as_str(), "--set", "lattice.nx=2.5"], ["simulate", square.as_str(), "--set", "init=5"]]
    {
        refused(dir, &args, "--set");
    }
}

#[test]
fn an_ovf_whose_cells_differ_from_the_mesh_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let example = nanomag::engine::entry("micromagnetic").unwrap().example;
    std::fs::write(dir.join("micro.toml"), example).unwrap();
    let o = nanomag(dir, &["simulate", "micro.toml", "--out", "m", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let with_init = format!("{example}\n[init]\nkind = \"ovf\"\nfile = \"state.ovf\"\n");
    std::fs::write(dir.join("from_ovf.toml"), with_init).unwrap();
    // The file as written reads back; the same file with another x cell size (or NaN) does not.
    let ovf = std::fs::read(dir.join("m/m_final.ovf")).unwrap();
    std::fs::write(dir.join("state.ovf"), &ovf).unwrap();
    let o = nanomag(dir, &["simulate", "from_ovf.toml", "--out", "ok", "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let head = String::from_utf8_lossy(&ovf[..ovf.len().min(2000)]).into_owned();
    let i = head.find("xstepsize:").expect("an OVF 2.0 header");
    let end = i + head[i..].find('\n').unwrap();
    for value in ["7.5e-9", "nan"] {
        let mut bad = ovf.clone();
        bad.splice(i..end, format!("xstepsize: {value}").into_bytes());
        std::fs::write(dir.join("state.ovf"), &bad).unwrap();
        let key = if value == "nan" { "file" } else { "init.file" };
        refused(dir, &["simulate", "from_ovf.toml", "--out", "bad", "--quiet"], key);
    }
}

/// Every command that computes is costed before it starts: `--dry-run` prints the estimate as
/// one JSON line and writes nothing, for spectrum, characterise, calibrate, switching and
/// baselines too; a λ outside [1e-15, 1e10] is refused.
#[test]
fn every_computing_command_has_a_dry_run() {
    let tmp = tempfile::tempdir().unwrap();
    let island = repo("experiments/switching_island.toml");
    let cases: Vec<Vec<String>> = vec![
        vec!["spectrum".into(), repo("experiments/spectrum_asvi.toml")],
        vec!["characterise".into(), repo("experiments/narma10.toml")],
        vec!["calibrate".into(), island.clone()],
        vec!["calibrate".into(), island.clone(), "--engine".into(), "micromagnetic".into()],
        vec!["switching".into(), island],
        vec!["baselines".into(), repo("experiments/narma10_esn.toml"), "--features".into(), "50".into()],
    ];
    for case in cases {
        let out = tmp.path().join("out");
        let mut args: Vec<&str> = case.iter().map(|s| s.as_str()).collect();
        args.extend(["--dry-run", "--out", out.to_str().unwrap()]);
        let o = nanomag(tmp.path(), &args);
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(v["command"], case[0].as_str());
        assert!(v["estimate"]["work"].as_f64().unwrap() > 0.0, "{args:?}");
        assert!(!out.exists(), "{args:?} wrote its --out on a dry run");
    }
    let exp = repo("experiments/narma10_esn.toml");
    for l in ["1e308", "1e-20", "-1"] {
        refused(tmp.path(), &["run", &exp, "--dry-run", "--set", &format!("readout.lambdas=[{l}]")], "readout.lambdas");
    }
}

/// rk45's step control: an unknown norm, `max_err` beside the mixed norm (whose bound is
/// rtol/atol), and `error_norm` for another method are refused, each naming its key.
#[test]
fn step_control_keys_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let fmr = repo("experiments/fmr_relaxation.toml");
    refused(dir, &["simulate", &fmr, "--set", "solver.error_norm=\"rms\""], "solver.error_norm");
    refused(
        dir,
        &["simulate", &fmr, "--set", "solver.error_norm=\"mixed\"", "--set", "solver.max_err=1e-5"],
        "solver.max_err",
    );
    refused(
        dir,
        &["simulate", &fmr, "--set", "solver.method=\"dopri5\"", "--set", "solver.error_norm=\"mixed\""],
        "solver.error_norm",
    );
}
