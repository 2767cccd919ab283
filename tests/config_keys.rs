//! Every registry owns its keys: a key that belongs to another kind of the same section is
//! refused with one line naming the key and the kind(s) it belongs to (exit 2), and a key of
//! no kind is refused too. One row per registry (lattice, sensor, features, encoder, task,
//! reservoir), run through the CLI as a user would (`--set` on a committed example).

use std::process::Command;

fn dry_run(set: &str) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["run", "experiments/narma10.toml", "--dry-run", "--set", set])
        .output()
        .expect("binary runs");
    (o.status.code(), String::from_utf8_lossy(&o.stderr).trim().to_string())
}

#[test]
fn a_key_of_another_kind_is_refused_in_every_registry() {
    // (override, the key named, the kind it belongs to)
    let cases = [
        ("lattice.pattern=\"AB\"", "lattice.pattern", "\"asvi\""),
        ("lattice.magnets=[]", "lattice.magnets", "\"custom\""),
        ("sensor.adc_bits=8", "sensor.adc_bits", "\"projection\""),
        ("sensor.regions=[2, 2]", "sensor.regions", "\"region\""),
        ("features.tiles=[2, 2]", "features.tiles", "\"tiles\""),
        ("features.channels=8", "features.channels", "\"spectrum\""),
        ("input.rotations=2", "input.rotations", "\"rotating\""),
        ("input.pulses=2", "input.pulses", "\"clock\""),
        ("task.horizon=5", "task.horizon", "\"mackey_glass\""),
        ("task.period=20", "task.period", "\"signal_transform_periodic\""),
        ("reservoir.n=50", "reservoir.n", "\"esn\""),
        ("reservoir.taps=10", "reservoir.taps", "\"delay_line\""),
        // An engine's own section is the engine's: refused for another engine, and a table
        // no registered engine owns is refused naming the allowed sections.
        ("kmc.seed=3", "kmc", "kmc engine"),
        ("switchng.disorder=0.1", "switchng", "switching (the switching engine)"),
    ];
    for (set, key, owner) in cases {
        let (code, err) = dry_run(set);
        assert_eq!(code, Some(2), "{set}: {err}");
        assert_eq!(err.lines().count(), 1, "{set}: {err}");
        assert!(err.contains(key) && err.contains(owner), "{set}: {err} should name {key} and {owner}");
        assert!(!err.contains("panicked"), "{set}: {err}");
    }
}

#[test]
fn the_same_keys_pass_on_their_own_kind() {
    // The refusals above are about ownership, not values: on the owning kind they validate.
    for sets in [
        &["lattice.kind=\"asvi\"", "lattice.pattern=\"checkerboard\""][..],
        &["sensor.kind=\"projection\"", "sensor.adc_bits=8"][..],
        &["task.kind=\"mackey_glass\"", "task.horizon=5"][..],
    ] {
        let mut args = vec!["run", "experiments/narma10.toml", "--dry-run"];
        for s in sets {
            args.extend(["--set", s]);
        }
        let o = Command::new(env!("CARGO_BIN_EXE_nanomag")).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{sets:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
}

#[test]
fn registries_name_each_kind_once_and_own_no_common_key() {
    use nanomag::lattice;
    use nanomag::reservoir::{features, sensors};
    type Table<'a> = (&'a str, Vec<(&'a str, &'a [&'a str])>, &'a [&'a str]);
    let tables: [Table; 3] = [
        ("lattice", lattice::REGISTRY.iter().map(|e| (e.name, e.keys)).collect(), lattice::COMMON_KEYS),
        ("sensor", sensors::REGISTRY.iter().map(|e| (e.name, e.keys)).collect(), sensors::COMMON_KEYS),
        ("features", features::REGISTRY.iter().map(|e| (e.name, e.keys)).collect(), features::COMMON_KEYS),
    ];
    for (section, entries, common) in tables {
        let mut names: Vec<&str> = entries.iter().map(|(n, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), entries.len(), "{section}: a kind is registered twice");
        for (name, keys) in &entries {
            for k in keys.iter() {
                assert!(!common.contains(k), "{section}.{k} of {name} is also a common key");
            }
        }
    }
}
