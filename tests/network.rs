//! Networks of reservoirs (`[[layer]]`): a series network whose second layer is the identity
//! reproduces the single-layer result; parallel layers add their features and their energy;
//! arrays with a software layer are labelled hybrid; bad layer input is refused.

use nanomag::config::parse_toml;
use nanomag::config::raw::RawConfig;
use nanomag::reservoir::{config, experiment};
use std::path::Path;

/// A small, fast array: switching engine, 18 islands of square ice, one field step per input.
const LAYER: &str = r#"
[solver]
kind = "switching"
[material]
ms = 8.0e5
[magnet]
length = 220e-9
width = 80e-9
thickness = 20e-9
[lattice]
kind = "square"
nx = 3
ny = 3
spacing = 500e-9
[coupling]
cutoff = 3.0
[switching]
hc = 0.135
disorder = 0.1
[input]
kind = "minor_loop"
direction = 45.0
h_min = 0.05
h_max = 0.12
reverse = 0.8
hold = 1e-6
samples = 1
rise = 0.0
[features]
components = ["long"]
"#;

const TASK: &str = "[task]\nkind = \"narma2\"\nwashout = 20\ntrain = 300\nvalidation = 60\ntest = 100\n";

fn raw(text: &str) -> RawConfig {
    parse_toml(text, Path::new("x.toml")).unwrap()
}

fn run(dir: &Path, text: &str) -> experiment::Outcome {
    let cfg = config::validate(&raw(text), dir).unwrap();
    experiment::run(&cfg, false, &mut |_| {}).unwrap()
}

#[test]
fn identity_second_layer_reproduces_the_single_layer() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("layer.toml"), LAYER).unwrap();
    let single = run(tmp.path(), &format!("{LAYER}{TASK}"));
    let net = run(
        tmp.path(),
        &format!(
            "{TASK}[[layer]]\nbase = \"layer.toml\"\nread = false\n\
             [[layer]]\nkind = \"identity\"\ninput = {{ layer = 0, feature = \"all\" }}\n"
        ),
    );
    assert_eq!(net.n_features, single.n_features);
    assert_eq!(net.outputs[0].nrmse_validation, single.outputs[0].nrmse_validation);
    assert_eq!(net.outputs[0].nrmse_test, single.outputs[0].nrmse_test);
    assert_eq!(net.outputs[0].prediction, single.outputs[0].prediction);
    assert_eq!(net.energy.per_step.total, single.energy.per_step.total);
    assert_eq!(net.reservoir_kind, "magnets");
}

#[test]
fn parallel_layers_add_features_and_energy_series_layers_run() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("layer.toml"), LAYER).unwrap();
    // Layer k's lattice seed is the network's + k: the single runs with seeds 1 and 2.
    let a = run(tmp.path(), &format!("{LAYER}{TASK}"));
    let b = run(tmp.path(), &format!("{}{TASK}", LAYER.replace("nx = 3", "seed = 2\nnx = 3")));
    let par = run(tmp.path(), &format!("{TASK}[[layer]]\nbase = \"layer.toml\"\n[[layer]]\nbase = \"layer.toml\"\n"));
    assert_eq!(par.n_features, a.n_features + b.n_features - 1, "one input column");
    let (pa, pb, pp) = (a.energy.per_step, b.energy.per_step, par.energy.per_step);
    assert!((pp.field_source - pa.field_source - pb.field_source).abs() <= 1e-12 * pp.field_source);
    assert!((pp.dissipated - pa.dissipated - pb.dissipated).abs() <= 1e-9 * pp.dissipated.abs().max(1e-30));
    // Series: layer 1 driven by the mean of layer 0's reads.
    let ser = run(
        tmp.path(),
        &format!("{TASK}[[layer]]\nbase = \"layer.toml\"\n[[layer]]\nbase = \"layer.toml\"\ninput = {{ layer = 0, feature = \"mean\" }}\n"),
    );
    assert_eq!(ser.n_features, par.n_features);
    assert!(ser.outputs[0].nrmse_test.is_finite());
    assert_ne!(ser.outputs[0].prediction, par.outputs[0].prediction, "the series layer sees another input");
}

#[test]
fn arrays_with_a_software_layer_are_hybrid_and_bad_layers_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("layer.toml"), LAYER).unwrap();
    std::fs::write(tmp.path().join("taps.toml"), "[reservoir]\nkind = \"delay_line\"\ntaps = 5\n").unwrap();
    let hybrid = run(tmp.path(), &format!("{TASK}[[layer]]\nbase = \"layer.toml\"\n[[layer]]\nbase = \"taps.toml\"\n"));
    assert_eq!(hybrid.reservoir_kind, "hybrid");
    assert!(hybrid.reservoir.starts_with("hybrid network"), "{}", hybrid.reservoir);
    let bad = |text: &str, key: &str| {
        let e = config::validate(&raw(&format!("{TASK}{text}")), tmp.path()).unwrap_err();
        assert_eq!(e.key, key, "{text}: {e}");
    };
    bad("[[layer]]\nbase = \"layer.toml\"\ninput = { layer = 0 }\n", "layer[0].input");
    bad(
        "[[layer]]\nbase = \"layer.toml\"\n[[layer]]\nkind = \"identity\"\ninput = { layer = 0, feature = 2 }\n",
        "layer[1].input",
    );
    bad("[[layer]]\nbase = \"layer.toml\"\n[[layer]]\nbase = \"layer.toml\"\ninput = { layer = 0, feature = \"all\" }\n", "layer[1].input");
    bad("[sensor]\nkind = \"ideal\"\n[[layer]]\nbase = \"layer.toml\"\n", "sensor");
    bad("[[layer]]\nbase = \"nowhere.toml\"\n", "layer[0].base");
    bad("[[layer]]\nbase = \"layer.toml\"\nread = false\n", "layer");
}
