//! The switching engine at T > 0 runs flatspin's thermal model (src/switching/thermal.rs):
//! its switching-field distribution matches flatspin 2.6's on the same islands and protocol
//! (`data/flatspin/thermal/`, made by `data/flatspin/run_thermal.py`): 400 uncoupled islands
//! along x with h_c = 0.2 T and the Stoner–Wohlfarth astroid, T = 300 K, m_th = 5e-18 A·m²,
//! Δt = 1 s, f0 = 1e9 Hz, a field growing by 0.5 mT per step against the moments (along −x,
//! and 20° off it). The random numbers differ (numpy against ChaCha8), so the seed-independent
//! statistics are compared: mean and standard deviation of the switching field over 3 seeds ×
//! 400 islands each, within 3 standard errors. At T = 0 the same islands switch at the
//! astroid (0.2 T and 0.1146 T), so the thermal shift (63 and 22 mT) is what is tested.
use std::path::Path;

mod common;
use common::*;
use nanomag::switching::engine::SwitchingEngine;

const N_SIDE: usize = 20;
const DH: f64 = 5e-4;
const N_STEPS: usize = 440;

/// nanomag's switching fields (T) of every island, for the field at `angle_deg` from −x.
fn nanomag_fields(angle_deg: f64, seed: u64, t: f64) -> Vec<f64> {
    let coords: Vec<String> = (0..N_SIDE * N_SIDE)
        .map(|k| {
            format!("{{ x = {:e}, y = {:e}, angle = 0.0 }}", (k % N_SIDE) as f64 * 1e-6, (k / N_SIDE) as f64 * 1e-6)
        })
        .collect();
    let phi = (180.0 + angle_deg).to_radians();
    let h_end = (N_STEPS - 1) as f64 * DH;
    let toml = format!(
        "[magnet]\nlength = 220e-9\nwidth = 80e-9\nthickness = 25e-9\n\
         [lattice]\nkind = \"custom\"\nmagnets = [{}]\n[coupling]\nkind = \"none\"\n\
         [solver]\nkind = \"switching\"\n[switching]\nhc = 0.2\nm_therm = 5e-18\ntherm_timescale = 1.0\nattempt_freq = 1e9\n\
         [temperature]\nt = {t}\nseed = {seed}\n\
         [[field]]\nkind = \"ramp\"\nfrom = [0.0, 0.0, 0.0]\nto = [{:e}, {:e}, 0.0]\nduration = {:e}\n\
         [output]\ninterval = 1e-9\n",
        coords.join(", "),
        h_end * phi.cos(),
        h_end * phi.sin(),
        (N_STEPS - 1) as f64 * 1e-9,
    );
    let cfg = config(&toml);
    let mut e = SwitchingEngine::new(&cfg, cfg.protocol.clone()).expect("switching engine builds");
    let mut sw = vec![f64::NAN; N_SIDE * N_SIDE];
    for k in 1..N_STEPS {
        nanomag::engine::Engine::advance(&mut e, 1e-9, 1, &mut |_| Ok(())).expect("step");
        for (i, s) in e.model.array.spin.iter().enumerate() {
            if sw[i].is_nan() && *s < 0 {
                sw[i] = k as f64 * DH;
            }
        }
    }
    sw
}

/// flatspin's switching fields (T) at `angle_deg`.
fn flatspin_fields(angle_deg: f64) -> Vec<f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/flatspin/thermal/switching_fields.csv");
    let mut r = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.records()
        .map(|rec| rec.expect("row"))
        .filter(|rec| rec[0].parse::<f64>().expect("angle") == angle_deg)
        .map(|rec| rec[3].parse::<f64>().expect("field"))
        .collect()
}

/// Mean, standard deviation and the standard errors of both.
fn stats(x: &[f64]) -> (f64, f64, f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (m, sd, sd / n.sqrt(), sd / (2.0 * (n - 1.0)).sqrt())
}

#[test]
fn the_thermal_switching_field_distribution_matches_flatspin() {
    for (angle, seeds, astroid) in [(0.0, [1, 2, 3], 0.2), (20.0, [4, 5, 6], 0.1146)] {
        let ours: Vec<f64> = seeds.iter().flat_map(|&s| nanomag_fields(angle, s, 300.0)).collect();
        let theirs = flatspin_fields(angle);
        assert_eq!(theirs.len(), 1200, "the flatspin reference has 3 × 400 islands at {angle}°");
        assert!(ours.iter().chain(&theirs).all(|b| b.is_finite()), "every island switches");
        let ((m1, s1, e1, f1), (m2, s2, e2, f2)) = (stats(&ours), stats(&theirs));
        eprintln!("{angle}°: nanomag {m1:.5} ± {e1:.5} T (sd {s1:.5}), flatspin {m2:.5} ± {e2:.5} T (sd {s2:.5})");
        let (se, se_sd) = ((e1 * e1 + e2 * e2).sqrt(), (f1 * f1 + f2 * f2).sqrt());
        assert!((m1 - m2).abs() < 3.0 * se, "{angle}°: mean {m1:.5} vs flatspin {m2:.5} ± {se:.5}");
        assert!((s1 - s2).abs() < 3.0 * se_sd, "{angle}°: sd {s1:.5} vs flatspin {s2:.5} ± {se_sd:.5}");
        // The thermal shift below the astroid is large against the errors.
        assert!(astroid - m1 > 0.015, "{angle}°: no thermal shift ({m1:.4} T vs the astroid's {astroid} T)");
    }
    // At T = 0 the thermal model is off: every island switches at the astroid (within a step).
    let cold = nanomag_fields(20.0, 1, 0.0);
    assert!(cold.iter().all(|&b| (b - 0.1146).abs() <= DH), "T = 0: {:?}", &cold[..3]);
}
