//! Dependencies point one way (docs/architecture.md): the engine interface (`engine/`) at the
//! bottom, the configuration above it, the engines above the configuration, and the registry
//! (`registry.rs`, the one place that names every engine) above the engines; everything that
//! runs engines (cost estimates, simulate, spectra, reservoirs, sweeps, the CLI) above that.
//! This test reads every `crate::…` path in the source (comments excluded) and fails on an
//! import that runs the wrong way. `tests/architecture.rs` is the check to run after a refactor:
//! `cargo test --release --test architecture`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ENGINES: &[&str] = &["macrospin", "micromag", "switching", "kmc"];
/// Code the engines share (the LLG core, the field-term interface with the point-dipole
/// coupling, and the binary array); below the engines.
const SHARED: &[&str] = &["llg", "terms", "binary", "integrate"];
/// Modules that run engines: above the registry.
const RUNNERS: &[&str] =
    &["registry", "cost", "simulate", "spectrum", "calibrate", "reservoir", "sweep", "tune", "cli", "plot", "energy"];

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The crate modules a file names (`crate::x` or `crate::x::y` → "x" and "x::y"), outside
/// comments.
fn imports(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut found = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (k, _) in line.match_indices("crate::") {
            let rest: String =
                line[k + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let parts: Vec<&str> = rest.split("::").filter(|s| !s.is_empty()).collect();
            if let Some(first) = parts.first() {
                found.insert(first.to_string());
                if let Some(second) = parts.get(1) {
                    found.insert(format!("{first}::{second}"));
                }
            }
        }
    }
    found
}

/// (file, the top-level module it belongs to) for every source file.
fn files() -> Vec<(PathBuf, String)> {
    let mut v = Vec::new();
    rs_files(Path::new("src"), &mut v);
    v.into_iter()
        .map(|p| {
            let rel = p.strip_prefix("src").unwrap();
            let first =
                rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
            (p, first)
        })
        .collect()
}

fn violations(rule: impl Fn(&str, &Path, &str) -> bool) -> Vec<String> {
    let mut bad = Vec::new();
    for (p, module) in files() {
        for imp in imports(&p) {
            if rule(&module, &p, &imp) {
                bad.push(format!("{} imports crate::{imp}", p.display()));
            }
        }
    }
    bad
}

fn top(imp: &str) -> &str {
    imp.split("::").next().unwrap()
}

#[test]
fn the_engine_interface_imports_no_config_engine_or_registry() {
    let bad = violations(|m, _, imp| {
        m == "engine"
            && (["config", "lattice", "io"].contains(&top(imp))
                || ENGINES.contains(&top(imp))
                || SHARED.contains(&top(imp))
                || RUNNERS.contains(&top(imp)))
    });
    assert!(bad.is_empty(), "upward imports from the engine interface:\n{}", bad.join("\n"));
}

#[test]
fn configuration_names_no_engine_and_no_registry() {
    let bad = violations(|m, _, imp| {
        m == "config" && (ENGINES.contains(&top(imp)) || SHARED.contains(&top(imp)) || RUNNERS.contains(&top(imp)))
    });
    assert!(bad.is_empty(), "configuration imports engines or what runs them:\n{}", bad.join("\n"));
}

#[test]
fn lattices_are_geometry_and_read_only_raw_config() {
    let bad = violations(|m, _, imp| {
        m == "lattice"
            && ((top(imp) == "config" && !["config::checks", "config::raw"].contains(&imp) && imp != "config")
                || ENGINES.contains(&top(imp))
                || SHARED.contains(&top(imp))
                || RUNNERS.contains(&top(imp)))
    });
    assert!(bad.is_empty(), "a lattice imports more than raw config and its checks:\n{}", bad.join("\n"));
}

#[test]
fn engines_do_not_import_each_other_or_what_runs_them() {
    let bad = violations(|m, _, imp| {
        let engine = ENGINES.contains(&m);
        let shared = SHARED.contains(&m);
        (engine || shared) && ((ENGINES.contains(&top(imp)) && top(imp) != m) || RUNNERS.contains(&top(imp)))
    });
    assert!(bad.is_empty(), "engines import each other or the layers above them:\n{}", bad.join("\n"));
}

#[test]
fn the_ode_stepper_knows_no_physics() {
    let bad = violations(|m, _, imp| m == "integrate" && !["error", "integrate", "par"].contains(&top(imp)));
    assert!(bad.is_empty(), "the stepper imports physics:\n{}", bad.join("\n"));
}

/// Engine names appear only in their own folder, the registry, and user-facing text (CLI help,
/// docs): no module matches on an engine's name to decide what to do.
#[test]
fn no_engine_name_is_matched_outside_its_folder() {
    let mut bad = Vec::new();
    for (p, module) in files() {
        if ENGINES.contains(&module.as_str()) || module == "registry" {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            for name in ["macrospin", "micromagnetic", "switching", "kmc"] {
                let q = format!("\"{name}\"");
                // A comparison or pattern on the name (`== "kmc"`, `Some("kmc")`, `"kmc" =>`,
                // `| "kmc"`, `.contains(&"kmc")`) is a decision made on an engine's name.
                let decides = [
                    format!("== {q}"),
                    format!("!= {q}"),
                    format!("Some({q}"),
                    format!("{q} =>"),
                    format!("| {q}"),
                    format!("{q} |"),
                ]
                .iter()
                .any(|pat| line.contains(pat.as_str()));
                if decides {
                    bad.push(format!("{}:{}: {}", p.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "decisions on an engine's name outside its folder and the registry:\n{}", bad.join("\n"));
}
