//! The contract every engine of `registry::REGISTRY` keeps, run on each registered engine's own
//! example config (a new engine gets these tests by registering): E_total is the sum of the
//! registered energy parts and each term's field is the gradient of its own energy (so a term
//! that adds a field without registering its energy fails loudly); save → restore → continue
//! equals an uninterrupted run bit for bit, at T = 0 and with thermal noise; results do not
//! depend on the thread count; a state cannot be restored into another engine.

mod common;
use nanomag::engine::Engine;
use nanomag::registry::{self, REGISTRY};
use nanomag::Observables;

fn config(toml: &str) -> nanomag::config::SimConfig {
    common::config(toml)
}

/// The example with thermal noise at 300 K: Heun for engines with a time stepper, the
/// engine's own thermal model otherwise; None for engines without one (quasi-static).
fn with_solver_section(entry: &nanomag::config::plugin::Entry) -> Option<String> {
    let example = entry.example;
    let body = if !entry.methods.contains(&"heun") {
        example.to_string()
    } else if example.contains("[solver]\n") {
        example.replacen("[solver]\n", "[solver]\nmethod = \"heun\"\ndt = 2e-14\n", 1)
    } else {
        format!("[solver]\nmethod = \"heun\"\ndt = 2e-14\n{example}")
    };
    let toml = format!("{body}[temperature]\nt = 300.0\nseed = 5\n");
    let raw = nanomag::config::parse_toml(&toml, std::path::Path::new("t.toml")).ok()?;
    nanomag::registry::validate(&raw, std::path::Path::new(".")).ok().map(|_| toml)
}

/// The example at T = 0 and, where the engine has one, at 300 K.
fn variants(entry: &nanomag::config::plugin::Entry) -> Vec<String> {
    let mut v = vec![entry.example.to_string()];
    match with_solver_section(entry) {
        Some(t) => v.push(t),
        None => eprintln!("{}: no thermal variant (the engine refuses T > 0)", entry.name),
    }
    v
}

fn rows(e: &mut dyn Engine, h: f64, n: usize) -> Vec<Observables> {
    let mut out = Vec::new();
    e.advance(h, n, &mut |o| {
        out.push(o.clone());
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn every_engine_has_an_example_that_runs() {
    assert!(REGISTRY.len() >= 2);
    for entry in REGISTRY {
        let cfg = config(entry.example);
        assert_eq!(cfg.engine, entry.name);
        let mut e = registry::from_config(&cfg).unwrap();
        assert_eq!(e.kind(), entry.name);
        let r = rows(e.as_mut(), cfg.output_interval, 2);
        assert_eq!(r.len(), 2);
        assert!(!e.islands().is_empty());
    }
}

#[test]
fn energy_is_the_sum_of_registered_terms_and_each_field_its_gradient() {
    for entry in REGISTRY {
        let cfg = config(entry.example);
        let mut e = registry::from_config(&cfg).unwrap();
        e.check_terms().unwrap_or_else(|why| panic!("{}: {why}", entry.name));
        for o in rows(e.as_mut(), cfg.output_interval, 3) {
            let names: Vec<&str> = o.parts.iter().map(|p| p.0).collect();
            assert!(names.contains(&"e_zeeman"), "{}: {names:?}", entry.name);
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{}: a name twice in {names:?}", entry.name);
            assert_eq!(o.e_total, o.parts.iter().map(|p| p.1).sum::<f64>(), "{}", entry.name);
        }
        // After the field has moved m away from the start.
        e.check_terms().unwrap_or_else(|why| panic!("{}: {why}", entry.name));
    }
}

#[test]
fn save_restore_continue_is_bit_identical() {
    for entry in REGISTRY {
        for toml in variants(entry) {
            let cfg = config(&toml);
            let h = cfg.output_interval;
            let mut whole = registry::from_config(&cfg).unwrap();
            rows(whole.as_mut(), h, 2);
            let saved = whole.save();
            let tail = rows(whole.as_mut(), h, 2);
            // A fresh engine, moved elsewhere first, then restored and continued.
            let mut other = registry::from_config(&cfg).unwrap();
            rows(other.as_mut(), h, 1);
            other.restore(&saved).unwrap();
            let again = rows(other.as_mut(), h, 2);
            assert_eq!(tail, again, "{} ({})", entry.name, if toml.contains("t = 300") { "300 K" } else { "T = 0" });
            assert_eq!(whole.state_m(), other.state_m(), "{}", entry.name);
        }
    }
}

#[test]
fn a_state_is_not_restored_into_another_engine() {
    let saved: Vec<_> = REGISTRY.iter().map(|e| registry::from_config(&config(e.example)).unwrap().save()).collect();
    for (i, entry) in REGISTRY.iter().enumerate() {
        let mut e = registry::from_config(&config(entry.example)).unwrap();
        for (j, s) in saved.iter().enumerate() {
            assert_eq!(e.restore(s).is_ok(), i == j, "{} ← {}", entry.name, s.engine);
        }
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    for entry in REGISTRY {
        for toml in variants(entry) {
            let cfg = config(&toml);
            let run = |threads: usize| {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                pool.install(|| {
                    let mut e = registry::from_config(&cfg).unwrap();
                    (rows(e.as_mut(), cfg.output_interval, 3), e.state_m())
                })
            };
            assert_eq!(run(1), run(2), "{}", entry.name);
        }
    }
}

/// A term that adds a field but whose energy is not its own (here: none) is named by the
/// check, for both engines.
mod rogue {
    use nanomag::engine::Engine;
    use nanomag::macrospin::terms::FieldTerm;
    use nanomag::macrospin::MacrospinEngine;
    use nanomag::micromag::engine::MicromagEngine;
    use nanomag::micromag::mesh::Mesh;
    use nanomag::micromag::terms::MicroTerm;

    #[derive(Clone)]
    struct Rogue;

    impl FieldTerm for Rogue {
        fn name(&self) -> &'static str {
            "e_rogue"
        }
        fn add_field(&self, _t: f64, _m: &[f64], _first: usize, b: &mut [f64]) {
            b.iter_mut().step_by(3).for_each(|x| *x += 0.01);
        }
        fn energy(&self, _t: f64, _m: &[f64]) -> f64 {
            0.0
        }
        fn clone_box(&self) -> Box<dyn FieldTerm> {
            Box::new(self.clone())
        }
    }

    impl MicroTerm for Rogue {
        fn name(&self) -> &'static str {
            "e_rogue"
        }
        fn add_field(&self, mesh: &Mesh, _m: &[f64], _b: &nalgebra::Vector3<f64>, b: &mut [f64]) {
            for (c, bi) in b.chunks_exact_mut(3).enumerate() {
                if mesh.ms[c] > 0.0 {
                    bi[0] += 0.01;
                }
            }
        }
        fn energy(&self, _mesh: &Mesh, _m: &[f64], _b: &nalgebra::Vector3<f64>) -> f64 {
            0.0
        }
        fn clone_box(&self) -> Box<dyn MicroTerm> {
            Box::new(self.clone())
        }
    }

    #[test]
    fn a_term_whose_energy_is_missing_fails_loudly() {
        let cfg = super::config(nanomag::macrospin::engine::ENTRY.example);
        let mut e = MacrospinEngine::from_config(&cfg).unwrap();
        e.check_terms().unwrap();
        e.dynamics.sys.add_term(Box::new(Rogue));
        let why = e.check_terms().unwrap_err();
        assert!(why.contains("e_rogue"), "{why}");

        let cfg = super::config(nanomag::micromag::engine::ENTRY.example);
        let mut e = MicromagEngine::new(&cfg, cfg.protocol.clone()).unwrap();
        e.check_terms().unwrap();
        e.dynamics.sys.add_term(Box::new(Rogue));
        let why = e.check_terms().unwrap_err();
        assert!(why.contains("e_rogue"), "{why}");
    }

    #[test]
    #[should_panic(expected = "registered twice")]
    fn a_name_cannot_be_registered_twice() {
        let cfg = super::config(nanomag::macrospin::engine::ENTRY.example);
        let mut e = MacrospinEngine::from_config(&cfg).unwrap();
        e.dynamics.sys.add_term(Box::new(Rogue));
        e.dynamics.sys.add_term(Box::new(Rogue));
    }
}

/// E(t) − E(0) = W_ext − Q on every registered engine at T = 0, under a field ramp through a
/// reversal (−30 → +60 mT along the first island's axis, 40 output intervals): the work done
/// by the field and the heat the dynamics (or the flips) dissipate account for every change of
/// the registered energy. Tolerance: 1 % of the largest of |ΔE|, |W|, |Q| for the time-stepped
/// LLG engines (their stepping error: measured 6e-7 macrospin, 3.4e-3 for the coarse
/// micromagnetic example), 1e-9 of it for the binary engines (exact bookkeeping).
#[test]
fn energy_changes_by_the_work_done_minus_the_heat_on_every_engine() {
    use nalgebra::Vector3;
    use nanomag::protocol::{Protocol, Segment};
    for entry in REGISTRY {
        let cfg = config(entry.example);
        let axis = cfg.islands().unwrap()[0].long_axis();
        let n = 40;
        let ramp = Segment::Ramp {
            from: -0.03 * axis,
            to: 0.06 * axis + Vector3::new(0.0, 0.0, 0.0),
            duration: n as f64 * cfg.output_interval,
        };
        let mut e = registry::build(&cfg, Protocol::new(vec![ramp])).unwrap();
        let e0 = e.observables().e_total;
        let out = rows(e.as_mut(), cfg.output_interval, n);
        let last = out.last().unwrap();
        let scale =
            out.iter().map(|r| (r.e_total - e0).abs().max(r.w_ext.abs()).max(r.q_diss.abs())).fold(0.0, f64::max);
        assert!(scale > 0.0, "{}: the ramp did nothing", entry.name);
        let tol = if entry.precesses { 1e-2 } else { 1e-9 };
        for r in &out {
            let resid = (r.e_total - e0) - (r.w_ext - r.q_diss);
            assert!(
                resid.abs() <= tol * scale,
                "{} at t = {:e} s: E − E0 − (W − Q) = {resid:e} J of {scale:e} J",
                entry.name,
                r.t
            );
        }
        assert!(last.q_diss >= 0.0, "{}: negative heat", entry.name);
    }
}
