//! A sharded sweep on a real one-node Slurm cluster (examples/slurm/): started by the test,
//! the sweep submitted as a 3-task job array, one running task cancelled with `scancel` after
//! it wrote a point and resubmitted, the merge job run after them by dependency; the merged
//! records must equal, record for record, the same sweep run by `nanomag sweep` on one
//! machine — no point lost or repeated, the failing point recorded with its error.
//! Skipped, saying so, where Slurm is not installed (`.ci/run` installs slurm-wlm and munge).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

/// The local cluster, stopped when dropped.
struct Cluster {
    dir: PathBuf,
    conf: String,
}

impl Cluster {
    fn start(dir: &Path) -> Cluster {
        let o = Command::new("examples/slurm/local_cluster.sh").arg("start").arg(dir).output().unwrap();
        assert!(o.status.success(), "cluster did not start: {}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8_lossy(&o.stdout);
        let conf = out.trim().strip_prefix("export SLURM_CONF=").expect("SLURM_CONF line").to_string();
        Cluster { dir: dir.to_path_buf(), conf }
    }

    /// Runs a Slurm command with this cluster's config; its stdout.
    fn cmd(&self, args: &[&str]) -> String {
        let o = Command::new(args[0])
            .args(&args[1..])
            .env("SLURM_CONF", &self.conf)
            .env("NANOMAG", env!("CARGO_BIN_EXE_nanomag"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    /// Job ids still in the queue.
    fn queued(&self) -> String {
        self.cmd(&["squeue", "-h", "-o", "%i %T"])
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("scancel").args(["-u", &whoami()]).env("SLURM_CONF", &self.conf).status();
        let _ = Command::new("examples/slurm/local_cluster.sh").arg("stop").arg(&self.dir).status();
    }
}

fn whoami() -> String {
    String::from_utf8_lossy(&Command::new("id").arg("-un").output().unwrap().stdout).trim().to_string()
}

/// 12 magnet points (hold × size × seed), 2 ESN points and one point that fails numerically.
fn sweep_file(dir: &Path) -> PathBuf {
    std::fs::write(dir.join("magnets.toml"), std::fs::read_to_string("experiments/narma10.toml").unwrap()).unwrap();
    std::fs::write(dir.join("esn.toml"), std::fs::read_to_string("experiments/narma10_esn.toml").unwrap()).unwrap();
    let short = r#""task.washout" = 60, "task.train" = 400, "task.validation" = 50, "task.test" = 60"#;
    let text = format!(
        "[[group]]\nlabel = \"magnets\"\nbase = \"magnets.toml\"\nset = {{ {short} }}\n\
         [[group.axis]]\nkey = \"input.hold\"\nvalues = [2e-10, 3e-10]\n\
         [[group.axis]]\nkey = [\"lattice.nx\", \"lattice.ny\"]\nlinspace = [3, 4, 2]\n\
         [[group.axis]]\nkey = \"seed\"\nvalues = [0, 1, 2]\n\
         [[group]]\nlabel = \"ESN\"\nbase = \"esn.toml\"\nset = {{ {short} }}\n\
         [[group.axis]]\nkey = \"reservoir.n\"\nvalues = [10, 20]\n\
         [[group]]\nlabel = \"diverges\"\nbase = \"magnets.toml\"\n\
         set = {{ {short}, \"solver.method\" = \"rk45\", \"solver.max_err\" = 0.1 }}\n"
    );
    let path = dir.join("sweep.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Records by hash, without wall times; asserts no hash appears twice.
fn records(file: &Path) -> BTreeMap<String, serde_json::Value> {
    let mut out = BTreeMap::new();
    for line in std::fs::read_to_string(file).unwrap().lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        v["wall_seconds"] = serde_json::Value::Null;
        let hash = v["hash"].as_str().unwrap().to_string();
        assert!(out.insert(hash.clone(), v).is_none(), "point {hash} appears twice in {}", file.display());
    }
    out
}

fn wait(what: &str, limit: u64, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(limit), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn sharded_sweep_on_slurm_survives_a_cancelled_task_and_merges_to_the_single_machine_result() {
    if !["sbatch", "slurmctld", "slurmd", "munged"].iter().all(|t| have(t)) {
        eprintln!("SKIPPED: Slurm is not installed here (Debian: apt-get install slurm-wlm munge; .ci/run does)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sweep = sweep_file(tmp.path());
    let s = sweep.to_str().unwrap();

    // The single-machine reference.
    let whole = tmp.path().join("whole");
    let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["sweep", s, "--out", whole.to_str().unwrap(), "--quiet", "--threads", "2"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reference = records(&whole.join("results.jsonl"));
    assert_eq!(reference.len(), 15);
    let failed: Vec<_> = reference.values().filter(|r| !r["error"].is_null()).collect();
    assert_eq!(failed.len(), 1, "exactly the diverging point fails: {failed:?}");

    let cluster = Cluster::start(&tmp.path().join("cluster"));
    let out = tmp.path().join("shared");
    let logs = out.join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let (o, l) = (out.to_str().unwrap(), logs.to_str().unwrap());
    let array = cluster.cmd(&[
        "sbatch",
        "--parsable",
        "--array=0-2",
        &format!("--output={l}/%A_%a.out"),
        "examples/slurm/sweep_array.sh",
        s,
        o,
        "3",
    ]);
    let merge = cluster.cmd(&[
        "sbatch",
        "--parsable",
        &format!("--dependency=afterok:{array}"),
        &format!("--output={l}/merge_%j.out"),
        "examples/slurm/merge.sh",
        o,
        "3",
    ]);

    // Cancel task 1 once it has written a point (and before it is done), then resubmit it.
    let shard1 = out.join("shard_1").join("results.jsonl");
    let lines = || std::fs::read_to_string(&shard1).map(|t| t.lines().count()).unwrap_or(0);
    wait("task 1's first point", 300, || lines() >= 1);
    let task1 = format!("{array}_1");
    assert!(cluster.queued().contains(&format!("{task1} RUNNING")), "task 1 finished before it could be cancelled");
    cluster.cmd(&["scancel", &task1]);
    wait("task 1 to leave the queue", 60, || !cluster.queued().contains(&task1));
    let written = lines();
    assert!(written < 5, "task 1 had already finished its 5 points");
    let resubmitted = cluster.cmd(&[
        "sbatch",
        "--parsable",
        "--array=1",
        &format!("--output={l}/%A_%a.out"),
        "examples/slurm/sweep_array.sh",
        s,
        o,
        "3",
    ]);
    // The merge waits for the original array to end and the resubmitted task to succeed.
    cluster.cmd(&[
        "scontrol",
        "update",
        &format!("JobId={merge}"),
        &format!("Dependency=afterany:{array},afterok:{resubmitted}"),
    ]);
    wait("the merge job", 600, || !cluster.queued().contains(&merge));

    let merged_file = out.join("merged").join("results.jsonl");
    assert!(
        merged_file.exists(),
        "merge job did not write results: {:?}",
        std::fs::read_dir(&logs).unwrap().collect::<Vec<_>>()
    );
    let merged = records(&merged_file);
    assert_eq!(merged, reference, "merged Slurm shards differ from the single-machine sweep");
    // Shard 1 holds each of its points once: the resubmitted task resumed, it did not repeat.
    let shard = records(&shard1);
    assert_eq!(shard.len(), 5, "shard 1 after resume ({written} written before the cancel)");
    // The other tasks, the one with the failing point among them, succeeded.
    for k in [0, 2] {
        let job = cluster.cmd(&["scontrol", "show", "job", "-o", &format!("{array}_{k}")]);
        assert!(job.contains("JobState=COMPLETED") && job.contains("ExitCode=0:0"), "task {k}: {job}");
    }
    let log = std::fs::read_to_string(logs.join(format!("{resubmitted}_1.out"))).unwrap_or_default();
    assert!(log.contains("shard 1/3"), "resubmitted task's log: {log}");
}
