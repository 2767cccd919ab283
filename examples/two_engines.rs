//! The macrospin model's error, measured: one reservoir experiment (a micromagnetic config)
//! run on the micromagnetic engine and, with the micromagnetic keys removed, on the macrospin
//! engine — the same islands, material, inputs, task and readout. Reports each engine's
//! NRMSE and wall time, and how often the two agree, step by step and island by island, on
//! whether an island is switched (m along its long axis < 0) and whether it is in a
//! vortex-like state (|⟨m⟩| < 0.7; a macrospin never is). Needs the features `long` and
//! `norm`. Writes data/<stem>_two_engines/summary.json and plots/<stem>_two_engines.png.
//!
//!     cargo run --release --example two_engines -- experiments/asvi_reservoir.toml

use nanomag::config::{load_raw, raw::RawConfig};
use nanomag::reservoir::config::validate;
use nanomag::reservoir::experiment::{self, Outcome};
use nanomag::{plot, Error};
use serde_json::json;
use std::path::{Path, PathBuf};

/// |⟨m⟩| below which an island counts as vortex-like.
const VORTEX_NORM: f64 = 0.7;

fn run(raw: &RawConfig, base: &Path, label: &str) -> Result<Outcome, Error> {
    let cfg = validate(raw, base)?;
    eprintln!("two_engines: running the {label} engine …");
    experiment::run(&cfg, true, &mut |_| {})
}

/// The macrospin variant: the micromagnetic keys removed.
fn macrospin(raw: &RawConfig) -> RawConfig {
    let mut r = raw.clone();
    r.solver.kind = None;
    r.sections.remove("mesh");
    r.material.a_ex = None;
    r
}

fn main() -> Result<(), Error> {
    let path = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "experiments/asvi_reservoir.toml".into()));
    let raw = load_raw(&path, &[])?;
    let base = path.parent().unwrap_or(Path::new("."));
    let micro = run(&raw, base, "micromagnetic")?;
    let spin = run(&macrospin(&raw), base, "macrospin")?;
    let cfg = validate(&raw, base)?;
    let comps = cfg.resolved.features.as_ref().and_then(|f| f.components.clone()).unwrap_or_default();
    let (long, norm) = (comps.iter().position(|c| c == "long"), comps.iter().position(|c| c == "norm"));
    let (Some(long), Some(norm)) = (long, norm) else {
        return Err(Error::Io("features.components must list long and norm".into()));
    };
    let k = comps.len();
    let (sm, ss) = (micro.states.as_ref().expect("kept"), spin.states.as_ref().expect("kept"));
    let (steps, islands) = (sm.steps(), sm.width / k);
    let (mut same_switch, mut same_vortex, mut vortex_steps, mut total) = (0usize, 0usize, 0usize, 0usize);
    for t in cfg.split.washout..steps {
        let (a, b) = (sm.row(t), ss.row(t));
        let mut any_vortex = false;
        for i in 0..islands {
            let (ma, mb) = (&a[i * k..(i + 1) * k], &b[i * k..(i + 1) * k]);
            same_switch += usize::from((ma[long] < 0.0) == (mb[long] < 0.0));
            let (va, vb) = (ma[norm] < VORTEX_NORM, mb[norm] < VORTEX_NORM);
            same_vortex += usize::from(va == vb);
            any_vortex |= va;
            total += 1;
        }
        vortex_steps += usize::from(any_vortex);
    }
    let n_steps = steps - cfg.split.washout;
    let frac = |x: usize, n: usize| x as f64 / n.max(1) as f64;
    let score = |o: &Outcome| {
        json!({ "nrmse_test": o.outputs[0].nrmse_test, "nrmse_train": o.outputs[0].nrmse_train,
                "nrmse_validation": o.outputs[0].nrmse_validation, "lambda": o.outputs[0].model.lambda,
                "n_features": o.n_features, "wall_seconds": o.wall_seconds, "reservoir": o.reservoir })
    };
    let summary = json!({
        "experiment": path.display().to_string(),
        "task": micro.task,
        "steps_compared": n_steps,
        "islands": islands,
        "micromagnetic": score(&micro),
        "macrospin": score(&spin),
        "agreement": {
            "switched": frac(same_switch, total),
            "vortex_like": frac(same_vortex, total),
            "steps_with_a_vortex_like_island_micromagnetic": frac(vortex_steps, n_steps),
            "vortex_norm_threshold": VORTEX_NORM,
        },
        "resolved_config": serde_json::to_value(&cfg.resolved).unwrap_or_default(),
        "nanomag_version": env!("CARGO_PKG_VERSION"),
    });
    let stem = path.file_stem().map_or("experiment".into(), |s| s.to_string_lossy().to_string());
    let dir = PathBuf::from("data").join(format!("{stem}_two_engines"));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
    nanomag::io::write_json(&dir.join("summary.json"), &summary)?;
    // m along the long axis of island 0 over the first 80 compared steps, both engines.
    let shown: Vec<usize> = (cfg.split.washout..steps).take(80).collect();
    let x: Vec<f64> = shown.iter().map(|&t| t as f64).collect();
    let series = |s: &nanomag::reservoir::States, c: usize| shown.iter().map(|&t| s.row(t)[c]).collect::<Vec<f64>>();
    let (a_long, b_long, a_norm) = (series(sm, long), series(ss, long), series(sm, norm));
    plot::line_plot_fixed_y(
        &PathBuf::from("plots").join(format!("{stem}_two_engines.png")),
        Some(&PathBuf::from("plots").join(format!("{stem}_two_engines.svg"))),
        "Wide bar 0 after each input: micromagnetic vs macrospin",
        "input step t",
        "m·u (long axis) or |⟨m⟩|",
        &x,
        &[("micromagnetic m·u", &a_long), ("macrospin m·u", &b_long), ("micromagnetic |⟨m⟩|", &a_norm)],
        (-1.05, 1.05),
    )
    .map_err(|e| Error::io("figure", e))?;
    println!("{}", serde_json::to_string_pretty(&summary["agreement"]).unwrap_or_default());
    println!(
        "micromagnetic: test NRMSE {:.4} in {:.0} s; macrospin: test NRMSE {:.4} in {:.1} s; wrote {}",
        micro.outputs[0].nrmse_test,
        micro.wall_seconds,
        spin.outputs[0].nrmse_test,
        spin.wall_seconds,
        dir.display()
    );
    Ok(())
}
