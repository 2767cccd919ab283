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

/// A field ramp from −b to +2b (T) along the first island's axis over `n` output intervals.
fn ramp(cfg: &nanomag::config::SimConfig, n: usize, b: f64) -> nanomag::protocol::Protocol {
    use nanomag::protocol::{Protocol, Segment};
    let axis = cfg.islands().unwrap()[0].long_axis();
    Protocol::new(vec![Segment::Ramp { from: -b * axis, to: 2.0 * b * axis, duration: n as f64 * cfg.output_interval }])
}

/// Runs `n` output intervals and returns the largest |E − E0 − (W_ext − Q)| (J), the scale
/// max(|ΔE|, |W|, |Q|) (J) and the final heat Q (J).
fn balance(e: &mut dyn Engine, h: f64, n: usize) -> (f64, f64, f64) {
    let (resid, scale, out) = balance_rows(e, h, n);
    (resid, scale, out.last().unwrap().q_diss)
}

/// [`balance`]'s residual and scale, and the rows.
fn balance_rows(e: &mut dyn Engine, h: f64, n: usize) -> (f64, f64, Vec<Observables>) {
    let e0 = e.observables().e_total;
    let out = rows(e, h, n);
    let scale = out.iter().map(|r| (r.e_total - e0).abs().max(r.w_ext.abs()).max(r.q_diss.abs())).fold(0.0, f64::max);
    let resid = out.iter().map(|r| ((r.e_total - e0) - (r.w_ext - r.q_diss)).abs()).fold(0.0, f64::max);
    (resid, scale, out)
}

/// E(t) − E(0) = W_ext − Q on every registered engine, at T = 0 and (for engines that allow
/// it) at 300 K, under a field ramp through a reversal: the work done by the field and the heat
/// the dynamics (or the flips) dissipate account for every change of the registered energy.
/// Tolerance: 1 % of the largest of |ΔE|, |W|, |Q| for the time-stepped LLG engines (their
/// stepping error: measured 6e-7 macrospin, 3.4e-3 for the coarse micromagnetic example at
/// T = 0), 1e-9 of it for the binary engines (exact bookkeeping; at 300 K their Q is the net
/// heat given to the bath, negative when the bath drives a flip uphill). The LLG engines' Q is
/// the Gilbert dissipation of the deterministic field (docs/physics.md): at T > 0 the thermal
/// field's work is not in it, so the balance is checked for them at T = 0 only.
#[test]
fn energy_changes_by_the_work_done_minus_the_heat_on_every_engine() {
    for entry in REGISTRY {
        for toml in variants(entry) {
            let cfg = config(&toml);
            if entry.precesses && cfg.temperature.t > 0.0 {
                continue;
            }
            let n = 40;
            let mut e = registry::build(&cfg, ramp(&cfg, n, 0.03)).unwrap();
            let (resid, scale, q) = balance(e.as_mut(), cfg.output_interval, n);
            let label = format!("{} at T = {} K", entry.name, cfg.temperature.t);
            eprintln!("{label}: |E − E0 − (W − Q)| ≤ {resid:e} J of {scale:e} J");
            assert!(scale > 0.0, "{label}: the ramp did nothing");
            let tol = if entry.precesses { 1e-2 } else { 1e-9 };
            assert!(resid <= tol * scale, "{label}: E − E0 − (W − Q) = {resid:e} J of {scale:e} J");
            if cfg.temperature.t == 0.0 {
                assert!(q >= 0.0, "{label}: negative heat at T = 0");
            }
        }
    }
}

/// The binary engines take every flip, ΔE booked into Q and energy part from the array's
/// registered terms ([`nanomag::binary::terms`]). A fixed bias field registered with its energy
/// keeps E − E0 = W_ext − Q to rounding on both binary engines; the same field from a test term
/// that leaves its energy unregistered (reports 0) is caught by the same check.
#[test]
fn a_binary_field_without_its_energy_breaks_the_balance() {
    use nanomag::binary::engine::BinaryEngine;
    use nanomag::binary::terms::{bias::Bias, BinaryTerm};
    #[derive(Clone)]
    struct Unregistered(Bias);
    impl BinaryTerm for Unregistered {
        fn name(&self) -> &'static str {
            "e_unregistered"
        }
        fn add_field(&self, m: &[f64], b: &mut [f64]) {
            self.0.add_field(m, b);
        }
        fn energy(&self, _mu: &[f64], _b: &[f64]) -> f64 {
            0.0
        }
        fn coupled(&self) -> bool {
            false
        }
        fn clone_box(&self) -> Box<dyn BinaryTerm> {
            Box::new(self.clone())
        }
    }
    fn run<E: BinaryEngine + Engine>(mut e: E, term: Box<dyn BinaryTerm>, h: f64) -> (f64, f64) {
        e.add_term(term).unwrap();
        let (resid, scale, out) = balance_rows(&mut e, h, 40);
        let flips = out.last().unwrap().extra.iter().find(|x| x.0 == "flips_total").unwrap().1;
        assert!(flips > 0.0, "{}: nothing flipped", e.kind());
        (resid, scale)
    }
    for kind in ["switching", "kmc"] {
        let entry = registry::entry(kind).unwrap();
        let cfg = config(entry.example);
        let islands = cfg.islands().unwrap();
        // 4–6 mT along each island's axis: it shifts every flip by 2μB_i.
        let bias = Bias::new(islands.len(), |i| (0.004 + 0.001 * (i % 3) as f64) * islands[i].long_axis());
        let (h, b) = (cfg.output_interval, 0.15);
        let cases: [(Box<dyn BinaryTerm>, bool); 2] =
            [(Box::new(bias.clone()), true), (Box::new(Unregistered(bias.clone())), false)];
        for (term, registered) in cases {
            let name = term.name();
            let (resid, scale) = match kind {
                "switching" => {
                    run(nanomag::switching::engine::SwitchingEngine::new(&cfg, ramp(&cfg, 40, b)).unwrap(), term, h)
                }
                _ => run(nanomag::kmc::engine::KmcEngine::new(&cfg, ramp(&cfg, 40, b)).unwrap(), term, h),
            };
            eprintln!("{kind} with {name}: |E − E0 − (W − Q)| ≤ {resid:e} J of {scale:e} J");
            assert!(scale > 0.0, "{kind}: the ramp did nothing");
            if registered {
                assert!(resid <= 1e-9 * scale, "{kind} with {name}: {resid:e} J of {scale:e} J");
            } else {
                assert!(
                    resid > 1e-3 * scale,
                    "{kind}: a field without its energy went unnoticed ({resid:e} J of {scale:e} J)"
                );
            }
        }
    }
}
