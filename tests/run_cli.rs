//! `nanomag run` and `nanomag dataset` end to end: every experiment in experiments/ runs
//! (shortened with --set) and writes its files; bad input is one line naming the key, exit 2.

use std::path::Path;
use std::process::Command;

fn nanomag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).args(args).output().expect("binary runs")
}

const SHORT: [&str; 8] =
    ["--set", "task.train=150", "--set", "task.validation=50", "--set", "task.test=60", "--set", "task.washout=60"];

#[test]
fn every_run_experiment_runs_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir("experiments").unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        if path.extension().and_then(|e| e.to_str()) != Some("toml") || !text.contains("[task]") {
            continue;
        }
        let out = dir.path().join(path.file_stem().unwrap());
        let mut args = vec!["run", path.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"];
        args.extend(SHORT);
        let o = nanomag(&args);
        assert!(o.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&o.stderr));
        for f in ["summary.json", "predictions.csv", "prediction.png", "prediction.svg"] {
            assert!(out.join(f).metadata().map(|m| m.len() > 0).unwrap_or(false), "{}: {f} missing", path.display());
        }
        let s: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
        for key in [
            "task",
            "reservoir",
            "nrmse_train",
            "nrmse_test",
            "mse_test",
            "lambda",
            "n_features",
            "steps",
            "wall_seconds",
            "resolved_config",
            "seeds",
        ] {
            assert!(!s[key].is_null(), "{}: summary lacks {key}", path.display());
        }
        assert_eq!(s["steps"].as_u64(), Some(320));
        // The energy parts add up to the total, per run and per step; per step = per run / steps.
        for scope in ["per_run", "per_step"] {
            let e = &s["energy"][scope];
            let part =
                |k: &str| e[k].as_f64().unwrap_or_else(|| panic!("{}: energy.{scope}.{k} missing", path.display()));
            let sum = part("dissipated") + part("field_source") + part("readout") + part("cmos");
            assert!(
                (sum - part("total")).abs() <= 1e-12 * part("total"),
                "{}: {scope} parts {sum:e} ≠ total",
                path.display()
            );
            assert!(part("total") > 0.0 && part("landauer") > 0.0 && part("dissipated") >= 0.0);
        }
        let per = |k: &str| s["energy"]["per_step"][k].as_f64().unwrap() * 320.0;
        assert!((per("total") - s["energy"]["per_run"]["total"].as_f64().unwrap()).abs() <= 1e-9 * per("total"));
        let preds = std::fs::read_to_string(out.join("predictions.csv")).unwrap();
        assert_eq!(preds.lines().next(), Some("t,target,prediction,split"));
        assert_eq!(preds.lines().count(), 1 + 260);
        if s["task"] == "memory_capacity" {
            assert!(out.join("memory_capacity.png").exists() && s["memory_capacity"].as_f64().unwrap() > 0.0);
        }
        n += 1;
    }
    assert!(n >= 6, "narma10 (+ esn, delay-line twins), mackey_glass, memory_capacity, sine_square");
}

#[test]
fn repeats_report_mean_and_std_and_states_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let mut args = vec![
        "run",
        "experiments/narma10_esn.toml",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--repeats",
        "3",
        "--states",
    ];
    args.extend(SHORT);
    let o = nanomag(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["repeats"]["n"], 3);
    let v: Vec<f64> =
        s["repeats"]["nrmse_test"]["values"].as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect();
    assert_eq!(v.len(), 3);
    assert_eq!(v[0], s["nrmse_test"].as_f64().unwrap(), "repeat 0 is the run the files show");
    assert!(v[1] != v[0], "repeats use other seeds");
    let states = std::fs::read_to_string(out.join("states.csv")).unwrap();
    assert_eq!(states.lines().count(), 1 + 320);
    assert_eq!(states.lines().next().unwrap().split(',').count(), 1 + 100);
}

#[test]
fn dataset_exports_t_u_y() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("n.csv");
    let o = nanomag(&["dataset", "narma10", "--steps", "50", "--seed", "3", "--out", f.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&f).unwrap();
    assert_eq!(text.lines().next(), Some("t,u,y"));
    assert_eq!(text.lines().count(), 51);
    let row1: Vec<f64> = text.lines().nth(1).unwrap().split(',').map(|v| v.parse().unwrap()).collect();
    assert_eq!((row1[0], row1[2]), (0.0, 0.1), "y(1) = 0.1 by hand");
    let f2 = dir.path().join("mg.csv");
    let o = nanomag(&[
        "dataset",
        "mackey_glass",
        "--steps",
        "5",
        "--out",
        f2.to_str().unwrap(),
        "--set",
        "task.horizon=2",
        "--quiet",
    ]);
    assert!(o.status.success());
    let o = nanomag(&["dataset", "lorenz", "--out", f2.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("task.kind"));
}

fn run_bad(toml: &str, extra: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, toml).unwrap();
    let out = dir.path().join("o");
    let mut args = vec!["run", cfg.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"];
    args.extend(extra);
    let o = nanomag(&args);
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn bad_run_input_gets_one_line_naming_the_key_and_exit_2() {
    let amp = "[input]\ndb = [0.01, 0.0, 0.0]\n";
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        ("[reservoir]\nkind = \"lstm\"\n".into(), vec![], "reservoir.kind"),
        ("[task]\nkind = \"lorenz\"\n".into(), vec![], "task.kind"),
        (format!("{amp}hold = -1e-9\n"), vec![], "input.hold"),
        ("[input]\nkind = \"amplitude\"\n".into(), vec![], "input.db"),
        (format!("{amp}samples = 0\n"), vec![], "input.samples"),
        (format!("{amp}rise = 1e-9\n"), vec![], "input.rise"),
        ("[input]\nkind = \"minor_loop\"\nh_max = 0.05\nmask = \"binary\"\n".into(), vec![], "input.mask"),
        (format!("{amp}[features]\ncomponents = [\"x\"]\n"), vec![], "features.components"),
        (format!("{amp}[readout]\nlambdas = [-1.0]\n"), vec![], "readout.lambdas"),
        (format!("{amp}[readout]\nlambdas = [1e308]\n"), vec![], "readout.lambdas"),
        (format!("{amp}[readout]\nlambdas = [1e-20, 1.0]\n"), vec![], "readout.lambdas"),
        (format!("{amp}[readout]\nlambdas = []\n"), vec![], "readout.lambdas"),
        (format!("{amp}[task]\ntrain = 2\n"), vec![], "task.train"),
        // A λ grid cannot be chosen on fewer than 2 validation steps (was a silent first λ).
        (format!("{amp}[task]\nvalidation = 1\n"), vec![], "task.validation"),
        ("[task]\nkind = \"memory_capacity\"\ndelays = 50\nwashout = 10\n".into(), vec![], "task.washout"),
        (format!("{amp}[[field]]\nb = [0.0, 0.0, 0.1]\nduration = 1e-9\n"), vec![], "field"),
        ("[reservoir]\nkind = \"esn\"\nn = 0\n".into(), vec![], "reservoir.n"),
        ("[reservoir]\nkind = \"esn\"\n[input]\nhold = 1e-9\n".into(), vec![], "input"),
        (format!("{amp}[solver]\nmethod = \"rk4\"\ndt = 1e-11\n"), vec![], "solver.dt"),
        (format!("{amp}[energy]\nfield_source = \"laser\"\n"), vec![], "energy.field_source"),
        (format!("{amp}[energy.stripline]\nwidth = -1.0\n"), vec![], "energy.stripline.width"),
        (
            format!("{amp}[energy]\nfield_source = \"none\"\n[energy.stripline]\nwidth = 1e-6\n"),
            vec![],
            "energy.stripline",
        ),
        (format!("{amp}[energy]\nmult = -1e-12\n"), vec![], "energy.mult"),
        (format!("{amp}[features]\nkind = \"spectrum\"\ncomponents = [\"long\"]\n"), vec![], "features.components"),
        (format!("{amp}[features]\nkind = \"spectrum\"\nf_max = 1e12\n"), vec![], "features.f_max"),
        (format!("{amp}[features]\nchannels = 8\n"), vec![], "features.kind"),
        (format!("{amp}[features]\nkind = \"spectrum\"\n[spectrum]\nringdown = 1e-12\n"), vec![], "spectrum.ringdown"),
        ("[reservoir]\nkind = \"esn\"\n[energy]\nfield_source = \"stripline\"\n".into(), vec![], "energy.field_source"),
        (amp.to_string(), vec!["--set", "input.hold"], "--set"),
        (amp.to_string(), vec!["--set", "input.hold=\"long\""], "--set"),
        (amp.to_string(), vec!["--repeats", "0"], "--repeats"),
    ];
    for (toml, extra, key) in cases {
        let (code, err) = run_bad(&toml, &extra);
        assert_eq!(code, 2, "{key}: exit {code}, stderr {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{key}: not one line: {err}");
        assert!(err.starts_with("error: ") && err.contains(key), "{key}: {err}");
    }
    // simulate refuses run sections, naming them.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("r.toml");
    std::fs::write(&cfg, "[task]\nkind = \"narma10\"\n[[field]]\nb = [0.0, 0.0, 0.1]\nduration = 1e-10\n").unwrap();
    let o = nanomag(&["simulate", cfg.to_str().unwrap(), "--out", dir.path().join("o").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nanomag run"));
    assert!(!Path::new("out/bad").exists());
}
