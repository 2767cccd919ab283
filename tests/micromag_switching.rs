//! `nanomag switching`: an island a few exchange lengths across (30 × 15 × 3 nm permalloy,
//! l_ex ≈ 5.7 nm) reverses by coherent rotation, so its micromagnetic switching field must
//! be the Stoner–Wohlfarth value B_K / (cos^(2/3)ψ + sin^(2/3)ψ)^(3/2), with B_K from the
//! prism's demagnetising factors (Aharoni), and so must the macrospin engine's.

use std::process::Command;

const ISLAND: &str = "[solver]\nkind = \"micromagnetic\"\n[mesh]\ncell = [3e-9, 3e-9, 3e-9]\n\
    [material]\nms = 8.0e5\na_ex = 1.3e-11\n[magnet]\nlength = 30e-9\nwidth = 15e-9\nthickness = 3e-9\n\
    [lattice]\nkind = \"custom\"\nmagnets = [{ x = 0.0, y = 0.0, angle = 0.0 }]\n";

#[test]
fn a_small_island_switches_at_the_stoner_wohlfarth_field() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("island.toml");
    std::fs::write(&cfg, ISLAND).unwrap();
    for psi in ["30", "60"] {
        let out = dir.path().join(psi);
        let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
            .args(["--quiet", "switching", cfg.to_str().unwrap(), "--angle-deg", psi, "--step", "5e-3"])
            .args(["--resolution", "2e-4", "--b-max", "0.6", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let s: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("switching.json")).unwrap()).unwrap();
        let get = |k: &str| s[k].as_f64().unwrap();
        let (micro, macro_, sw) =
            (get("b_sw_micromagnetic_t"), get("b_sw_macrospin_t"), get("b_sw_stoner_wohlfarth_t"));
        eprintln!("ψ = {psi}°: micromagnetic {micro:.4} T, macrospin {macro_:.4} T, Stoner–Wohlfarth {sw:.4} T");
        assert!((micro / sw - 1.0).abs() < 0.02, "ψ = {psi}°: micromagnetic {micro} vs SW {sw}");
        assert!((macro_ / sw - 1.0).abs() < 0.02, "ψ = {psi}°: macrospin {macro_} vs SW {sw}");
        assert!(out.join("m_before_switching.png").exists() && out.join("m_before_switching.ovf").exists());
    }
    // One island only.
    std::fs::write(
        &cfg,
        ISLAND.replace(
            "magnets = [{ x = 0.0, y = 0.0, angle = 0.0 }]",
            "magnets = [{ x = 0.0, y = 0.0, angle = 0.0 }, { x = 100e-9, y = 0.0, angle = 0.0 }]",
        ),
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_nanomag"))
        .args(["--quiet", "switching", cfg.to_str().unwrap(), "--out", dir.path().join("x").to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("lattice") && err.trim_end().lines().count() == 1, "{err}");
}
