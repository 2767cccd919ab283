//! `nanomag optimise` on real (small, fast) experiments: a search killed with SIGKILL and
//! resumed journals every evaluation once and equals an uninterrupted one; the optimiser never
//! sees a test score (poisoned test targets change neither a proposal nor a validation score);
//! shards split a batch and merge into the same journal; two objectives give Pareto designs
//! re-run on unseen seeds; bad files and flags exit 2 with one line.

use nanomag::optimise::journal::{self, Entry};
use nanomag::optimise::{self, Problem};
use nanomag::reservoir::config::ExperimentConfig;
use nanomag::reservoir::experiment;
use nanomag::sweep::Shard;
use std::path::Path;
use std::process::{Command, Output};

fn nanomag(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).args(args).output().unwrap()
}

/// An ESN on NARMA10, and an optimise file over its spectral radius, input scaling and size.
fn setup(dir: &Path, train: usize, search: &str) -> std::path::PathBuf {
    let exp = format!("[reservoir]\nkind = \"esn\"\nn = 40\n[task]\nkind = \"narma10\"\ntrain = {train}\nvalidation = 200\ntest = 300\n");
    std::fs::write(dir.join("esn.toml"), exp).unwrap();
    let opt = format!(
        "base = \"esn.toml\"\n[search]\n{search}\n[final]\nrepeats = \"2x1\"\n[[reference]]\nlabel = \"defaults\"\n\
         [[param]]\nkey = \"reservoir.spectral_radius\"\nrange = [0.05, 2.0]\nlog = true\n\
         [[param]]\nkey = \"reservoir.input_scaling\"\nrange = [0.01, 10.0]\nlog = true\n\
         [[param]]\nkey = \"reservoir.n\"\nint = [10, 80]\nlog = true\n"
    );
    let path = dir.join("opt.toml");
    std::fs::write(&path, opt).unwrap();
    path
}

fn entries(dir: &Path) -> Vec<Entry> {
    journal::read_all(dir).unwrap().iter().map(Entry::timeless).collect()
}

/// Killed (SIGKILL) after a few evaluations, a partial line added as a crash would leave it,
/// then resumed: the journal holds each evaluation once and equals an uninterrupted search's,
/// and the choice and its final scores are the same.
#[test]
fn resumes_after_kill_9() {
    let tmp = tempfile::tempdir().unwrap();
    let file = setup(tmp.path(), 3000, "evaluations = 18\nbatch = 2\ninitial = 6\nrepeats = \"2\"");
    let f = file.to_str().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(nanomag(&["optimise", f, "--out", a.to_str().unwrap(), "--quiet"]).status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["optimise", f, "--out", b.to_str().unwrap(), "--quiet"])
        .spawn()
        .unwrap();
    let journal = b.join(journal::JOURNAL);
    let start = std::time::Instant::now();
    while std::fs::read_to_string(&journal).map_or(0, |t| t.lines().count()) < 7 && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = entries(&b);
    assert!(before.len() >= 7 && before.len() < 18, "killed after {} evaluations", before.len());
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("{\"index\":99,\"batch\""); // a line cut off
    std::fs::write(&journal, text).unwrap();
    let again = nanomag(&["optimise", f, "--out", b.to_str().unwrap(), "--quiet"]);
    assert_eq!(again.status.code(), Some(2), "without --resume an existing search is refused");
    let resumed = nanomag(&["optimise", f, "--out", b.to_str().unwrap(), "--resume"]);
    assert!(resumed.status.success(), "{}", String::from_utf8_lossy(&resumed.stderr));
    let said = String::from_utf8_lossy(&resumed.stderr);
    assert!(said.contains(&format!("{} evaluated here, 18 in the search", 18 - before.len())), "{said}");
    let (ea, eb) = (entries(&a), entries(&b));
    assert_eq!(eb.len(), 18);
    assert_eq!(ea, eb, "the resumed search differs from the uninterrupted one");
    let lines = std::fs::read_to_string(&journal).unwrap().lines().count();
    assert_eq!(lines, 18, "an evaluation was journaled twice");
    let summary = |d: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(d.join("summary.json")).unwrap()).unwrap()
    };
    let (sa, sb) = (summary(&a), summary(&b));
    assert_eq!(sa["final"][0]["params"], sb["final"][0]["params"]);
    assert_eq!(sa["final"][0]["test_mean"], sb["final"][0]["test_mean"]);
    assert_eq!(sa["best_so_far"], sb["best_so_far"]);
    for f in ["convergence.png", "pareto.png", "evaluations.csv", "results.jsonl"] {
        assert!(b.join(f).exists(), "{f}");
    }
}

/// Poisoned test targets: every journal entry (proposal, validation scores, metrics) is
/// unchanged; only the final test scores move.
#[test]
fn never_reads_a_test_score() {
    let tmp = tempfile::tempdir().unwrap();
    let file = setup(tmp.path(), 600, "evaluations = 12\nbatch = 2\ninitial = 6\nrepeats = \"2x1\"");
    let problem = Problem::load(&file, None).unwrap();
    let poison = |cfg: &ExperimentConfig| {
        let mut d = experiment::task_data(cfg);
        let from = cfg.split.steps() - cfg.split.test;
        for y in &mut d.y {
            for (t, v) in y.iter_mut().enumerate().skip(from) {
                *v = 1e3 * ((t * 7919) % 13) as f64;
            }
        }
        d
    };
    let run = |out: &Path, data: optimise::evaluate::Data| {
        let opts = optimise::Options {
            out,
            resume: false,
            shard: Shard::ALL,
            data,
            tick: &|_| {},
            compare: &[],
            baselines: &[],
            figures: false,
        };
        optimise::optimise(&problem, &opts).unwrap()
    };
    let (a, b) = (tmp.path().join("clean"), tmp.path().join("poisoned"));
    let clean = run(&a, &experiment::task_data);
    let poisoned = run(&b, &poison);
    assert_eq!(entries(&a), entries(&b), "the search moved with the test targets");
    assert_eq!(clean.finals[0].params, poisoned.finals[0].params);
    assert_eq!(clean.finals[0].validation_mean, poisoned.finals[0].validation_mean);
    assert!(
        (clean.finals[0].test_mean - poisoned.finals[0].test_mean).abs() > 1.0,
        "the poison did not reach the final test score"
    );
    let journal = std::fs::read_to_string(a.join(journal::JOURNAL)).unwrap();
    assert!(!journal.contains("test"), "the journal holds a test score");
}

/// Two shards evaluate each batch's halves into their own journals; the unsharded call then
/// finds the search complete and finishes it. The merged journal equals an unsharded search's.
#[test]
fn shards_split_batches() {
    let tmp = tempfile::tempdir().unwrap();
    let file = setup(tmp.path(), 600, "evaluations = 10\nbatch = 2\ninitial = 4\nrepeats = \"1\"");
    let f = file.to_str().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    assert!(nanomag(&["optimise", f, "--out", one.to_str().unwrap(), "--quiet"]).status.success());
    for round in 0..4 {
        for k in ["0/2", "1/2"] {
            let o = nanomag(&["optimise", f, "--out", two.to_str().unwrap(), "--shard", k, "--quiet"]);
            assert!(o.status.success(), "round {round} shard {k}: {}", String::from_utf8_lossy(&o.stderr));
        }
    }
    assert!(two.join("journal.shard-0-of-2.jsonl").exists() && two.join("journal.shard-1-of-2.jsonl").exists());
    assert!(!two.join("summary.json").exists(), "a shard does not finish the search");
    let o = nanomag(&["optimise", f, "--out", two.to_str().unwrap(), "--resume"]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("0 evaluated here, 10 in the search"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(entries(&one), entries(&two));
}

/// Energy per input as a second objective (the ESN's cost grows with its size): the Pareto
/// designs are re-run on seeds the search never used, and their energies are ordered.
#[test]
fn two_objectives_give_pareto_designs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = setup(tmp.path(), 600, "evaluations = 14\nbatch = 2\ninitial = 6\nrepeats = \"1\"");
    let text = std::fs::read_to_string(&file).unwrap()
        + "[objective]\nminimise = [\"nrmse_validation\", \"energy_per_input_j\"]\n";
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("o");
    let o = nanomag(&["optimise", file.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let finals: Vec<&serde_json::Value> =
        s["final"].as_array().unwrap().iter().filter(|f| f["index"].is_u64()).collect();
    assert!(finals.len() >= 2, "{} Pareto designs", finals.len());
    let e: Vec<f64> = finals.iter().map(|f| f["energy_per_input_j"].as_f64().unwrap()).collect();
    assert!(e.windows(2).all(|w| w[0] <= w[1]), "{e:?}");
    assert!(finals.iter().all(|f| f["task_seeds"].as_array().unwrap().iter().all(|t| t.as_u64().unwrap() > 1000)));
    assert!(out.join("pareto.png").exists());
}

/// Bad files and flags: exit 2, one line naming the key.
#[test]
fn bad_input_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let file = setup(tmp.path(), 600, "evaluations = 4");
    let good = std::fs::read_to_string(&file).unwrap();
    let cases = [
        ("[search]\nevaluations = 4", "[search]\nevaluations = 0", "search.evaluations"),
        ("range = [0.05, 2.0]", "range = [2.0, 0.05]", "param[0].range"),
        ("key = \"reservoir.n\"", "key = \"reservoir.seed\"", "param[2].key"),
        ("key = \"reservoir.n\"", "key = \"reservoir.nn\"", "reservoir"),
        (
            "label = \"defaults\"",
            "label = \"defaults\"\n[objective]\nminimise = [\"nrmse_test\"]",
            "objective.minimise",
        ),
        ("repeats = \"2x1\"", "repeats = \"2x1\"\nseed_offset = 0", "final.seed_offset"),
    ];
    for (from, to, key) in cases {
        let bad = tmp.path().join("bad.toml");
        std::fs::write(&bad, good.replacen(from, to, 1)).unwrap();
        let o = nanomag(&["optimise", bad.to_str().unwrap(), "--out", tmp.path().join("x").to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(key) && err.lines().count() == 1, "{to}: {err}");
    }
    for (flag, value) in [("--method", "cmaes"), ("--shard", "2/2"), ("--repeats", "0"), ("--evaluations", "0")] {
        let o = nanomag(&[
            "optimise",
            file.to_str().unwrap(),
            flag,
            value,
            "--out",
            tmp.path().join("y").to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {err}");
        assert!(err.contains(flag) && err.lines().count() == 1, "{err}");
    }
    let o = nanomag(&["--dry-run", "optimise", file.to_str().unwrap()]);
    assert!(o.status.success() && String::from_utf8_lossy(&o.stdout).contains("\"command\":\"optimise\""));
}

/// examples/slurm/optimise_array.sh as two array tasks at once (SLURM_ARRAY_TASK_ID set by
/// hand, no scheduler): each loops until the budget is spent, then the unsharded finish; the
/// shards' journals together equal an unsharded search's.
#[test]
fn slurm_array_script_completes_a_search() {
    let tmp = tempfile::tempdir().unwrap();
    let file = setup(tmp.path(), 600, "evaluations = 8\nbatch = 2\ninitial = 4\nrepeats = \"1\"");
    let f = file.to_str().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    assert!(nanomag(&["optimise", f, "--out", one.to_str().unwrap(), "--quiet"]).status.success());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/slurm/optimise_array.sh");
    let tasks: Vec<_> = (0..2)
        .map(|k| {
            Command::new("bash")
                .args([script, f, two.to_str().unwrap(), "2"])
                .env("SLURM_ARRAY_TASK_ID", k.to_string())
                .env("NANOMAG", env!("CARGO_BIN_EXE_nanomag"))
                .env("POLL", "0.2")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let tasks: Vec<Output> = tasks.into_iter().map(|t| t.wait_with_output().unwrap()).collect();
    for t in &tasks {
        assert!(
            t.status.success() && String::from_utf8_lossy(&t.stdout).contains("(budget spent)"),
            "{}",
            String::from_utf8_lossy(&t.stdout)
        );
    }
    assert!(nanomag(&["optimise", f, "--out", two.to_str().unwrap(), "--resume", "--quiet"]).status.success());
    assert_eq!(entries(&one), entries(&two));
    assert!(two.join("summary.json").exists());
}
