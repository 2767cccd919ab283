//! The same seeds give the same numbers whatever the thread count (magnet reservoir and ESN),
//! and other seeds give other numbers.

use nanomag::config::parse_toml;
use nanomag::reservoir::config::validate;
use nanomag::reservoir::experiment;
use std::path::Path;

const MAGNETS: &str = "[material]\nalpha = 0.005\n[lattice]\nkind = \"square\"\nnx = 2\nny = 2\ndisorder = 0.1\nseed = SEED\n\
[solver]\nmethod = \"rk4\"\ndt = 1e-12\n[input]\nb0 = [0.03, 0.03, 0.0]\ndb = [0.005, 0.005, 0.0]\nhold = 1e-10\nsamples = 2\nrise = 1e-11\n\
[features]\ncomponents = [\"long\", \"perp\", \"z\"]\n[task]\nkind = \"memory_capacity\"\ndelays = 5\nwashout = 20\ntrain = 120\nvalidation = 30\ntest = 40\n";

fn predictions(toml: &str, threads: usize) -> Vec<f64> {
    let raw = parse_toml(toml, Path::new("t.toml")).unwrap();
    let cfg = validate(&raw, Path::new(".")).unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let o = pool.install(|| experiment::run(&cfg, false, &mut |_| {}).unwrap());
    o.outputs.iter().flat_map(|r| r.prediction.clone()).collect()
}

#[test]
fn magnet_reservoir_is_thread_count_independent_and_seeded() {
    let a = predictions(&MAGNETS.replace("SEED", "1"), 1);
    let b = predictions(&MAGNETS.replace("SEED", "1"), 2);
    assert_eq!(a, b, "1 vs 2 threads");
    let c = predictions(&MAGNETS.replace("SEED", "2"), 2);
    assert_ne!(a, c, "another disorder seed, another array");
}

#[test]
fn esn_is_thread_count_independent() {
    let toml =
        "[reservoir]\nkind = \"esn\"\nn = 50\n[task]\nkind = \"narma10\"\ntrain = 300\nvalidation = 50\ntest = 100\n";
    assert_eq!(predictions(toml, 1), predictions(toml, 2));
}
