//! A run that goes wrong numerically stops with a message saying what to change, instead of
//! writing wrong numbers. Validation refuses such steps, so these tests build the engine
//! directly with a step far too large for the fields.

mod common;
use common::*;
use nanomag::config::{Method, Solver, StepNorm, Temperature};
use nanomag::engine::Engine;
use nanomag::macrospin::engine::initial_magnetisation;
use nanomag::macrospin::{MacrospinArray, MacrospinEngine};
use nanomag::Error;

fn overstepped(method: Method) -> Error {
    let cfg = config(&format!(
        "{}[init]\nkind = \"vector\"\nm = [0.6, 0.0, 0.8]\n[[field]]\nb = [0.0, 0.0, 2.0]\nduration = 1e-9\n",
        single_island("prism", 220e-9, 80e-9, 20e-9)
    ));
    let islands = cfg.islands().unwrap();
    let array = MacrospinArray::new(&islands, &cfg.material, cfg.coupling, cfg.lattice.spacing(), cfg.protocol.clone());
    let m0 = initial_magnetisation(&cfg.init, &islands).unwrap();
    // γ·B·dt ≈ 1.76e11 · 2.7 T · 5e-11 s ≈ 24 rad per step.
    let solver = Solver { method, dt: 5e-11, rtol: 1e-8, atol: 1e-10, max_err: 1e-5, norm: StepNorm::MaxDm };
    let mut e = MacrospinEngine::new(array, islands, &m0, &solver, &Temperature { t: 0.0, seed: 1 });
    let mut rows = 0;
    let err = e.advance(1e-10, 10, &mut |_| {
        rows += 1;
        Ok(())
    });
    err.expect_err("an absurd step must not pass silently")
}

#[test]
fn oversized_fixed_steps_stop_with_advice() {
    for method in [Method::Rk4, Method::Heun] {
        let err = overstepped(method);
        assert_eq!(err.exit_code(), 3);
        let msg = err.to_string();
        assert!(msg.contains("numerical trouble") && msg.contains("reduce solver.dt"), "{msg}");
        assert!(msg.contains("|m|") || msg.contains("not finite"), "{msg}");
    }
}
