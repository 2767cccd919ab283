//! Restarts and histories through the CLI: `init.kind = "state"` starts a run from a previous
//! run's final state — magnets.csv for the macrospin engine, an OVF file (or a magnets.csv:
//! uniform islands) for the micromagnetic one — and refuses a file that does not match the
//! lattice or mesh (exit 2, one line naming init.file); `output.history` writes every island's
//! m at every row as .npy (read back here) or CSV.

use std::path::Path;
use std::process::Command;

fn simulate(dir: &Path, name: &str, toml: &str) -> std::process::Output {
    let cfg = dir.join(format!("{name}.toml"));
    std::fs::write(&cfg, toml).unwrap();
    Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["--quiet", "simulate", cfg.to_str().unwrap(), "--out", dir.join(name).to_str().unwrap()])
        .output()
        .unwrap()
}

/// ⟨m⟩ of the first and last rows of a table.csv.
fn first_last(path: &Path) -> ([f64; 3], [f64; 3]) {
    let (_, rows) = nanomag::io::table::read(path).unwrap();
    let m = |r: &Vec<f64>| [r[1], r[2], r[3]];
    (m(&rows[0]), m(rows.last().unwrap()))
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn refused(o: &std::process::Output, key: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(key) && err.trim_end().lines().count() == 1, "{err}");
}

const SQUARE: &str = "[lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 500e-9\n[material]\nalpha = 0.05\n";
const RAMP: &str = "[[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.0]\nto = [-0.05, 0.03, 0.0]\nduration = 1e-10\n\
                    [output]\ninterval = 1e-11\n";

#[test]
fn macrospin_restarts_from_magnets_csv_and_writes_its_history() {
    let dir = tempfile::tempdir().unwrap();
    ok(&simulate(dir.path(), "a", &format!("{SQUARE}{RAMP}history = \"npy\"\n")));
    let (_, last) = first_last(&dir.path().join("a/table.csv"));
    // The history: 11 rows (t = 0 and 10 intervals) × 8 islands × 3, its last row the final
    // state of magnets.csv, its times those of the table.
    let (shape, h) = nanomag::io::npy::read(&dir.path().join("a/history_m.npy")).unwrap();
    assert_eq!(shape, vec![11, 8, 3]);
    let (tshape, t) = nanomag::io::npy::read(&dir.path().join("a/history_t.npy")).unwrap();
    assert_eq!(tshape, vec![11]);
    assert!((t[10] - 1e-10).abs() < 1e-22);
    let magnets = std::fs::read_to_string(dir.path().join("a/magnets.csv")).unwrap();
    let row1: Vec<f64> =
        magnets.lines().nth(1).unwrap().split(',').skip(7).take(3).map(|v| v.parse().unwrap()).collect();
    assert_eq!(&h[10 * 24..10 * 24 + 3], &row1[..]);

    let init = "[init]\nkind = \"state\"\nfile = \"a/magnets.csv\"\n";
    ok(&simulate(dir.path(), "b", &format!("{SQUARE}{init}{RAMP}")));
    let (first, _) = first_last(&dir.path().join("b/table.csv"));
    for c in 0..3 {
        assert!((first[c] - last[c]).abs() < 1e-12, "{first:?} vs {last:?}");
    }
    // A file of another lattice is refused.
    refused(&simulate(dir.path(), "c", &format!("{}{init}{RAMP}", SQUARE.replace("nx = 2", "nx = 3"))), "init.file");
    // An OVF file is a micromagnetic state.
    std::fs::write(dir.path().join("x.ovf"), "# OOMMF OVF 2.0\n").unwrap();
    let o = simulate(dir.path(), "d", &format!("{SQUARE}[init]\nkind = \"state\"\nfile = \"x.ovf\"\n{RAMP}"));
    refused(&o, "init.file");
}

const BARS: &str = "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [10e-9, 10e-9, 20e-9]\n\
                    [lattice]\nkind = \"square\"\nnx = 1\nny = 1\nspacing = 500e-9\n[material]\nalpha = 0.1\n";
const OVF8: &str = "ovf_format = \"binary8\"\n";

#[test]
fn micromagnetic_restarts_from_ovf_or_magnets_csv() {
    let dir = tempfile::tempdir().unwrap();
    ok(&simulate(dir.path(), "a", &format!("{BARS}{RAMP}{OVF8}history = \"csv\"\n")));
    let (_, last) = first_last(&dir.path().join("a/table.csv"));
    let history = std::fs::read_to_string(dir.path().join("a/history_m.csv")).unwrap();
    assert!(history.starts_with("t_s,island,mx,my,mz\n"));
    assert_eq!(history.lines().count(), 1 + 11 * 2);

    let init = "[init]\nkind = \"state\"\nfile = \"a/m_final.ovf\"\n";
    ok(&simulate(dir.path(), "b", &format!("{BARS}{init}{RAMP}")));
    let (first, _) = first_last(&dir.path().join("b/table.csv"));
    for c in 0..3 {
        assert!((first[c] - last[c]).abs() < 1e-12, "{first:?} vs {last:?}");
    }
    // Another cell size does not fit the snapshot's grid.
    let coarse = BARS.replace("cell = [10e-9, 10e-9, 20e-9]", "cell = [20e-9, 20e-9, 20e-9]");
    refused(&simulate(dir.path(), "c", &format!("{coarse}{init}{RAMP}")), "init.file");
    // Island means of a macrospin run start uniform islands.
    let macro_bars = "[lattice]\nkind = \"square\"\nnx = 1\nny = 1\nspacing = 500e-9\n[material]\nalpha = 0.1\n";
    ok(&simulate(dir.path(), "m", &format!("{macro_bars}{RAMP}")));
    let from_csv = "[init]\nkind = \"state\"\nfile = \"m/magnets.csv\"\n";
    ok(&simulate(dir.path(), "e", &format!("{BARS}{from_csv}{RAMP}")));
    // The two bars rasterise to the same number of cells, so ⟨m⟩ starts at the mean of the
    // two islands' m.
    let magnets = std::fs::read_to_string(dir.path().join("m/magnets.csv")).unwrap();
    let m: Vec<Vec<f64>> =
        magnets.lines().skip(1).map(|l| l.split(',').skip(7).take(3).map(|v| v.parse().unwrap()).collect()).collect();
    let (first, _) = first_last(&dir.path().join("e/table.csv"));
    for c in 0..3 {
        let mean = 0.5 * (m[0][c] + m[1][c]);
        assert!((first[c] - mean).abs() < 1e-12, "{first:?} vs {m:?}");
    }
}
