//! The micromagnetic solver from the command line: a state loaded from an OVF file is the
//! initial condition; lattices are rasterised and reported per island; bad input is one line,
//! exit 2.

use nanomag::io::ovf::{self, OvfField, OvfFormat};
use std::path::Path;
use std::process::Command;

fn nanomag(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nanomag")).args(args).output().expect("binary runs")
}

fn simulate(dir: &Path, toml: &str) -> std::process::Output {
    let cfg = dir.join("c.toml");
    std::fs::write(&cfg, toml).unwrap();
    nanomag(&["--quiet", "simulate", cfg.to_str().unwrap(), "--out", dir.join("o").to_str().unwrap()])
}

const BOX: &str = "[solver]\nkind = \"micromagnetic\"\n[mesh]\nbox = [50e-9, 20e-9, 3e-9]\ncell = [5e-9, 5e-9, 3e-9]\n";
const FIELD: &str = "[[field]]\nb = [0.0, 0.0, 0.0]\nduration = 2e-12\n[output]\ninterval = 1e-12\n";

#[test]
fn an_ovf_state_is_the_initial_condition() {
    let dir = tempfile::tempdir().unwrap();
    // m = (0, 1, 0) in every cell except a (1, 0, 0) column at i = 0: mean (0.1, 0.9, 0).
    let n = [10, 4, 1];
    let data: Vec<f64> = (0..40).flat_map(|c| if c % 10 == 0 { [1.0, 0.0, 0.0] } else { [0.0, 1.0, 0.0] }).collect();
    let f = OvfField { title: "m".into(), n, d: [5e-9, 5e-9, 3e-9], min: [0.0; 3], dim: 3, data };
    ovf::write(&dir.path().join("start.ovf"), &f, OvfFormat::Binary8).unwrap();
    let o = simulate(dir.path(), &format!("{BOX}[init]\nkind = \"ovf\"\nfile = \"start.ovf\"\n{FIELD}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = std::fs::read_to_string(dir.path().join("o/table.csv")).unwrap();
    let first: Vec<f64> = table.lines().nth(1).unwrap().split(',').map(|v| v.parse().unwrap()).collect();
    assert!((first[1] - 0.1).abs() < 1e-12 && (first[2] - 0.9).abs() < 1e-12, "{first:?}");
    // The final state written by the run reads back as a valid start for the next one.
    let fin = ovf::read(&dir.path().join("o/m_final.ovf")).unwrap();
    assert_eq!(fin.n, n);

    // A file of another grid is refused, naming the key.
    let g = OvfField { n: [5, 4, 1], data: vec![1.0; 60], ..f };
    ovf::write(&dir.path().join("start.ovf"), &g, OvfFormat::Text).unwrap();
    let o = simulate(dir.path(), &format!("{BOX}[init]\nkind = \"ovf\"\nfile = \"start.ovf\"\n{FIELD}"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("init.file") && err.trim_end().lines().count() == 1, "{err}");
}

#[test]
fn a_lattice_is_rasterised_and_reported_per_island() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [10e-9, 10e-9, 10e-9]\n\
                [lattice]\nkind = \"square\"\nnx = 1\nny = 1\nspacing = 500e-9\n\
                [[field]]\nb = [0.0, 0.0, 0.0]\nduration = 2e-11\n[output]\ninterval = 1e-11\n";
    let o = simulate(dir.path(), toml);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path().join("o");
    for f in ["table.csv", "summary.json", "m_final.png", "m_final.ovf", "m_vs_t.png", "magnets.csv", "lattice.png"] {
        assert!(out.join(f).metadata().map(|m| m.len() > 0).unwrap_or(false), "{f} missing");
    }
    let magnets = std::fs::read_to_string(out.join("magnets.csv")).unwrap();
    assert_eq!(magnets.lines().count(), 3, "two islands + header:\n{magnets}");
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    // Two 220 × 80 × 20 nm bars on 10 nm cells: 2 × 22 × 8 × 2 = 704 magnetic cells.
    assert_eq!(s["engine_details"]["mesh"]["magnetic_cells"].as_u64(), Some(704), "{}", s["engine_details"]);
}

#[test]
fn bad_micromagnetic_input_is_one_line_and_exit_2() {
    let cases = [
        (format!("[mesh]\ncell = [5e-9, 5e-9, 3e-9]\n{FIELD}"), "mesh"),
        (format!("[material]\na_ex = 1e-11\n{FIELD}"), "material.a_ex"),
        (format!("[solver]\nkind = \"micromagnetic\"\n{FIELD}"), "mesh.cell"),
        (format!("[solver]\nkind = \"fem\"\n{FIELD}"), "solver.kind"),
        (format!("{BOX}[coupling]\nkind = \"dipole\"\n{FIELD}"), "coupling"),
        (BOX.replace("cell = [5e-9", "cell = [3e-9") + FIELD, "mesh.cell[0]"),
        (
            BOX.replace(
                "[solver]\nkind = \"micromagnetic\"\n",
                "[solver]\nkind = \"micromagnetic\"\nmethod = \"euler\"\n",
            ) + FIELD,
            "solver.method",
        ),
        (format!("{BOX}[init]\nkind = \"ovf\"\nfile = \"missing.ovf\"\n{FIELD}"), "init.file"),
        (format!("{BOX}[material]\na_ex = -1.0\n{FIELD}"), "material.a_ex"),
        (format!("{BOX}[temperature]\nt = 300.0\n{FIELD}"), "solver.method"),
        (BOX.to_string() + "[lattice]\nkind = \"square\"\n" + FIELD, "mesh.box"),
        (
            BOX.to_string() + FIELD.replace("interval = 1e-12", "interval = 1e-12\novf_format = \"vtk\"").as_str(),
            "output.ovf_format",
        ),
    ];
    for (toml, key) in cases {
        let dir = tempfile::tempdir().unwrap();
        let o = simulate(dir.path(), &toml);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{key}: {err}");
        assert!(err.starts_with("error: ") && err.contains(key) && err.trim_end().lines().count() == 1, "{key}: {err}");
    }
    // Mode maps need cells: the macrospin engine refuses them, naming the key.
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("s.toml");
    std::fs::write(&cfg, format!("[lattice]\nkind = \"chain\"\nnx = 2\n{FIELD}[spectrum]\nmode_frequencies = [8e9]\n"))
        .unwrap();
    let o = nanomag(&["--quiet", "spectrum", cfg.to_str().unwrap(), "--out", dir.path().join("o").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("spectrum.mode_frequencies") && err.trim_end().lines().count() == 1, "{err}");
}

#[test]
fn the_field_2_experiment_is_valid() {
    let raw = nanomag::config::load_raw(Path::new("experiments/sp4_field2.toml"), &[]).unwrap();
    let cfg = nanomag::registry::validate(&raw, Path::new("experiments")).unwrap();
    assert_eq!(cfg.engine, "micromagnetic");
    assert!(cfg.engine_spec.0.is_some());
}

#[test]
fn thermal_runs_repeat_exactly_on_one_and_two_threads() {
    // 200 × 100 cells: large enough that every parallel loop is split across threads.
    let toml = "[solver]\nkind = \"micromagnetic\"\nmethod = \"heun\"\ndt = 5e-14\n\
                [mesh]\nbox = [1000e-9, 500e-9, 3e-9]\ncell = [5e-9, 5e-9, 3e-9]\n\
                [temperature]\nt = 300.0\nseed = 11\n[init]\nkind = \"random\"\nseed = 3\n\
                [[field]]\nb = [0.01, 0.0, 0.0]\nduration = 5e-13\n[output]\ninterval = 2.5e-13\nsnapshot_interval = 5e-13\novf_format = \"binary8\"\n";
    let mut tables = Vec::new();
    for threads in ["1", "2"] {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(&cfg, toml).unwrap();
        let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
            .env("RAYON_NUM_THREADS", threads)
            .args(["--quiet", "simulate", cfg.to_str().unwrap(), "--out", dir.path().join("o").to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let table = std::fs::read_to_string(dir.path().join("o/table.csv")).unwrap();
        let fin = std::fs::read(dir.path().join("o/m_final.ovf")).unwrap();
        tables.push((table, fin));
    }
    assert_eq!(tables[0].0, tables[1].0, "table.csv differs between 1 and 2 threads");
    assert!(tables[0].1 == tables[1].1, "m_final.ovf differs between 1 and 2 threads");
    assert_eq!(tables[0].0.lines().count(), 4, "rows at 0, 0.25 and 0.5 ps");
}

/// A relaxation alone (`init.relax`, no `[[field]]`): the table holds the relaxed state, and
/// the field of `init.relax_field` pulls a tilted film into line with it.
#[test]
fn a_relaxation_only_run_writes_the_relaxed_state() {
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        "{BOX}[init]\nkind = \"vector\"\nm = [1.0, 1.0, 0.0]\nrelax = true\nrelax_field = [0.0, 0.5, 0.0]\n\
         relax_torque = 1e-5\n[output]\ninterval = 1e-12\n"
    );
    let o = simulate(dir.path(), &toml);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, rows) = nanomag::io::table::read(&dir.path().join("o/table.csv")).unwrap();
    assert_eq!(rows.len(), 1, "one row: the relaxed state");
    // 0.5 T along y, far above the film's in-plane anisotropy: m nearly along y.
    assert!(rows[0][2] > 0.99, "⟨m⟩ = ({}, {}, {})", rows[0][1], rows[0][2], rows[0][3]);
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap()).unwrap();
    assert_eq!(s["relax"]["minimiser"], "bb");
    assert!(s["relax"]["iterations"].as_u64().unwrap() > 0);
}

/// `nanomag spectrum` on the micromagnetic engine writes the array spectrum, the per-island
/// spectra and a mode map; `nanomag run` with spectral features probes forks of the
/// micromagnetic engine.
#[test]
fn spectrum_and_spectral_features_run_on_the_micromagnetic_engine() {
    let dir = tempfile::tempdir().unwrap();
    let bars = "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [20e-9, 20e-9, 20e-9]\n\
                [lattice]\nkind = \"square\"\nnx = 1\nny = 1\nspacing = 500e-9\n[material]\nalpha = 0.02\n";
    let cfg = dir.path().join("s.toml");
    std::fs::write(
        &cfg,
        format!(
            "{bars}[[field]]\nb = [0.02, 0.02, 0.0]\nduration = 1e-10\n[output]\ninterval = 1e-11\n\
             [spectrum]\nringdown = 1e-9\nsample_interval = 1e-11\nislands = true\nmode_frequencies = [8e9]\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("o");
    let o = nanomag(&["--quiet", "spectrum", cfg.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "spectrum.csv",
        "spectrum.png",
        "spectrum_islands.csv",
        "spectrum_islands.png",
        "mode_map_0.csv",
        "mode_map_0.png",
    ] {
        assert!(out.join(f).metadata().map(|m| m.len() > 0).unwrap_or(false), "{f} missing");
    }
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["engine"], "micromagnetic");
    assert_eq!(s["island_peaks"].as_array().unwrap().len(), 2);
    assert!(!s["peaks"].as_array().unwrap().is_empty());

    let exp = dir.path().join("r.toml");
    std::fs::write(
        &exp,
        format!(
            "{bars}[input]\nkind = \"amplitude\"\nhold = 1e-10\nsamples = 1\nb0 = [0.02, 0.02, 0.0]\ndb = [0.005, 0.005, 0.0]\n\
             [features]\nkind = \"spectrum\"\nchannels = 4\nf_min = 2e9\nf_max = 20e9\n\
             [spectrum]\nringdown = 5e-10\nsample_interval = 1e-11\n\
             [task]\nkind = \"narma2\"\nwashout = 5\ntrain = 12\nvalidation = 3\ntest = 10\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("r");
    let o = nanomag(&["--quiet", "run", exp.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(s["engine"], "micromagnetic");
    assert_eq!(s["n_features"], 5);
    assert!(s["nrmse_test"].as_f64().unwrap().is_finite());
}
