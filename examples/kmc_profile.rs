//! Profiling aid: the KMC benchmark's array (100 352 islands, σ = 22 at 300 K, cutoff 3), one
//! warm-up interval, then `n` output intervals of 10 s.
//!
//!     cargo run --release --example kmc_profile -- 3
use nanomag::config::{self, raw::RawConfig};
use nanomag::engine::Engine;
use nanomag::registry;
use std::path::Path;
use std::time::Instant;

/// CPU time of this thread (s), from /proc (Linux).
fn cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|x| x.parse::<f64>().ok()))
        .map_or(f64::NAN, |ns| ns * 1e-9)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3);
    let side: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(224);
    let k_eff = 22.0 * nanomag::constants::KB * 300.0 / (100e-9 * 50e-9 * 3e-9);
    let toml = format!(
        "[solver]\nkind = \"kmc\"\n[lattice]\nkind = \"square\"\nnx = {side}\nny = {side}\nspacing = 300e-9\n\
         [magnet]\nlength = 100e-9\nwidth = 50e-9\nthickness = 3e-9\n[coupling]\ncutoff = 3.0\n\
         [material]\nalpha = 0.01\n[temperature]\nt = 300.0\nseed = 1\n[kmc]\nk_eff = {k_eff}\n\
         [[field]]\nb = [0.001, 0.001, 0.0]\nduration = 1000.0\n[output]\ninterval = 10.0\n"
    );
    let raw: RawConfig = config::parse_toml(&toml, Path::new("bench.toml")).unwrap();
    let cfg = registry::validate(&raw, Path::new(".")).unwrap();
    let t = Instant::now();
    let mut e = nanomag::kmc::engine::KmcEngine::new(&cfg, cfg.protocol.clone()).unwrap();
    eprintln!("build {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    e.advance(10.0, 1, &mut |_| Ok(())).unwrap();
    eprintln!("warm-up interval {:.3} s", t.elapsed().as_secs_f64());
    for _ in 0..n {
        let (f0, ev0) = (e.cost().steps, e.cost().evaluations);
        let (lb0, rj0) = (e.model.linear_bounds, e.model.rejections);
        let (t, c) = (Instant::now(), cpu());
        e.advance(10.0, 1, &mut |_| Ok(())).unwrap();
        let (s, c) = (t.elapsed().as_secs_f64(), cpu() - c);
        let ev = e.cost().steps - f0;
        eprintln!(
            "{ev} events in {s:.4} s ({c:.4} s CPU): {:.3e} events/s ({:.3e} per CPU s), {:.2} evaluations/event",
            ev as f64 / s,
            ev as f64 / c,
            (e.cost().evaluations - ev0) as f64 / ev as f64
        );
        eprintln!(
            "  linear bounds/event {:.2}, rejections/event {:.3}, misses {}",
            (e.model.linear_bounds - lb0) as f64 / ev as f64,
            (e.model.rejections - rj0) as f64 / ev as f64,
            e.model.bound_misses
        );
    }
}
