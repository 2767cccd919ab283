//! Every lattice kind builds the right count and geometry; a custom lattice read from the
//! magnets.csv that `simulate` writes round-trips; overlapping islands are refused.

mod common;
use common::*;
use nalgebra::Vector3;
use nanomag::geometry::Island;

fn islands(lattice: &str) -> Vec<Island> {
    config(&format!("[lattice]\n{lattice}\n[[field]]\nb = [0.0, 0.0, 0.0]\nduration = 1e-9\n")).islands().unwrap()
}

fn nearest_distances(isl: &[Island]) -> Vec<f64> {
    isl.iter()
        .enumerate()
        .map(|(i, a)| {
            isl.iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, b)| (a.x - b.x).hypot(a.y - b.y))
                .fold(f64::INFINITY, f64::min)
        })
        .collect()
}

#[test]
fn square_ice() {
    let a = 500e-9;
    let isl = islands("kind = \"square\"\nnx = 3\nny = 2\nspacing = 500e-9");
    assert_eq!(isl.len(), 2 * 3 * 2);
    let horiz: Vec<_> = isl.iter().filter(|i| i.angle == 0.0).collect();
    let vert: Vec<_> = isl.iter().filter(|i| (i.angle - std::f64::consts::FRAC_PI_2).abs() < 1e-15).collect();
    assert_eq!((horiz.len(), vert.len()), (6, 6));
    assert!(horiz.iter().any(|i| (i.x - 0.5 * a).abs() < 1e-18 && i.y == 0.0));
    assert!(vert.iter().any(|i| i.x == 0.0 && (i.y - 0.5 * a).abs() < 1e-18));
    assert!(horiz.iter().any(|i| (i.x - 2.5 * a).abs() < 1e-18 && (i.y - a).abs() < 1e-18));
    // Nearest neighbours meet at a vertex: distance a/√2.
    for d in nearest_distances(&isl) {
        assert!((d / (a / 2f64.sqrt()) - 1.0).abs() < 1e-12);
    }
}

#[test]
fn kagome_ice() {
    let a = 500e-9;
    let isl = islands("kind = \"kagome\"\nnx = 4\nny = 3\nspacing = 500e-9");
    assert_eq!(isl.len(), 3 * 4 * 3);
    // Island centres are bond midpoints of a honeycomb: nearest neighbours at (√3/2)·a.
    for d in nearest_distances(&isl) {
        assert!((d / (3f64.sqrt() / 2.0 * a) - 1.0).abs() < 1e-12, "{d:e}");
    }
    for i in &isl {
        let deg = i.angle.to_degrees();
        assert!([30.0, 90.0, 150.0].iter().any(|x| (deg - x).abs() < 1e-9), "{deg}");
    }
    // No two islands at the same site (the alternating row offset must not stack them).
    let mut pos: Vec<(i64, i64)> =
        isl.iter().map(|i| ((i.x * 1e12).round() as i64, (i.y * 1e12).round() as i64)).collect();
    pos.sort();
    pos.dedup();
    assert_eq!(pos.len(), isl.len());
}

#[test]
fn pinwheel_ice() {
    let isl = islands("kind = \"pinwheel\"\nnx = 3\nny = 3\nspacing = 400e-9");
    let sq = islands("kind = \"square\"\nnx = 3\nny = 3\nspacing = 400e-9");
    assert_eq!(isl.len(), 18);
    for (p, s) in isl.iter().zip(&sq) {
        assert_eq!((p.x, p.y), (s.x, s.y));
        assert!((p.angle - s.angle - std::f64::consts::FRAC_PI_4).abs() < 1e-15);
    }
}

#[test]
fn width_modified_asvi() {
    let isl = islands("kind = \"asvi\"\nnx = 4\nny = 4\nspacing = 500e-9\nwide_width = 100e-9\nnarrow_width = 50e-9");
    assert_eq!(isl.len(), 32);
    let wide = isl.iter().filter(|i| i.width == 100e-9).count();
    assert_eq!(wide, 16);
    assert!(isl.iter().all(|i| (i.width == 100e-9) == (i.sublattice == 0)));
    // Checkerboard: the two horizontal bars of neighbouring cells in a row differ.
    let h: Vec<_> = isl.iter().filter(|i| i.angle == 0.0 && i.y == 0.0).collect();
    assert!(h.windows(2).all(|w| w[0].width != w[1].width));
    let sub =
        islands("kind = \"asvi\"\nnx = 4\nny = 4\npattern = \"sublattice\"\nwide_width = 100e-9\nnarrow_width = 50e-9");
    assert!(sub.iter().all(|i| (i.angle == 0.0) == (i.width == 100e-9)));
}

#[test]
fn chain_of_islands() {
    let isl = islands("kind = \"chain\"\nnx = 7\nspacing = 300e-9\nangle = 90.0");
    assert_eq!(isl.len(), 7);
    for (k, i) in isl.iter().enumerate() {
        assert!((i.x - k as f64 * 300e-9).abs() < 1e-18 && i.y == 0.0);
        assert!((i.long_axis() - Vector3::y()).norm() < 1e-15);
    }
}

#[test]
fn disorder_changes_widths_reproducibly() {
    let a = islands("kind = \"square\"\nnx = 5\nny = 5\ndisorder = 0.1\nseed = 4");
    let b = islands("kind = \"square\"\nnx = 5\nny = 5\ndisorder = 0.1\nseed = 4");
    assert_eq!(a, b);
    assert!(a.iter().any(|i| (i.width - 80e-9).abs() > 1e-9));
}

#[test]
fn custom_lattice_round_trips_through_magnets_csv() {
    let dir = tempfile::tempdir().unwrap();
    let orig = islands("kind = \"kagome\"\nnx = 3\nny = 2\ndisorder = 0.2\nangle_disorder = 3.0\nseed = 9");
    // A state that is not the easy axis, so a restart from it is visible.
    let m: Vec<Vector3<f64>> = orig.iter().map(|i| (i.short_axis() + Vector3::<f64>::z() * 0.3).normalize()).collect();
    nanomag::io::magnets::write(&dir.path().join("magnets.csv"), &orig, &m).unwrap();
    let load = |init: &str| {
        nanomag::registry::validate(
            &nanomag::config::parse_toml(
                &format!("[lattice]\nkind = \"custom\"\nfile = \"magnets.csv\"\n{init}[[field]]\nb = [0.0, 0.0, 0.0]\nduration = 1e-9\n"),
                std::path::Path::new("x.toml"),
            )
            .unwrap(),
            dir.path(),
        )
    };
    // The file carries m: starting from the easy axis silently is refused …
    let err = load("").unwrap_err();
    assert_eq!(err.key, "init.kind", "{err}");
    // … it restarts from the file's m when asked, or ignores it when asked.
    let cfg = load("[init]\nkind = \"state\"\nfile = \"magnets.csv\"\n").unwrap();
    let engine = nanomag::registry::from_config(&cfg).unwrap();
    for (a, b) in engine.island_m().iter().zip(m.iter()) {
        let a: &Vector3<f64> = a;
        assert!((a - b).norm() < 1e-12, "{a:?} vs {b:?}");
    }
    load("[init]\nkind = \"easy\"\n").unwrap();
    let back = cfg.islands().unwrap();
    assert_eq!(back.len(), orig.len());
    for (o, b) in orig.iter().zip(&back) {
        assert_eq!((o.x, o.y, o.length, o.width, o.thickness), (b.x, b.y, b.length, b.width, b.thickness));
        assert!((o.angle - b.angle).abs() < 1e-14);
    }
}

#[test]
fn overlapping_islands_are_refused() {
    let raw = nanomag::config::parse_toml::<nanomag::config::raw::RawConfig>(
        "[lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 250e-9\n[[field]]\nb = [0.0, 0.0, 0.0]\nduration = 1e-9\n",
        std::path::Path::new("x.toml"),
    )
    .unwrap();
    let err = nanomag::registry::validate(&raw, std::path::Path::new(".")).unwrap().islands().unwrap_err();
    assert_eq!(err.key, "lattice.spacing");
    assert!(err.allowed.contains("overlap"));
}
