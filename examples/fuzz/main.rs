//! A mutation fuzzer for nanomag's inputs: it mutates the example configs (types, extremes,
//! NaN/inf, deletions, unknown keys, byte-level damage), OVF files, magnets CSV, tables,
//! results.jsonl and CLI flags, runs the `nanomag` binary on each case and checks that the
//! exit code is 0, 2 or 3, that stderr is one line for 2 and 3, that nothing panics or aborts,
//! and that nothing runs longer than its own cost estimate allows.
//!
//!     cargo build --release && cargo run --release --example fuzz -- --cases 10000
//!
//! Options: `--cases N` (default 10 000), `--seed S` (default 1), `--jobs J` (default 2),
//! `--real F` (fraction of admissible configs also run for real, default 0.5),
//! `--bin PATH` (default target/release/nanomag), `--out DIR` (default target/fuzz: work
//! folders, failures/ with each failing case's command and files, summary.json).
//! Exit code 1 if any case failed. Every case is reproducible from (seed, case index).

mod cases;

use cases::{bases, make_case};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Memory a case may use (ulimit -v, KiB): far above what any admissible tiny run needs.
const MEMORY_KIB: u64 = 6_000_000;
/// Largest estimated work (element updates) a config is run for real with.
const REAL_WORK: f64 = 3e8;

pub struct Opts {
    cases: u64,
    seed: u64,
    jobs: u64,
    real: f64,
    pub bin: PathBuf,
    pub out: PathBuf,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        cases: 10_000,
        seed: 1,
        jobs: 2,
        real: 0.5,
        bin: PathBuf::from("target/release/nanomag"),
        out: PathBuf::from("target/fuzz"),
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let v = pair.get(1).ok_or_else(|| format!("{} needs a value", pair[0]))?;
        let num = |what: &str| v.parse::<f64>().map_err(|_| format!("{what} = {v}: must be a number"));
        match pair[0].as_str() {
            "--cases" => o.cases = num("--cases")? as u64,
            "--seed" => o.seed = num("--seed")? as u64,
            "--jobs" => o.jobs = (num("--jobs")? as u64).clamp(1, 64),
            "--real" => o.real = num("--real")?.clamp(0.0, 1.0),
            "--bin" => o.bin = PathBuf::from(v),
            "--out" => o.out = PathBuf::from(v),
            other => return Err(format!("{other}: unknown option (--cases, --seed, --jobs, --real, --bin, --out)")),
        }
    }
    Ok(o)
}

/// What a case ran and how it ended.
pub struct Case {
    pub command: String,
    pub args: Vec<String>,
    pub timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Ok0,
    Input2,
    Numerical3,
    Exit1,
    MultiLine,
    Panic,
    Signal,
    Hang,
}

impl Outcome {
    fn name(self) -> &'static str {
        match self {
            Outcome::Ok0 => "exit 0",
            Outcome::Input2 => "exit 2 (one line)",
            Outcome::Numerical3 => "exit 3 (one line)",
            Outcome::Exit1 => "FAIL exit 1",
            Outcome::MultiLine => "FAIL message not one line",
            Outcome::Panic => "FAIL panic",
            Outcome::Signal => "FAIL abort/signal",
            Outcome::Hang => "FAIL hang",
        }
    }
    fn failed(self) -> bool {
        self > Outcome::Numerical3
    }
}

/// Runs the binary under a memory limit and a timeout.
pub fn execute(bin: &Path, dir: &Path, args: &[String], timeout: Duration) -> (Outcome, String, String) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB}; exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let Ok(mut child) = cmd.spawn() else { return (Outcome::Signal, String::new(), "spawn failed".into()) };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            _ => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let out = child.wait_with_output().ok();
    let stdout = out.as_ref().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    let stderr = out.as_ref().map(|o| String::from_utf8_lossy(&o.stderr).into_owned()).unwrap_or_default();
    let Some(status) = status else { return (Outcome::Hang, stdout, stderr) };
    let one_line = stderr.trim_end().lines().count() == 1;
    let outcome = if stderr.contains("panicked") {
        Outcome::Panic
    } else {
        match status.code() {
            Some(0) => Outcome::Ok0,
            Some(2) if one_line => Outcome::Input2,
            Some(3) if one_line => Outcome::Numerical3,
            Some(2) | Some(3) => Outcome::MultiLine,
            Some(101) => Outcome::Panic,
            Some(_) => Outcome::Exit1,
            None => Outcome::Signal,
        }
    };
    (outcome, stdout, stderr)
}

/// Counts per (command, outcome), and the failures.
#[derive(Default)]
struct Tally {
    counts: BTreeMap<(String, Outcome), u64>,
    failures: Vec<u64>,
}

/// If a dry run admitted the config, maybe runs it for real (small ones only).
fn real_run(rng: &mut ChaCha8Rng, o: &Opts, case: &Case, stdout: &str) -> Option<Case> {
    if !rng.random_bool(o.real) {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).ok()?;
    let (mem, work) = (v["estimate"]["memory_bytes"].as_f64()?, v["estimate"]["work"].as_f64()?);
    if !(v["within_limits"] == true && mem < 1e9 && work < REAL_WORK) {
        return None;
    }
    let args: Vec<String> = case.args.iter().filter(|a| *a != "--dry-run").cloned().collect();
    let timeout = Duration::from_secs_f64(30.0 + work / 1e7);
    Some(Case { command: format!("{} real", case.command), args, timeout })
}

fn record(o: &Opts, tally: &Mutex<Tally>, i: u64, dir: &Path, case: &Case, r: (Outcome, String, String)) {
    let mut t = tally.lock().unwrap_or_else(|e| e.into_inner());
    let label = case.command.split(" (").next().unwrap_or(&case.command).to_string();
    let label = if case.command.ends_with(" real") { format!("{label} (real run)") } else { label };
    *t.counts.entry((label, r.0)).or_default() += 1;
    if r.0.failed() {
        t.failures.push(i);
        let keep = o.out.join("failures").join(format!("case_{i}"));
        let _ = std::fs::create_dir_all(&keep);
        for f in [
            "case.toml",
            "case.ovf",
            "micro.toml",
            "table.csv",
            "case_magnets.csv",
            "case_custom.toml",
            "res/results.jsonl",
        ] {
            let _ = std::fs::copy(dir.join(f), keep.join(f.replace('/', "_")));
        }
        let _ = std::fs::write(
            keep.join("command.txt"),
            format!("nanomag {}\n{}\n{}", case.args.join(" "), r.0.name(), r.2),
        );
        eprintln!("case {i}: {} — nanomag {} — {}", r.0.name(), case.args.join(" "), r.2.lines().next().unwrap_or(""));
    }
}

fn main() {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("fuzz: {e}");
            std::process::exit(2);
        }
    };
    let b = match bases(&o) {
        Ok(b) => Arc::new(b),
        Err(e) => {
            eprintln!("fuzz: {e}");
            std::process::exit(2);
        }
    };
    let bin = std::fs::canonicalize(&o.bin).expect("checked by bases");
    let start = Instant::now();
    let tally = Mutex::new(Tally::default());
    let done = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|sc| {
        for job in 0..o.jobs {
            let (b, o, tally, bin, done) = (b.clone(), &o, &tally, &bin, &done);
            sc.spawn(move || {
                let dir = o.out.join("work").join(format!("job{job}"));
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).expect("work folder");
                for e in std::fs::read_dir(&b.experiments).expect("experiments").flatten() {
                    let _ = std::fs::copy(e.path(), dir.join(e.file_name()));
                }
                let dir = std::fs::canonicalize(&dir).expect("work folder");
                for i in (job..o.cases).step_by(o.jobs as usize) {
                    let mut rng = ChaCha8Rng::seed_from_u64(o.seed.wrapping_mul(1_000_003).wrapping_add(i));
                    let Ok(case) = make_case(&mut rng, &b, &dir) else { continue };
                    let r = execute(bin, &dir, &case.args, case.timeout);
                    let admitted = r.0 == Outcome::Ok0 && case.args.iter().any(|a| a == "--dry-run");
                    let real = if admitted { real_run(&mut rng, o, &case, &r.1) } else { None };
                    record(o, tally, i, &dir, &case, r);
                    if let Some(rc) = real {
                        let r = execute(bin, &dir, &rc.args, rc.timeout);
                        record(o, tally, i, &dir, &rc, r);
                    }
                    let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    if n % 1000 == 0 {
                        eprintln!("fuzz: {n}/{} cases, {:.0} s", o.cases, start.elapsed().as_secs_f64());
                    }
                }
            });
        }
    });
    let t = tally.into_inner().unwrap_or_else(|e| e.into_inner());
    let secs = start.elapsed().as_secs_f64();
    println!("fuzz: {} cases (seed {}) in {secs:.0} s; {} failed", o.cases, o.seed, t.failures.len());
    println!("{:<32} {:<28} {:>8}", "command", "outcome", "cases");
    for ((c, out), n) in &t.counts {
        println!("{c:<32} {:<28} {n:>8}", out.name());
    }
    let summary = serde_json::json!({
        "cases": o.cases, "seed": o.seed, "seconds": secs, "failed": t.failures.len(),
        "counts": t.counts.iter().map(|((c, out), n)| serde_json::json!({"command": c, "outcome": out.name(), "cases": n})).collect::<Vec<_>>(),
    });
    let _ = std::fs::write(o.out.join("summary.json"), serde_json::to_string_pretty(&summary).unwrap_or_default());
    std::process::exit(if t.failures.is_empty() { 0 } else { 1 });
}
