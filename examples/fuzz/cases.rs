//! The fuzzer's cases: mutations of the example configs, OVF files, tables, results.jsonl and
//! magnets CSV, and flags of every command.

use crate::{execute, Case, Opts, Outcome};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::time::Duration;

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

/// A design-search file's `base` made absolute, so the case (run in its own directory) finds
/// the experiment it starts from; its splits shortened and its final runs cut to one, so a
/// real run of two evaluations takes seconds.
fn absolute_base(text: &str, experiments: &Path) -> String {
    let Ok(mut t) = toml::from_str::<toml::Table>(text) else { return text.to_string() };
    if let Some(toml::Value::String(base)) = t.get_mut("base") {
        *base = experiments.join(&*base).display().to_string();
    }
    if let Some(toml::Value::Table(set)) = t.get_mut("set") {
        for (k, v) in [("task.washout", 20), ("task.train", 60), ("task.validation", 20), ("task.test", 20)] {
            set.insert(k.into(), toml::Value::Integer(v));
        }
    }
    for section in ["search", "final"] {
        if let Some(toml::Value::Table(s)) = t.get_mut(section) {
            s.insert("repeats".into(), toml::Value::String("1".into()));
        }
    }
    toml::to_string(&t).unwrap_or_else(|_| text.to_string())
}

/// The material cases are made from.
pub struct Bases {
    /// (file name, subcommand, shrunk text) of every example config.
    configs: Vec<(String, &'static str, String)>,
    /// A tiny micromagnetic config reading `case.ovf`, and an OVF that fits it.
    micro: String,
    ovf: Vec<u8>,
    table: Vec<u8>,
    results: Vec<u8>,
    magnets: Vec<u8>,
    pub experiments: PathBuf,
}

fn kind_of(text: &str) -> Option<&'static str> {
    if text.contains("[search]") {
        Some("optimise")
    } else if text.contains("[[group]]") {
        Some("sweep")
    } else if text.contains("[task]") {
        Some("run")
    } else if text.contains("[spectrum]") {
        Some("spectrum")
    } else {
        Some("simulate")
    }
}

pub fn bases(o: &Opts) -> Result<Bases, String> {
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
            configs.push((name, kind, absolute_base(&shrink(&text), &experiments)));
        }
    }
    // A tiny micromagnetic config and its own final state as an OVF file to mutate.
    let entry = nanomag::registry::entry("micromagnetic").ok_or("no micromagnetic engine")?;
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
pub fn make_case(rng: &mut ChaCha8Rng, b: &Bases, dir: &Path) -> std::io::Result<Case> {
    let short = Duration::from_secs(60);
    let w = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes);
    let pick = |rng: &mut ChaCha8Rng, v: &[&str]| v[rng.random_range(0..v.len())].to_string();
    let roll = rng.random_range(0..100);
    if roll < 70 {
        let (name, kind, text) = &b.configs[rng.random_range(0..b.configs.len())];
        w("case.toml", &mutate_toml(rng, text))?;
        let cmd = command_for(rng, name, kind);
        let mut args = s(&[&cmd, "case.toml", "--out", "o", "--quiet", "--dry-run"]);
        args.extend(small_flags(rng, &cmd));
        return Ok(Case { command: format!("{cmd} ({name})"), args, timeout: short });
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
    let args = match rng.random_range(0..10) {
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
        4..=8 => {
            let (a, v) = (num(rng), num(rng));
            command_flags(rng, b, a, v)
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

/// The command a config of `kind` is run with: every command that reads such a file.
fn command_for(rng: &mut ChaCha8Rng, name: &str, kind: &str) -> String {
    let of = |rng: &mut ChaCha8Rng, v: &[&str]| v[rng.random_range(0..v.len())].to_string();
    match kind {
        "run" => of(rng, &["run", "run", "run", "characterise", "baselines"]),
        "sweep" => of(rng, &["sweep", "sweep", "tune"]),
        "simulate" if name == "switching_island.toml" => of(rng, &["simulate", "switching", "calibrate"]),
        other => other.to_string(),
    }
}

/// Flags that keep a command's real run small.
fn small_flags(rng: &mut ChaCha8Rng, cmd: &str) -> Vec<String> {
    let engine = if rng.random_bool(0.5) { "macrospin" } else { "micromagnetic" };
    match cmd {
        "baselines" => s(&["--budget", "2", "--repeats", "1"]),
        "tune" => s(&["--repeats", "1"]),
        "optimise" => s(&["--evaluations", "2", "--repeats", "1"]),
        "characterise" => s(&["--streams", "4", "--delays", "5"]),
        "calibrate" => s(&["--engine", engine, "--angles", "10,30,50,70"]),
        _ => Vec::new(),
    }
}

/// Flags of characterise, switching, calibrate, baselines, tune, optimise and bench with odd values
/// (`a`, `b`: picks of the flag-value list).
fn command_flags(rng: &mut ChaCha8Rng, b: &Bases, a: String, v: String) -> Vec<String> {
    let island = b.experiments.join("switching_island.toml").display().to_string();
    let sweep = b.experiments.join("energy_sweep.toml").display().to_string();
    let real = ["0.05", "-1", "nan", "inf", "1e-300", "1e300", "90", "0", "2e-3", ""];
    let r = |rng: &mut ChaCha8Rng| real[rng.random_range(0..real.len())].to_string();
    let dry = |mut v: Vec<String>| {
        v.extend(s(&["--out", "o", "--quiet", "--dry-run"]));
        v
    };
    match rng.random_range(0..7) {
        0 => dry(s(&["characterise", "case.toml", "--delays", &a, "--streams", &v])),
        1 => dry(s(&[
            "switching",
            &island,
            "--angle-deg",
            &r(rng),
            "--step",
            &r(rng),
            "--resolution",
            &r(rng),
            "--b-max",
            &r(rng),
        ])),
        2 => {
            let engine = ["macrospin", "micromagnetic", "kmc", ""][rng.random_range(0..4)];
            let angles = ["10,30,50,70", "0,90", "nan,1,2,3", "5", ""][rng.random_range(0..5)];
            dry(s(&["calibrate", &island, "--engine", engine, "--angles", angles, "--step", &r(rng)]))
        }
        3 => {
            let fam = ["esn", "ngrc,delay_line", "lstm", ""][rng.random_range(0..4)];
            dry(s(&["baselines", "case.toml", "--features", &a, "--budget", &v, "--families", fam, "--repeats", "1"]))
        }
        4 => dry(s(&["tune", &sweep, "--repeats", &a])),
        5 => {
            let file = b.experiments.join("narma10_optimise.toml").display().to_string();
            let method = ["bo", "random", "cmaes", ""][rng.random_range(0..4)];
            let (flag, value) = match rng.random_range(0..4) {
                0 => ("--shard", a),
                1 => ("--threads", a),
                2 => ("--seed", a),
                _ => ("--repeats", a),
            };
            dry(s(&["optimise", &file, "--evaluations", &v, "--method", method, flag, &value]))
        }
        _ => {
            let which = ["--switching", "--micromag", "--readout", "--cutoff"][rng.random_range(0..4)];
            // Odd values only, so a case never starts a real (minutes-long) benchmark.
            let bad = ["0", "-1", "nan", "100000000", "x", ""][rng.random_range(0..6)];
            let mut args = s(&["bench", "--cells", bad, "--quiet"]);
            if which == "--cutoff" {
                args.extend(s(&["--cutoff", bad]));
            } else {
                args.extend(s(&[which, "--runs", bad]));
            }
            args
        }
    }
}
