//! Validation of the micromagnetic engine's own keys: `[mesh]` (cell, box, axis, precision),
//! `material.a_ex`, `output.snapshot_interval`/`ovf_format`. (`[coupling]` belongs to the
//! macrospin engine: here the demag field couples the islands.) Defaults, units, ranges:
//! docs/config.md.

use crate::config::checks::{in_range, missing, one_of, vec3};
use crate::config::raw::{RawConfig, RawLattice, RawMagnet};
use crate::config::validate::check_dt;
use crate::engine::{Common, EngineSpec};
use crate::error::ConfigError;
use std::path::Path;
use std::sync::Arc;

/// `[mesh]` of the micromagnetic solver.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawMesh {
    /// Cell size [dx, dy, dz] (m).
    pub cell: Option<Vec<f64>>,
    /// A plain box [Lx, Ly, Lz] (m) instead of the lattice's islands.
    #[serde(rename = "box")]
    pub size: Option<Vec<f64>>,
    /// Easy axis of the uniaxial anisotropy in a box (default [1, 0, 0]); lattices use each
    /// island's long axis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axis: Option<Vec<f64>>,
    /// Precision of the demag convolution: `f64` (default) or `f32` (as MuMax3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<String>,
}

/// Where the magnet is on the grid.
#[derive(Debug, Clone, PartialEq)]
pub enum MicroGeometry {
    /// A plain box of this size (m), filled with cells, with this anisotropy easy axis.
    Box { size: [f64; 3], axis: [f64; 3] },
    /// The islands of `[lattice]`, rasterised.
    Lattice,
}

/// Floating-point precision of the demag convolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    F64,
    F32,
}

/// The validated micromagnetic settings.
#[derive(Debug, Clone, PartialEq)]
pub struct MicroSpec {
    /// Cell size (m), each in [1e-10, 1e-6].
    pub cell: [f64; 3],
    pub geometry: MicroGeometry,
    /// Exchange stiffness A (J/m), in [0, 1e-9]; default 1.3e-11.
    pub a_ex: f64,
    pub precision: Precision,
}

/// The keys only this engine reads, among those `raw` sets.
pub fn owned_keys(raw: &RawConfig) -> Vec<&'static str> {
    [
        ("mesh", raw.sections.contains_key("mesh")),
        ("material.a_ex", raw.material.a_ex.is_some()),
        ("output.snapshot_interval", raw.output.snapshot_interval.is_some()),
        ("output.ovf_format", raw.output.ovf_format.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, set)| set.then_some(k))
    .collect()
}

/// Validates the micromagnetic keys, filling defaults into `res`.
pub fn validate(
    raw: &RawConfig,
    res: &mut RawConfig,
    _base_dir: &Path,
    common: &Common,
) -> Result<EngineSpec, ConfigError> {
    let mesh: RawMesh = raw.section("mesh")?.unwrap_or_default();
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
            let axis = match mesh.axis.as_deref() {
                Some(a) => {
                    let u = vec3("mesh.axis", a)?;
                    if u.norm() == 0.0 {
                        return Err(ConfigError::new("mesh.axis", "[0, 0, 0]", "must be a non-zero vector"));
                    }
                    let u = u.normalize();
                    [u.x, u.y, u.z]
                }
                None => [1.0, 0.0, 0.0],
            };
            MicroGeometry::Box { size, axis }
        }
        None => {
            if mesh.axis.is_some() {
                return Err(ConfigError::new("mesh.axis", "(set)", "is for mesh.box: islands use their long axes"));
            }
            MicroGeometry::Lattice
        }
    };
    let a_ex = in_range("material.a_ex", raw.material.a_ex.unwrap_or(1.3e-11), 0.0, 1e-9, "J/m")?;
    if let Some(dt) = common.fixed_dt {
        // Exchange between neighbouring cells adds 4A/(Ms d²) per axis to the fastest field.
        let b_ex: f64 = cell.iter().map(|d| 4.0 * a_ex / (common.ms * d * d)).sum();
        check_dt(dt, common.b_scale + b_ex)?;
    }
    let precision = match one_of("mesh.precision", mesh.precision.as_deref().unwrap_or("f64"), &["f64", "f32"])? {
        "f32" => Precision::F32,
        _ => Precision::F64,
    };
    res.solver.kind = Some("micromagnetic".into());
    let mut m = mesh.clone();
    m.cell = Some(cell.to_vec());
    res.set_section("mesh", &m);
    res.material.a_ex = Some(a_ex);
    let spec = MicroSpec { cell, geometry, a_ex, precision };
    Ok(Some(Arc::new(spec)))
}

/// The micromagnetic settings of a validated config, when its engine is this one.
pub(crate) fn micro_spec(cfg: &crate::config::SimConfig) -> Option<&MicroSpec> {
    cfg.engine_spec.0.as_ref().and_then(|s| s.downcast_ref())
}

/// `mesh.box`, when set: a plain box of cells instead of the lattice's islands.
pub fn no_islands(raw: &RawConfig) -> Option<&'static str> {
    raw.sections.get("mesh").and_then(|m| m.get("box")).map(|_| "mesh.box")
}
