//! `nanomag sweep`, `merge` and `plot` end to end: a sweep killed with SIGKILL and resumed
//! ends with exactly the points of an uninterrupted run; shards merged equal the whole; one
//! and two threads give identical results; bad sweep input is one line, exit 2.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn nanomag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).args(args).output().expect("binary runs")
}

/// A sweep of 8 small magnet points (hold × array size n × n, a paired axis × seed) and 3 ESN
/// points, in `dir`.
fn sweep_file(dir: &Path) -> PathBuf {
    let exp = std::fs::read_to_string("experiments/narma10.toml").unwrap();
    std::fs::write(dir.join("magnets.toml"), exp).unwrap();
    std::fs::write(dir.join("esn.toml"), std::fs::read_to_string("experiments/narma10_esn.toml").unwrap()).unwrap();
    let short = r#"set = { "task.washout" = 60, "task.train" = 150, "task.validation" = 50, "task.test" = 60 }"#;
    let text = format!(
        "[[group]]\nlabel = \"magnets\"\nbase = \"magnets.toml\"\n{short}\n\
         [[group.axis]]\nkey = \"input.hold\"\nvalues = [2e-10, 3e-10]\n\
         [[group.axis]]\nkey = [\"lattice.nx\", \"lattice.ny\"]\nlinspace = [3, 4, 2]\n\
         [[group.axis]]\nkey = \"seed\"\nvalues = [0, 1]\n\
         [[group]]\nlabel = \"ESN\"\nbase = \"esn.toml\"\n{short}\n\
         [[group.axis]]\nkey = \"reservoir.n\"\nvalues = [10, 20, 40]\n"
    );
    let path = dir.join("sweep.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Records by hash, without wall times.
fn records(dir: &Path) -> BTreeMap<String, serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("results.jsonl")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        v["wall_seconds"] = serde_json::Value::Null;
        let hash = v["hash"].as_str().unwrap().to_string();
        assert!(out.insert(hash.clone(), v).is_none(), "point {hash} appears twice in {}", dir.display());
    }
    out
}

fn run_ok(args: &[&str]) {
    let o = nanomag(args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn killed_sweep_resumes_to_exactly_the_uninterrupted_points_and_shards_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path());
    let f = file.to_str().unwrap();
    let whole = tmp.path().join("whole");
    run_ok(&["sweep", f, "--out", whole.to_str().unwrap(), "--quiet", "--threads", "2"]);
    let reference = records(&whole);
    assert_eq!(reference.len(), 11);
    for fig in ["accuracy_vs_energy.png", "accuracy_vs_energy.svg", "energy_breakdown.png", "heatmap_magnets.png"] {
        assert!(whole.join(fig).metadata().is_ok_and(|m| m.len() > 1000), "{fig} missing");
    }
    let failed: Vec<_> = reference.values().filter(|r| !r["error"].is_null()).collect();
    assert!(failed.is_empty(), "{failed:?}");

    // Killed partway with SIGKILL, a cut-off line appended, then resumed.
    let killed = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["sweep", f, "--out", killed.to_str().unwrap(), "--quiet", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let results = killed.join("results.jsonl");
    let start = Instant::now();
    let lines = || std::fs::read_to_string(&results).map(|t| t.lines().count()).unwrap_or(0);
    while lines() < 2 {
        assert!(start.elapsed() < Duration::from_secs(120), "sweep produced no results");
        assert!(child.try_wait().unwrap().is_none(), "sweep ended before it could be killed");
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let at_kill = lines();
    assert!(at_kill < 11, "the kill came after the sweep ended ({at_kill} points)");
    use std::io::Write;
    std::fs::OpenOptions::new().append(true).open(&results).unwrap().write_all(b"{\"hash\":\"cut-off").unwrap();
    // Without --resume, the directory is refused.
    let o = nanomag(&["sweep", f, "--out", killed.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--resume"));
    run_ok(&["sweep", f, "--out", killed.to_str().unwrap(), "--quiet", "--resume"]);
    assert_eq!(records(&killed), reference, "resumed sweep differs from the uninterrupted one");

    // Two shards (one thread each) merged equal the whole (two threads).
    let (s0, s1, merged) = (tmp.path().join("s0"), tmp.path().join("s1"), tmp.path().join("merged"));
    run_ok(&["sweep", f, "--out", s0.to_str().unwrap(), "--quiet", "--shard", "0/2", "--threads", "1"]);
    run_ok(&["sweep", f, "--out", s1.to_str().unwrap(), "--quiet", "--shard", "1/2", "--threads", "1"]);
    assert_eq!(records(&s0).len(), 6);
    assert_eq!(records(&s1).len(), 5);
    run_ok(&[
        "merge",
        s0.to_str().unwrap(),
        s1.to_str().unwrap(),
        s0.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(records(&merged), reference, "merged shards differ from the unsharded sweep");
    assert!(merged.join("accuracy_vs_energy.png").exists());

    // plot redraws from results alone.
    std::fs::remove_file(whole.join("accuracy_vs_energy.png")).unwrap();
    run_ok(&["plot", whole.to_str().unwrap(), "--quiet"]);
    assert!(whole.join("accuracy_vs_energy.png").exists());
}

#[test]
fn sweep_results_are_the_same_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path());
    let f = file.to_str().unwrap();
    let (a, b) = (tmp.path().join("t1"), tmp.path().join("t2"));
    run_ok(&["sweep", f, "--out", a.to_str().unwrap(), "--quiet", "--threads", "1"]);
    run_ok(&["sweep", f, "--out", b.to_str().unwrap(), "--quiet", "--threads", "2"]);
    let (ra, rb) = (records(&a), records(&b));
    assert_eq!(ra.len(), 11);
    assert_eq!(ra, rb, "thread count changed the results");
    // Seeds are recorded, and the seed axis shifted them.
    let seeds: std::collections::BTreeSet<i64> =
        ra.values().filter(|r| r["group"] == "magnets").map(|r| r["seeds"]["lattice"].as_i64().unwrap()).collect();
    assert_eq!(seeds.into_iter().collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn bad_sweep_input_is_one_line_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (text.replace("values = [2e-10, 3e-10]", "values = [2e-10, -1.0]"), "input.hold"),
        (text.replace("base = \"esn.toml\"", "base = \"missing.toml\""), "missing.toml"),
        (text.replace("linspace = [3, 4, 2]", "linspace = [3, 4, 0]"), "linspace"),
        (text.replace("key = \"seed\"\nvalues = [0, 1]", "key = \"seed\"\nvalues = [-1]"), "seed"),
        (text.replace("key = \"reservoir.n\"", "key = \"reservoir.nodes\""), "nodes"),
        ("[[group]]\nlabel = \"x\"\n".to_string(), "base"),
        (String::new(), "group"),
    ];
    for (i, (t, key)) in cases.iter().enumerate() {
        let p = tmp.path().join(format!("bad{i}.toml"));
        std::fs::write(&p, t).unwrap();
        let o = nanomag(&[
            "sweep",
            p.to_str().unwrap(),
            "--out",
            tmp.path().join(format!("o{i}")).to_str().unwrap(),
            "--quiet",
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "case {i}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "case {i}: {err}");
        assert!(err.contains(key), "case {i}: {err} lacks {key}");
    }
    let f = file.to_str().unwrap();
    for shard in ["2/2", "1", "a/b", "0/0"] {
        let o = nanomag(&["sweep", f, "--shard", shard, "--out", tmp.path().join("x").to_str().unwrap(), "--quiet"]);
        assert_eq!(o.status.code(), Some(2), "--shard {shard}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("--shard"));
    }
    let o = nanomag(&["plot", tmp.path().join("nothing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn committed_sweeps_validate_and_their_results_redraw() {
    for (file, data, points) in [
        ("experiments/energy_sweep.toml", "data/energy_sweep", 27 + 5),
        ("experiments/asvi_fingerprint_sweep.toml", "data/asvi_fingerprint", 2 * 3 * 3),
        ("experiments/energy_sweep_300k.toml", "data/energy_sweep_300k", 12 + 3 + 6 + 15 + 6),
        ("experiments/mackey_glass_300k.toml", "data/mackey_glass_300k", 27),
    ] {
        let spec = nanomag::sweep::spec::load(Path::new(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(spec.points.len(), points, "{file}");
        // The committed results are exactly this sweep's points (same config hashes).
        let tmp = tempfile::tempdir().unwrap();
        std::fs::copy(format!("{data}/results.jsonl"), tmp.path().join("results.jsonl")).unwrap();
        let committed: std::collections::BTreeSet<String> = records(tmp.path()).into_keys().collect();
        let expected: std::collections::BTreeSet<String> = spec.hashes.iter().cloned().collect();
        assert_eq!(committed, expected, "{data}/results.jsonl is stale: rerun {file}");
        run_ok(&["plot", tmp.path().to_str().unwrap(), "--quiet"]);
        assert!(std::fs::read_dir(tmp.path()).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("accuracy_vs_energy")));
    }
}

/// One sweep, points of both engines: a macrospin group and a micromagnetic group of the same
/// two-bar reservoir, each point recorded with its engine and a finite score.
#[test]
fn a_sweep_mixes_points_of_both_engines() {
    let tmp = tempfile::tempdir().unwrap();
    let base = "[magnet]\nlength = 220e-9\nwidth = 80e-9\nthickness = 20e-9\n\
                [lattice]\nkind = \"square\"\nnx = 1\nny = 1\nspacing = 500e-9\n[material]\nalpha = 0.05\n\
                [input]\nkind = \"amplitude\"\nhold = 2e-10\nsamples = 2\nb0 = [0.02, 0.02, 0.0]\ndb = [0.004, 0.004, 0.0]\n\
                [task]\nkind = \"narma2\"\nwashout = 10\ntrain = 40\nvalidation = 10\ntest = 20\n";
    std::fs::write(tmp.path().join("macrospin.toml"), base).unwrap();
    let micro = format!("[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [20e-9, 20e-9, 20e-9]\n{base}");
    std::fs::write(tmp.path().join("micro.toml"), micro).unwrap();
    let sweep = "[[group]]\nlabel = \"macrospin\"\nbase = \"macrospin.toml\"\n\
                 [[group.axis]]\nkey = \"input.hold\"\nvalues = [2e-10, 3e-10]\n\
                 [[group]]\nlabel = \"micromagnetic\"\nbase = \"micro.toml\"\n\
                 [[group.axis]]\nkey = \"input.hold\"\nvalues = [2e-10, 3e-10]\n";
    let file = tmp.path().join("mixed.toml");
    std::fs::write(&file, sweep).unwrap();
    let out = tmp.path().join("out");
    run_ok(&["sweep", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    let recs = records(&out);
    assert_eq!(recs.len(), 4);
    let mut engines: Vec<&str> = recs.values().map(|r| r["engine"].as_str().unwrap()).collect();
    engines.sort();
    assert_eq!(engines, ["macrospin", "macrospin", "micromagnetic", "micromagnetic"]);
    for r in recs.values() {
        assert!(r["error"].is_null() && r["nrmse_test"].as_f64().is_some_and(f64::is_finite), "{r}");
    }
}

#[test]
fn a_second_sweep_on_a_directory_being_written_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path());
    let out = tmp.path().join("busy");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["sweep", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet", "--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !out.join("results.jsonl").exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "the first sweep did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = nanomag(&["sweep", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet", "--resume"]);
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().ok();
    child.wait().ok();
    assert!(still_running, "the first sweep ended before the second started");
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--out") && err.contains("another nanomag process") && err.lines().count() == 1, "{err}");
}
