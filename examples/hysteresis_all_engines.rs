//! The same hysteresis loop from every engine: one 220 × 80 × 20 nm permalloy bar, field at
//! ψ = 30° from its long axis, swept +150 → −150 → +150 mT in 2.5 mT steps.
//! - micromagnetic (10 nm cells) and macrospin: relaxed to the local minimum at each field
//!   (damping-only descent / minimiser), T = 0;
//! - switching: the astroid calibrated on each LLG engine (`nanomag calibrate`'s library
//!   path), T = 0;
//! - kmc: the macrospin-calibrated barrier at 300 K, each field held 1 µs (a 2.5 mT/µs ramp).
//!
//! Writes data/hysteresis_all_engines.csv (b_t — the applied field along b̂ in T — then ⟨m⟩·b̂
//! per engine: m_micromagnetic, m_macrospin, m_switching_micromagnetic_astroid,
//! m_switching_macrospin_astroid, m_kmc_300k) and
//! plots/hysteresis_all_engines.png/.svg. Run:
//!   cargo run --release --example hysteresis_all_engines

use nalgebra::Vector3;
use nanomag::calibrate::{self, fit, Search};
use nanomag::config::{self, SimConfig};
use nanomag::engine::Engine;
use nanomag::plot::{xy_plot, XyPlot, XySeries, XyStyle};
use nanomag::protocol::Protocol;
use nanomag::registry;
use std::fmt::Write as _;
use std::path::Path;

const ISLAND: &str = "[magnet]\nshape = \"prism\"\nlength = 220e-9\nwidth = 80e-9\nthickness = 20e-9\n\
    [lattice]\nkind = \"custom\"\nmagnets = [{ x = 0.0, y = 0.0, angle = 0.0 }]\n\
    [[field]]\nb = [0.0, 0.0, 0.0]\nduration = 1e-9\n";

fn cfg(extra: &str) -> SimConfig {
    let a_ex = if extra.contains("micromagnetic") { "a_ex = 1.3e-11\n" } else { "" };
    let text = format!("{ISLAND}[material]\nms = 8.0e5\nalpha = 0.5\n{a_ex}{extra}");
    let raw = config::parse_toml(&text, Path::new("hysteresis.toml")).expect("config parses");
    registry::validate(&raw, Path::new(".")).expect("config is valid")
}

/// The astroid fitted to switching fields from `engine` at 5°, 15°, …, 85°.
fn calibrated(engine: &str, extra: &str) -> fit::AstroidFit {
    let search = Search { step: 2.5e-3, resolution: 2e-4, b_max: 0.3 };
    let pts: Vec<(f64, f64)> = (0..9)
        .map(|k| (5.0 + 10.0 * k as f64).to_radians())
        .map(|psi| {
            let c = cfg(extra);
            let b = if engine == "macrospin" {
                calibrate::macrospin_switching_field(c, psi, search)
            } else {
                calibrate::micromagnetic_switching_field(&c, psi, search, false).map(|m| m.b_sw)
            };
            eprintln!("{engine}: ψ = {:.0}°: {:.1} mT", psi.to_degrees(), b.as_ref().map_or(f64::NAN, |b| b * 1e3));
            (psi, b.expect("switching field"))
        })
        .collect();
    fit::fit_astroid(&pts).expect("fit")
}

/// ⟨m⟩·b̂ at each field of `fields` (T along b̂), each step: `step(engine, field)`.
fn sweep(e: &mut dyn Engine, fields: &[f64], dir: Vector3<f64>, hold: f64, relax: bool) -> Vec<f64> {
    fields
        .iter()
        .map(|&b| {
            e.set_protocol(Protocol::constant(dir * b, hold));
            if relax {
                e.relax(1e-4).expect("relaxes");
            } else {
                e.advance(hold, 1, &mut |_| Ok(())).expect("advances");
            }
            e.observables().m.dot(&dir)
        })
        .collect()
}

fn main() {
    let psi = 30f64.to_radians();
    let dir = Vector3::new(psi.cos(), psi.sin(), 0.0);
    let n = 120;
    let mut fields: Vec<f64> = (0..=n).map(|k| 0.15 - 0.3 * k as f64 / n as f64).collect();
    fields.extend((1..=n).map(|k| -0.15 + 0.3 * k as f64 / n as f64));
    let micro = "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [10e-9, 10e-9, 10e-9]\n";
    let fit_macro = calibrated("macrospin", "");
    let fit_micro = calibrated("micromagnetic", micro);
    let switching = |f: &fit::AstroidFit| {
        format!(
            "[solver]\nkind = \"switching\"\n[switching]\nhc = {}\nc = {}\nbeta = {}\ngamma = {}\n",
            f.hc, f.astroid.c, f.astroid.beta, f.astroid.gamma
        )
    };
    let kmc = format!(
        "[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\nseed = 1\n[kmc]\nk_eff = {}\n",
        0.5 * fit_macro.hc * 8.0e5
    );
    let mut curves: Vec<(String, Vec<f64>)> = Vec::new();
    let mut columns: Vec<&str> = Vec::new();
    let runs: [(&str, &str, String, f64, bool); 5] = [
        ("micromagnetic (10 nm cells), T = 0", "m_micromagnetic", micro.to_string(), 1e-9, true),
        ("macrospin LLG, T = 0", "m_macrospin", String::new(), 1e-9, true),
        (
            "switching, astroid from micromagnetic",
            "m_switching_micromagnetic_astroid",
            switching(&fit_micro),
            1e-9,
            false,
        ),
        ("switching, astroid from macrospin", "m_switching_macrospin_astroid", switching(&fit_macro), 1e-9, false),
        ("kmc, 300 K, 1 µs per 2.5 mT step", "m_kmc_300k", kmc, 1e-6, false),
    ];
    for (label, column, extra, hold, relax) in runs {
        columns.push(column);
        let c = cfg(&extra);
        let mut e = registry::from_config(&c).expect("engine builds");
        // Start saturated along +b̂.
        e.set_state_m(&[dir.x, dir.y, 0.0].repeat(e.islands().len())).ok();
        if relax {
            // The micromagnetic engine keeps its cells: start from the relaxed state at +150 mT.
            e.set_protocol(Protocol::constant(dir * fields[0], hold));
            e.relax(1e-4).expect("relaxes");
        }
        eprintln!("{label}: sweeping");
        curves.push((label.to_string(), sweep(e.as_mut(), &fields, dir, hold, relax)));
    }
    let mut csv = String::from("b_t");
    for c in &columns {
        let _ = write!(csv, ",{c}");
    }
    csv.push('\n');
    for (k, b) in fields.iter().enumerate() {
        let _ = write!(csv, "{b}");
        for (_, c) in &curves {
            let _ = write!(csv, ",{}", c[k]);
        }
        csv.push('\n');
    }
    std::fs::create_dir_all("data").expect("data/");
    std::fs::write("data/hysteresis_all_engines.csv", csv).expect("csv");
    let styles = [XyStyle::Line, XyStyle::Line, XyStyle::Rings, XyStyle::Markers, XyStyle::Line];
    let fig = XyPlot {
        title: "One 220×80×20 nm bar, field at 30° from its axis".into(),
        x_label: "μ0H along the field (mT)".into(),
        y_label: "⟨m⟩ along the field".into(),
        series: curves
            .iter()
            .zip(styles)
            .enumerate()
            .map(|(k, ((l, c), style))| {
                // Markers every 4th field, the two switching series offset, so both show.
                let keep = |i: usize| style == XyStyle::Line || i % 4 == 2 * (k % 2);
                XySeries {
                    label: l.clone(),
                    points: fields
                        .iter()
                        .zip(c)
                        .enumerate()
                        .filter(|(i, _)| keep(*i))
                        .map(|(_, (b, m))| (b * 1e3, *m))
                        .collect(),
                    style,
                }
            })
            .collect(),
    };
    xy_plot(Path::new("plots/hysteresis_all_engines.png"), Some(Path::new("plots/hysteresis_all_engines.svg")), &fig)
        .expect("figure");
    println!("wrote data/hysteresis_all_engines.csv and plots/hysteresis_all_engines.png");
}
