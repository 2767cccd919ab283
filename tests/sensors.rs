//! Sensors on the reservoir pipeline: a k-tap delay line read by the ideal sensor has memory
//! capacity k; read with additive noise σ it has, per delay, the r² of a linear channel,
//! r² = var(s)/(var(s) + σ²) (Jaeger's memory capacity of a noisy linear channel), so
//! MC = k·var(s)/(var(s) + σ²); with the scaled input s ~ U[0, 1], var(s) = 1/12.

use nanomag::config::parse_toml;
use nanomag::reservoir::config::validate;
use nanomag::reservoir::experiment;
use std::path::Path;

fn delay_line_mc(taps: usize, sensor: &str) -> f64 {
    let text = format!(
        "[reservoir]\nkind = \"delay_line\"\ntaps = {taps}\n[task]\nkind = \"memory_capacity\"\ndelays = {taps}\n\
         seed = 5\ntrain = 6000\nvalidation = 1000\ntest = 6000\n{sensor}"
    );
    let cfg = validate(&parse_toml(&text, Path::new("t.toml")).unwrap(), Path::new(".")).unwrap();
    experiment::run(&cfg, false, &mut |_| {}).unwrap().memory_capacity.unwrap()
}

#[test]
fn delay_line_through_the_ideal_sensor_remembers_k_inputs() {
    for k in [3, 8] {
        let mc = delay_line_mc(k, "");
        assert!((mc - k as f64).abs() < 1e-6, "k {k}: MC {mc}");
    }
}

#[test]
fn delay_line_through_a_noisy_sensor_follows_the_linear_channel() {
    let k = 8;
    let var: f64 = 1.0 / 12.0;
    for sigma2 in [var / 3.0, var, 3.0 * var] {
        let sensor = format!("[sensor]\nkind = \"projection\"\nnoise = {}\nadc_bits = 0\n", sigma2.sqrt());
        let mc = delay_line_mc(k, &sensor);
        let expected = k as f64 * var / (var + sigma2);
        // r² of one delay on n = 6000 test rows: standard error ≈ 2r(1−r²)/√n per delay, and
        // the readout's finite training adds a bias ~ p/n_train below the closed form.
        let r2 = var / (var + sigma2);
        let se = k as f64 * 2.0 * r2.sqrt() * (1.0 - r2) / 6000f64.sqrt();
        let bias = k as f64 * r2 * (k as f64 + 2.0) / 6000.0;
        assert!(
            mc < expected + 3.0 * se && mc > expected - 3.0 * se - bias,
            "σ² {sigma2}: MC {mc} vs closed form {expected} (3 SE {})",
            3.0 * se
        );
    }
}

#[test]
fn sensor_keys_are_checked_with_one_line() {
    let bad = |sensor: &str| {
        let text = format!("[reservoir]\nkind = \"delay_line\"\n[task]\nkind = \"narma10\"\n{sensor}");
        validate(&parse_toml(&text, Path::new("t.toml")).unwrap(), Path::new(".")).unwrap_err().to_string()
    };
    assert!(bad("[sensor]\nkind = \"camera\"").contains("sensor.kind"));
    assert!(bad("[sensor]\nkind = \"projection\"\nwindow = 1e-9").contains("sensor.window"));
    assert!(bad("[sensor]\nkind = \"region\"").contains("magnet_state"));
    assert!(bad("[sensor]\nkind = \"spectrum\"").contains("features.kind = \"spectrum\""));
    assert!(bad("[sensor]\nkind = \"ideal\"\nnoise = 0.1").contains("sensor.noise"));
    assert!(bad("[sensor]\nkind = \"projection\"\nnoise_density = 1e-7").contains("sensor.bandwidth"));
}

/// A small magnet reservoir on `engine` (macrospin or kmc) with `sensor`.
fn magnets(engine: &str, features: &str, sensor: &str) -> String {
    let solver = match engine {
        "kmc" => "[solver]\nkind = \"kmc\"\n[temperature]\nt = 300.0\n",
        _ => "[solver]\nmethod = \"rk4\"\ndt = 1e-12\n",
    };
    let hold = if engine == "kmc" { 50e-6 } else { 0.2e-9 };
    format!(
        "{solver}[material]\nms = 5.0e5\nalpha = 0.1\n[magnet]\nshape = \"prism\"\nlength = 100e-9\nwidth = 50e-9\n\
         thickness = 2.5e-9\n[lattice]\nkind = \"square\"\nnx = 2\nny = 2\nspacing = 200e-9\n\
         [input]\nkind = \"amplitude\"\nb0 = [-0.004, -0.004, 0.0]\ndb = [0.008, 0.008, 0.0]\nhold = {hold}\nsamples = 2\nrise = 0.0\n\
         {features}\n[task]\nkind = \"narma10\"\nwashout = 20\ntrain = 40\nvalidation = 10\ntest = 10\n{sensor}"
    )
}

/// Every sensor reads every engine and feature kind it applies to, and the energy model
/// charges exactly its energy per read × reads per step.
#[test]
fn sensors_read_every_engine_and_are_charged() {
    let feats = [
        "[features]\nkind = \"magnet_state\"\ncomponents = [\"long\", \"perp\"]",
        "[features]\nkind = \"tiles\"\ntiles = [2, 1]",
    ];
    let sensors = [
        "",
        "[sensor]\nkind = \"projection\"\nwindow_points = 3",
        "[sensor]\nkind = \"binary\"\nnoise = 0.01",
        "[sensor]\nkind = \"region\"\nregions = [2, 1]",
    ];
    for engine in ["macrospin", "kmc"] {
        for f in feats {
            for s in sensors {
                if s.contains("region") && f.contains("tiles") {
                    continue;
                }
                let text = magnets(engine, f, s);
                let cfg = validate(&parse_toml(&text, Path::new("t.toml")).unwrap(), Path::new("."))
                    .unwrap_or_else(|e| panic!("{engine} {f} {s}: {e}"));
                let o = experiment::run(&cfg, true, &mut |_| {}).unwrap();
                let st = o.states.as_ref().unwrap();
                let per_read = st.width / 2;
                // 2 × 2 cells of square ice: 8 islands × 2 components, or 2 tiles × (m_x, m_y).
                let raw_width = if f.contains("tiles") { 4 } else { 16 };
                if !s.contains("region") {
                    assert_eq!(per_read, raw_width);
                }
                let expected = cfg.sensor.energy_per_read(raw_width) * 2.0;
                assert!(
                    (o.energy.per_step.readout - expected).abs() <= 1e-12 * expected,
                    "{engine} {s}: readout {} vs {expected}",
                    o.energy.per_step.readout
                );
                assert!(expected > 0.0);
                if s.contains("binary") {
                    assert!(st.rows.iter().all(|v| *v == 1.0 || *v == -1.0));
                }
                if s.contains("region") {
                    assert_eq!(per_read, 2 * 2, "2 regions × 2 components");
                }
            }
        }
    }
}

/// The spectrum sensor reads the FMR channels through the pipeline: with a huge SNR it gives
/// the ideal channels (log10 of normalised power), with a finite one they differ; its energy
/// is charged per read.
#[test]
fn spectrum_sensor_reads_fmr_channels() {
    let text = |sensor: &str| {
        format!(
            "[solver]\nmethod = \"rk4\"\ndt = 1e-12\n[material]\nms = 8.0e5\nalpha = 0.02\n[magnet]\nshape = \"prism\"\n\
             length = 220e-9\nwidth = 80e-9\nthickness = 20e-9\n[lattice]\nkind = \"square\"\nnx = 1\nny = 1\nspacing = 500e-9\n\
             [input]\nkind = \"amplitude\"\nb0 = [0.02, 0.02, 0.0]\ndb = [0.01, 0.01, 0.0]\nhold = 0.2e-9\nsamples = 1\n\
             [features]\nkind = \"spectrum\"\nchannels = 6\nf_min = 2e9\nf_max = 20e9\n\
             [spectrum]\nringdown = 1e-9\nsample_interval = 1e-11\n\
             [task]\nkind = \"narma10\"\nwashout = 10\ntrain = 20\nvalidation = 5\ntest = 10\n{sensor}"
        )
    };
    let run = |sensor: &str| {
        let cfg = validate(&parse_toml(&text(sensor), Path::new("t.toml")).unwrap(), Path::new(".")).unwrap();
        let o = experiment::run(&cfg, true, &mut |_| {}).unwrap();
        let expected = cfg.sensor.energy_per_read(6);
        (o.states.unwrap().rows, o.energy.per_step.readout, expected)
    };
    let (ideal, _, _) = run("");
    let (exact, e_exact, want) = run("[sensor]\nkind = \"spectrum\"\nsnr_db = 200.0\n");
    let (noisy, _, _) = run("[sensor]\nkind = \"spectrum\"\nsnr_db = 10.0\naverages = 1\n");
    assert_eq!(ideal.len(), exact.len());
    for (a, b) in ideal.iter().zip(&exact) {
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    }
    let diff = ideal.iter().zip(&noisy).filter(|(a, b)| (*a - *b).abs() > 1e-3).count();
    assert!(diff > ideal.len() / 2, "noise reached only {diff} of {} channels", ideal.len());
    assert!(noisy.iter().all(|v| v.is_finite()));
    assert!((e_exact - want).abs() <= 1e-12 * want && want > 0.0, "{e_exact} vs {want}");
}
