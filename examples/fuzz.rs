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

struct Opts {
    cases: u64,
    seed: u64,
    jobs: u64,
    real: f64,
    bin: PathBuf,
    out: PathBuf,
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
struct Case {
    command: String,
    args: Vec<String>,
    timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
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
fn execute(bin: &Path, dir: &Path, args: &[String], timeout: Duration) -> (Outcome, String, String) {
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

/// Values a mutation may put anywhere.
fn extreme(rng: &mut ChaCha8Rng) -> toml::Value {
    use toml::Value as V;
    let pool: Vec<V> = vec![
        V::Integer(0),
        V::Integer(-1),
        V::Integer(1),
        V::Integer(3),
        V::Integer(100_000),
        V::Integer(i64::MAX),
        V::Integer(i64::MIN),
        V::Float(0.0),
        V::Float(-1.0),
        V::Float(2.5),
        V::Float(1e308),
        V::Float(-1e308),
        V::Float(5e-324),
        V::Float(1e-30),
        V::Float(f64::NAN),
        V::Float(f64::INFINITY),
        V::Float(f64::NEG_INFINITY),
        V::String(String::new()),
        V::String("square".into()),
        V::String("\u{0}\u{ffff}".into()),
        V::Boolean(true),
        V::Array(vec![]),
        V::Array(vec![V::Float(f64::NAN); 3]),
        V::Array(vec![V::Float(1.0), V::Float(2.0)]),
        V::Table(toml::Table::new()),
    ];
    pool[rng.random_range(0..pool.len())].clone()
}

/// Every leaf of a table as a dotted path (list elements by index).
fn leaves(v: &toml::Value, prefix: &str, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => t.iter().for_each(|(k, x)| leaves(x, &join(prefix, k), out)),
        toml::Value::Array(a) if a.iter().any(|x| x.is_table()) => {
            a.iter().enumerate().for_each(|(i, x)| leaves(x, &join(prefix, &i.to_string()), out))
        }
        _ => out.push(prefix.to_string()),
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// The value at a dotted path, to replace (None deletes).
fn set(root: &mut toml::Value, path: &str, value: Option<toml::Value>) {
    let parts: Vec<&str> = path.split('.').collect();
    let mut node = root;
    for p in &parts[..parts.len() - 1] {
        node = match node {
            toml::Value::Table(t) => match t.get_mut(*p) {
                Some(n) => n,
                None => return,
            },
            toml::Value::Array(a) => match p.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(n) => n,
                None => return,
            },
            _ => return,
        };
    }
    let last = parts[parts.len() - 1];
    match (node, value) {
        (toml::Value::Table(t), Some(v)) => {
            t.insert(last.to_string(), v);
        }
        (toml::Value::Table(t), None) => {
            t.remove(last);
        }
        (toml::Value::Array(a), v) => {
            if let Ok(i) = last.parse::<usize>() {
                match v {
                    Some(v) if i < a.len() => a[i] = v,
                    None if i < a.len() => {
                        a.remove(i);
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Byte-level damage: flips, cuts, duplicated spans, inserted junk.
fn damage(rng: &mut ChaCha8Rng, bytes: &mut Vec<u8>) {
    for _ in 0..rng.random_range(1..4) {
        if bytes.is_empty() {
            bytes.push(b'x');
        }
        let n = bytes.len();
        let i = rng.random_range(0..n);
        match rng.random_range(0..5) {
            0 => bytes[i] ^= 1 << rng.random_range(0..8),
            1 => {
                let j = (i + rng.random_range(1..64)).min(n);
                bytes.drain(i..j);
            }
            2 => {
                let j = (i + rng.random_range(1..64)).min(n);
                let span = bytes[i..j].to_vec();
                bytes.splice(i..i, span);
            }
            3 => bytes.truncate(i),
            _ => {
                let junk = [b"nan".as_slice(), b"1e308", b"-", b"\"", b"[", b"\n", b"=", b",", b"\0", b"99999999999"];
                bytes.splice(i..i, junk[rng.random_range(0..junk.len())].iter().copied());
            }
        }
    }
}

/// A mutated config text.
fn mutate_toml(rng: &mut ChaCha8Rng, text: &str) -> Vec<u8> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else { return text.as_bytes().to_vec() };
    let mut root = toml::Value::Table(table);
    if rng.random_bool(0.2) {
        let mut bytes = text.as_bytes().to_vec();
        damage(rng, &mut bytes);
        return bytes;
    }
    for _ in 0..rng.random_range(1..4) {
        let mut paths = Vec::new();
        leaves(&root, "", &mut paths);
        if paths.is_empty() {
            break;
        }
        let p = paths[rng.random_range(0..paths.len())].clone();
        match rng.random_range(0..10) {
            0 => set(&mut root, &p, None),
            1 => {
                let parent = p.rsplit_once('.').map_or(String::new(), |(a, _)| a.to_string());
                set(&mut root, &join(&parent, "no_such_key"), Some(toml::Value::Integer(1)));
            }
            2 | 3 => {
                let scaled = match toml_at(&root, &p) {
                    Some(toml::Value::Float(f)) => toml::Value::Float(f * 10f64.powi(rng.random_range(-30..30))),
                    Some(toml::Value::Integer(i)) => toml::Value::Integer(i.saturating_mul(rng.random_range(-3..1000))),
                    _ => extreme(rng),
                };
                set(&mut root, &p, Some(scaled));
            }
            _ => {
                let v = extreme(rng);
                set(&mut root, &p, Some(v));
            }
        }
    }
    toml::to_string(&root).map(String::into_bytes).unwrap_or_else(|_| text.as_bytes().to_vec())
}

fn toml_at<'a>(root: &'a toml::Value, path: &str) -> Option<&'a toml::Value> {
    path.split('.').try_fold(root, |n, p| match n {
        toml::Value::Table(t) => t.get(p),
        toml::Value::Array(a) => p.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

/// Shrinks an example so a real run of it takes well under a second.
fn shrink(text: &str) -> String {
    let Ok(mut t) = toml::from_str::<toml::Table>(text) else { return text.to_string() };
    if let Some(toml::Value::Table(task)) = t.get_mut("task") {
        for (k, v) in [("washout", 20), ("train", 60), ("validation", 20), ("test", 20)] {
            task.insert(k.into(), toml::Value::Integer(v));
        }
    }
    if let Some(toml::Value::Table(l)) = t.get_mut("lattice") {
        for k in ["nx", "ny"] {
            if let Some(toml::Value::Integer(n)) = l.get_mut(k) {
                *n = (*n).min(3);
            }
        }
    }
    toml::to_string(&t).unwrap_or_else(|_| text.to_string())
}

/// The material cases are made from.
struct Bases {
    /// (file name, subcommand, shrunk text) of every example config.
    configs: Vec<(String, &'static str, String)>,
    /// A tiny micromagnetic config reading `case.ovf`, and an OVF that fits it.
    micro: String,
    ovf: Vec<u8>,
    table: Vec<u8>,
    results: Vec<u8>,
    magnets: Vec<u8>,
    experiments: PathBuf,
}

fn kind_of(text: &str) -> Option<&'static str> {
    if text.contains("[[group]]") {
        Some("sweep")
    } else if text.contains("[task]") {
        Some("run")
    } else if text.contains("[spectrum]") {
        None // `spectrum` has no --dry-run: its runs are long
    } else {
        Some("simulate")
    }
}

fn bases(o: &Opts) -> Result<Bases, String> {
    let experiments = std::fs::canonicalize("experiments")
        .map_err(|e| format!("experiments/: {e} (run from the repository root)"))?;
    let mut configs = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&experiments)
        .map_err(|e| format!("experiments/: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    names.sort();
    for p in names {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        if let Some(kind) = kind_of(&text) {
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            configs.push((name, kind, shrink(&text)));
        }
    }
    // A tiny micromagnetic config and its own final state as an OVF file to mutate.
    let entry = nanomag::engine::entry("micromagnetic").ok_or("no micromagnetic engine")?;
    let seed_dir = o.out.join("seed");
    std::fs::create_dir_all(&seed_dir).map_err(|e| e.to_string())?;
    std::fs::write(seed_dir.join("micro.toml"), entry.example).map_err(|e| e.to_string())?;
    let args: Vec<String> = ["simulate", "micro.toml", "--out", "m", "--quiet"].map(String::from).to_vec();
    let (r, _, err) = execute(
        &std::fs::canonicalize(&o.bin).map_err(|e| format!("{}: {e}", o.bin.display()))?,
        &seed_dir,
        &args,
        Duration::from_secs(60),
    );
    if r != Outcome::Ok0 {
        return Err(format!("the seed micromagnetic run failed: {err}"));
    }
    let ovf = std::fs::read(seed_dir.join("m/m_final.ovf")).map_err(|e| e.to_string())?;
    let table = std::fs::read(seed_dir.join("m/table.csv")).map_err(|e| e.to_string())?;
    let micro = format!("{}\n[init]\nkind = \"ovf\"\nfile = \"case.ovf\"\n", entry.example);
    let results: Vec<u8> = std::fs::read_to_string("data/energy_sweep/results.jsonl")
        .map_err(|e| format!("data/energy_sweep/results.jsonl: {e}"))?
        .lines()
        .take(3)
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    let magnets = std::fs::read("experiments/custom_magnets.csv").map_err(|e| e.to_string())?;
    Ok(Bases { configs, micro, ovf, table, results, magnets, experiments })
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Writes case `i`'s files into `dir` and returns what to run.
fn make_case(rng: &mut ChaCha8Rng, b: &Bases, dir: &Path) -> std::io::Result<Case> {
    let short = Duration::from_secs(60);
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes);
    let pick = |rng: &mut ChaCha8Rng, v: &[&str]| v[rng.random_range(0..v.len())].to_string();
    let roll = rng.random_range(0..100);
    if roll < 70 {
        let (name, kind, text) = &b.configs[rng.random_range(0..b.configs.len())];
        w("case.toml", &mutate_toml(rng, text))?;
        let args = s(&[kind, "case.toml", "--out", "o", "--quiet", "--dry-run"]);
        return Ok(Case { command: format!("{kind} ({name})"), args, timeout: short });
    }
    if roll < 78 {
        let mut ovf = b.ovf.clone();
        if rng.random_bool(0.5) {
            damage(rng, &mut ovf);
        } else {
            // Header edits: node counts, step sizes, value dimension, encoding.
            let text = String::from_utf8_lossy(&ovf[..ovf.len().min(1200)]).into_owned();
            let keys = ["xnodes", "ynodes", "znodes", "xstepsize", "valuedim", "Begin: Data"];
            let key = keys[rng.random_range(0..keys.len())];
            let vals = ["0", "-1", "nan", "1e308", "100000000000", "3", "Text", "Binary 8", ""];
            if let Some(i) = text.find(key) {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                let new = format!("{key}: {}", vals[rng.random_range(0..vals.len())]);
                ovf.splice(i..end, new.into_bytes());
            }
        }
        w("case.ovf", &ovf)?;
        w("micro.toml", b.micro.as_bytes())?;
        let args = s(&["simulate", "micro.toml", "--out", "o", "--quiet"]);
        return Ok(Case { command: "simulate (OVF init)".into(), args, timeout: short });
    }
    if roll < 84 {
        let mut t = b.table.clone();
        damage(rng, &mut t);
        w("table.csv", &t)?;
        let args = if rng.random_bool(0.5) {
            s(&["compare", "table.csv", "--out", "c.png", "--quiet"])
        } else {
            s(&["ringdown", "table.csv", "--out", "r", "--quiet"])
        };
        return Ok(Case { command: format!("{} (table)", args[0]), args, timeout: short });
    }
    if roll < 89 {
        let mut r = b.results.clone();
        damage(rng, &mut r);
        std::fs::create_dir_all(dir.join("res"))?;
        w("res/results.jsonl", &r)?;
        let args = if rng.random_bool(0.5) {
            s(&["plot", "res", "--quiet"])
        } else {
            s(&["merge", "res", "--out", "merged", "--quiet"])
        };
        return Ok(Case { command: format!("{} (results.jsonl)", args[0]), args, timeout: short });
    }
    if roll < 93 {
        let mut m = b.magnets.clone();
        damage(rng, &mut m);
        w("case_magnets.csv", &m)?;
        let text = std::fs::read_to_string(b.experiments.join("custom.toml"))?
            .replace("custom_magnets.csv", "case_magnets.csv");
        w("case_custom.toml", text.as_bytes())?;
        let args = s(&["simulate", "case_custom.toml", "--out", "o", "--quiet", "--dry-run"]);
        return Ok(Case { command: "simulate (magnets CSV)".into(), args, timeout: short });
    }
    // Flags.
    let num = |rng: &mut ChaCha8Rng| {
        pick(
            rng,
            &["0", "-1", "1", "2", "3x2", "x", "1000000000000", "99999999999999999999", "nan", "0/0", "1/2", "7/3", ""],
        )
    };
    let (name, _, text) =
        &b.configs.iter().find(|c| c.0 == "narma10_esn.toml").cloned().unwrap_or_else(|| b.configs[0].clone());
    w("case.toml", text.as_bytes())?;
    let args = match rng.random_range(0..4) {
        0 => s(&["run", "case.toml", "--out", "o", "--quiet", "--dry-run", "--repeats", &num(rng)]),
        1 => {
            let task = pick(rng, &["narma10", "memory_capacity", "parity", "nonesuch", ""]);
            s(&["dataset", &task, "--steps", &num(rng), "--seed", &num(rng), "--out", "d.csv", "--quiet"])
        }
        2 => {
            let key = pick(
                rng,
                &[
                    "task.train",
                    "reservoir.n",
                    "field.0.duration",
                    "task",
                    "task.kind",
                    "a..b",
                    "readout.lambdas",
                    "task.9.x",
                ],
            );
            let v = pick(rng, &["1", "-5", "nan", "inf", "[1,2]", "{x=1}", "\"s\"", "1e400", "", "true"]);
            s(&["run", "case.toml", "--out", "o", "--quiet", "--dry-run", "--set", &format!("{key}={v}")])
        }
        _ => s(&[
            "sweep",
            &b.experiments.join("energy_sweep.toml").display().to_string(),
            "--out",
            "o",
            "--quiet",
            "--dry-run",
            "--threads",
            &num(rng),
            "--shard",
            &num(rng),
        ]),
    };
    Ok(Case { command: format!("{} (flags, {name})", args[0]), args, timeout: short })
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
