//! Cross-check of the switching engine against flatspin 2.6 (Jensen et al., Phys. Rev. B 106,
//! 064408 (2022)): `data/flatspin/<run>/` holds reference runs made with flatspin itself (the
//! scripts and parameters are beside the data, see data/flatspin/README.md). Each run drives
//! a lattice through a hysteresis protocol (falling then rising branch, 161 field steps);
//! here the same islands, thresholds, astroid, coupling α and field sequence drive
//! nanomag's [`Switching`] model, and the state after every field step — and, for the
//! one-at-a-time "max" policy, the order of every flip — must equal flatspin's exactly.

use nalgebra::Vector3;
use nanomag::binary::BinaryArray;
use nanomag::geometry::{Island, Shape};
use nanomag::protocol::Protocol;
use nanomag::switching::astroid::Astroid;
use nanomag::switching::dipolar::FrameDipolar;
use nanomag::switching::{FlipPolicy, Switching};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// flatspin's positions are in units of the lattice spacing; nanomag's in metres. A power of
/// two keeps the conversion exact.
const A: f64 = 1.0 / (1u64 << 20) as f64;

fn dir(run: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/flatspin").join(run)
}

/// The rows of a CSV file as maps from column name to text.
fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let head: Vec<String> = r.headers().expect("header").iter().map(String::from).collect();
    r.records().map(|rec| head.iter().cloned().zip(rec.expect("row").iter().map(String::from)).collect()).collect()
}

fn num(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row[key].parse().unwrap_or_else(|_| panic!("{key} = {} is not a number", row[key]))
}

/// A run's model: islands from spins.csv (exact axes and thresholds), flatspin's astroid and
/// α, flip policy from params.json.
fn model(run: &str) -> Switching {
    let params: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir(run).join("params.json")).expect("params.json"))
            .expect("json");
    let kw = &params["model_kwargs"];
    let f = |k: &str| kw[k].as_f64().unwrap_or_else(|| panic!("params.json: {k}"));
    assert_eq!(f("lattice_spacing"), 1.0);
    assert_eq!(f("temperature"), 0.0);
    let spins = rows(&dir(run).join("spins.csv"));
    let islands: Vec<Island> = spins
        .iter()
        .map(|r| Island {
            x: num(r, "x") * A,
            y: num(r, "y") * A,
            angle: num(r, "angle_rad"),
            shape: Shape::Prism,
            length: 220e-9,
            width: 80e-9,
            thickness: 25e-9,
            sublattice: 0,
        })
        .collect();
    let spin: Vec<i8> = spins.iter().map(|r| num(r, "init_spin") as i8).collect();
    let mut array = BinaryArray::new(islands, 860e3, spin, None, Protocol::constant(Vector3::zeros(), 1.0));
    // flatspin's m_i = (cos θ, sin θ) as numpy computed them.
    array.axis = spins.iter().map(|r| Vector3::new(num(r, "mx"), num(r, "my"), 0.0)).collect();
    array.perp = array.axis.iter().map(|e| Vector3::new(-e.y, e.x, 0.0)).collect();
    let pos: Vec<(f64, f64)> = array.islands.iter().map(|i| (i.x, i.y)).collect();
    let mut dip = FrameDipolar::new(&pos, &array.axis, &array.moment, A, f("neighbor_distance"));
    dip.alpha = f("alpha");
    let astroid = Astroid { b: f("sw_b"), c: f("sw_c"), beta: f("sw_beta"), gamma: f("sw_gamma") };
    let hc = spins.iter().map(|r| num(r, "threshold")).collect();
    let policy = FlipPolicy::parse(kw["flip_mode"].as_str().expect("flip_mode")).expect("a flatspin policy");
    let mut m = Switching::new(array, Some(dip), astroid, hc, policy, 0);
    m.flip_log = Some(Vec::new());
    m
}

/// Drives the run's field sequence; checks the state after every step and, for "max", the
/// flip order. Returns the number of flips.
fn cross_check(run: &str) -> usize {
    let mut m = model(run);
    let steps = rows(&dir(run).join("steps.csv"));
    let states = rows(&dir(run).join("states.csv"));
    let seq = rows(&dir(run).join("flip_sequence.csv"));
    let n = m.array.len();
    assert_eq!(steps.len(), 161);
    let mut total = 0;
    for (k, (step, state)) in steps.iter().zip(&states).enumerate() {
        m.array.set_applied(Vector3::new(num(step, "hx_t"), num(step, "hy_t"), 0.0));
        m.flip_log = Some(Vec::new());
        m.relax().expect("relaxes");
        let flipped = m.flip_log.take().expect("log");
        total += flipped.len();
        let expect: Vec<i8> = (0..n).map(|i| num(state, &format!("s{i}")) as i8).collect();
        assert_eq!(m.array.spin, expect, "{run}: the state after field step {k} differs from flatspin's");
        let theirs: Vec<usize> =
            seq.iter().filter(|r| num(r, "step") as usize == k).map(|r| num(r, "index") as usize).collect();
        if m.policy == FlipPolicy::Max {
            assert_eq!(flipped, theirs, "{run}: the flip order in field step {k} differs from flatspin's");
        } else {
            let (mut a, mut b) = (flipped.clone(), theirs.clone());
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{run}: the islands flipped in field step {k} differ from flatspin's");
        }
        assert_eq!(num(step, "flips") as usize, flipped.len(), "{run}: flips in step {k}");
    }
    total
}

#[test]
fn square_ice_max_policy_reproduces_flatspins_flip_sequence() {
    // Both branches switch every island once: 2 × 40 flips.
    assert_eq!(cross_check("square"), 80);
}

#[test]
fn square_ice_with_stronger_coupling_reproduces_flatspin_through_a_one_ulp_near_tie() {
    assert_eq!(cross_check("square_alpha0.01"), 80);
}

#[test]
fn square_ice_all_policy_reproduces_flatspins_states() {
    assert_eq!(cross_check("square_all"), 80);
}

#[test]
fn kagome_ice_max_policy_reproduces_flatspins_flip_sequence() {
    assert_eq!(cross_check("kagome"), 126);
}
