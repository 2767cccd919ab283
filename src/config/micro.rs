//! Validation of the micromagnetic keys (`solver.kind = "micromagnetic"`): `[mesh]`,
//! `material.a_ex`, `solver.max_err`, `init.file`/`relax`, `output.snapshot_interval`/
//! `ovf_format`. The macrospin engine refuses these keys, the micromagnetic one refuses
//! `[coupling]` (its demag field couples the islands). Defaults, units, ranges:
//! docs/config.md.

use super::checks::{in_range, missing, one_of, positive, vec3};
use super::raw::{RawConfig, RawCoupling, RawLattice, RawMagnet};
use crate::error::ConfigError;
use crate::io::ovf::OvfFormat;
use std::path::{Path, PathBuf};

/// Where the magnet is on the grid.
#[derive(Debug, Clone, PartialEq)]
pub enum MicroGeometry {
    /// A plain box of this size (m), filled with cells.
    Box([f64; 3]),
    /// The islands of `[lattice]`, rasterised.
    Lattice,
}

/// The validated micromagnetic settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MicroSpec {
    /// Cell size (m), each in [1e-10, 1e-6].
    pub cell: [f64; 3],
    pub geometry: MicroGeometry,
    /// Exchange stiffness A (J/m), in [0, 1e-9]; default 1.3e-11.
    pub a_ex: f64,
    /// RK45 error bound on max |Δm| per step, in [1e-10, 0.1]; default 1e-5.
    pub max_err: f64,
    /// Initial state from an OVF file (`init.kind = "ovf"`).
    pub init_file: Option<PathBuf>,
    /// Relax the initial state in zero field to this max torque (T) before the protocol.
    pub relax_torque: Option<f64>,
    /// Interval between OVF snapshots (s), if any.
    pub snapshot_interval: Option<f64>,
    pub ovf_format: OvfFormat,
}

/// Returns the micromagnetic settings when `solver.kind = "micromagnetic"`, else checks that
/// no micromagnetic key is set. Fills defaults into `res`.
pub fn validate(raw: &RawConfig, res: &mut RawConfig, base_dir: &Path) -> Result<Option<MicroSpec>, ConfigError> {
    let kind =
        one_of("solver.kind", raw.solver.kind.as_deref().unwrap_or("macrospin"), &["macrospin", "micromagnetic"])?;
    if kind == "macrospin" {
        // Left out of the resolved config (absent = macrospin), so config hashes of sweeps
        // made before the micromagnetic solver existed stay valid.
        let only_micro = [
            ("mesh", raw.mesh.is_some()),
            ("material.a_ex", raw.material.a_ex.is_some()),
            ("solver.max_err", raw.solver.max_err.is_some()),
            ("init.file", raw.init.file.is_some()),
            ("init.relax", raw.init.relax.is_some()),
            ("init.relax_torque", raw.init.relax_torque.is_some()),
            ("output.snapshot_interval", raw.output.snapshot_interval.is_some()),
            ("output.ovf_format", raw.output.ovf_format.is_some()),
        ];
        if let Some((key, _)) = only_micro.iter().find(|(_, set)| *set) {
            return Err(ConfigError::new(
                *key,
                "(set)",
                "is a key of the micromagnetic solver: add [solver] kind = \"micromagnetic\"",
            ));
        }
        return Ok(None);
    }
    if raw.coupling != RawCoupling::default() {
        return Err(ConfigError::new(
            "coupling",
            "[coupling]",
            "is for the macrospin engine: the micromagnetic solver's demag field couples the islands",
        ));
    }
    let mesh = raw.mesh.clone().unwrap_or_default();
    let cell = mesh.cell.as_deref().ok_or_else(|| missing("mesh.cell", "the cell size [dx, dy, dz] in m"))?;
    let c = vec3("mesh.cell", cell)?;
    for (k, v) in c.iter().enumerate() {
        in_range(&format!("mesh.cell[{k}]"), *v, 1e-10, 1e-6, "m")?;
    }
    let cell = [c.x, c.y, c.z];
    let geometry = match &mesh.size {
        Some(b) => {
            if raw.lattice != RawLattice::default() || raw.magnet != RawMagnet::default() {
                return Err(ConfigError::new(
                    "mesh.box",
                    format!("{b:?}"),
                    "replaces [lattice] and [magnet]: give one or the other",
                ));
            }
            let v = vec3("mesh.box", b)?;
            let size = [v.x, v.y, v.z];
            for k in 0..3 {
                in_range(&format!("mesh.box[{k}]"), size[k], cell[k], 1e-4, "m (at least one cell)")?;
            }
            MicroGeometry::Box(size)
        }
        None => MicroGeometry::Lattice,
    };
    let a_ex = in_range("material.a_ex", raw.material.a_ex.unwrap_or(1.3e-11), 0.0, 1e-9, "J/m")?;
    let max_err = in_range("solver.max_err", raw.solver.max_err.unwrap_or(1e-5), 1e-10, 0.1, "(max |Δm| per step)")?;
    let init_file = if raw.init.kind.as_deref() == Some("ovf") {
        let f = raw
            .init
            .file
            .as_deref()
            .ok_or_else(|| missing("init.file", "init.kind = \"ovf\" needs file = \"state.ovf\""))?;
        let p = base_dir.join(f);
        if !p.is_file() {
            return Err(ConfigError::new("init.file", f, format!("does not exist (looked for {})", p.display())));
        }
        Some(p)
    } else {
        if raw.init.file.is_some() {
            return Err(ConfigError::new("init.file", "(set)", "is only read with init.kind = \"ovf\""));
        }
        None
    };
    let relax_torque = if raw.init.relax.unwrap_or(false) {
        Some(positive("init.relax_torque", raw.init.relax_torque.unwrap_or(1e-4), "T")?)
    } else {
        if raw.init.relax_torque.is_some() {
            return Err(ConfigError::new("init.relax_torque", "(set)", "is only used with init.relax = true"));
        }
        None
    };
    let snapshot_interval = match raw.output.snapshot_interval {
        Some(v) => Some(positive("output.snapshot_interval", v, "s")?),
        None => None,
    };
    let fmt_name = raw.output.ovf_format.as_deref().unwrap_or("binary4");
    let ovf_format = OvfFormat::parse(one_of("output.ovf_format", fmt_name, &["binary4", "binary8", "text"])?)
        .unwrap_or(OvfFormat::Binary4);
    res.solver.kind = Some(kind.to_string());
    let mut m = mesh.clone();
    m.cell = Some(cell.to_vec());
    res.mesh = Some(m);
    res.material.a_ex = Some(a_ex);
    res.solver.max_err = Some(max_err);
    res.init.relax_torque = relax_torque;
    res.output.ovf_format = Some(fmt_name.to_string());
    Ok(Some(MicroSpec { cell, geometry, a_ex, max_err, init_file, relax_torque, snapshot_interval, ovf_format }))
}

/// For commands that run the macrospin engine only (`run`, `spectrum`).
pub fn refuse(spec: &Option<MicroSpec>, command: &str) -> Result<(), ConfigError> {
    match spec {
        Some(_) => Err(ConfigError::new(
            "solver.kind",
            "micromagnetic",
            format!("is supported by `nanomag simulate` only; `nanomag {command}` uses the macrospin engine"),
        )),
        None => Ok(()),
    }
}
