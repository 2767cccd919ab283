//! A [`Switching`] model of an array exported from flatspin (Jensen et al., Phys. Rev. B 106,
//! 064408 (2022)): `spins.csv` (index, x, y in lattice units, mx, my — flatspin's unit axes —,
//! init_spin, threshold = h_c in T) and `params.json` (`model_kwargs`: alpha,
//! neighbor_distance, sw_b, sw_c, sw_beta, sw_gamma, flip_mode), as written by the scripts in
//! data/flatspin/ and python/flatspin_bench.py. Positions are scaled by [`SPACING`]; the
//! coupling is flatspin's α itself, so the model runs exactly flatspin's arithmetic (with
//! exact re-summation after each flip).

use super::astroid::Astroid;
use super::dipolar::FrameDipolar;
use super::{FlipPolicy, Switching};
use crate::binary::BinaryArray;
use crate::error::{ConfigError, Error};
use crate::geometry::{Island, Shape};
use crate::protocol::Protocol;
use nalgebra::Vector3;
use std::collections::HashMap;
use std::path::Path;

/// The lattice spacing (m) given to flatspin's unit lattice: a power of two, so the scaling
/// is exact (≈ 0.95 µm).
pub const SPACING: f64 = 1.0 / (1u64 << 20) as f64;

/// The rows of a CSV file as maps from column name to number.
pub fn numeric_rows(path: &Path) -> Result<Vec<HashMap<String, f64>>, Error> {
    let bad = |why: String| Error::from(ConfigError::new("file", path.display(), why));
    let mut r = csv::Reader::from_path(path).map_err(|e| bad(format!("cannot be read: {e}")))?;
    let head: Vec<String> =
        r.headers().map_err(|e| bad(format!("has no header: {e}")))?.iter().map(String::from).collect();
    let mut out = Vec::new();
    for (k, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("row {}: {e}", k + 1)))?;
        let mut row = HashMap::new();
        for (h, v) in head.iter().zip(rec.iter()) {
            let x: f64 = v.trim().parse().map_err(|_| bad(format!("row {}: {h} = {v} is not a number", k + 1)))?;
            row.insert(h.clone(), x);
        }
        out.push(row);
    }
    Ok(out)
}

fn col(row: &HashMap<String, f64>, key: &str, path: &Path) -> Result<f64, Error> {
    row.get(key).copied().ok_or_else(|| ConfigError::new("file", path.display(), format!("has no column {key}")).into())
}

/// The model of the flatspin export in `dir`.
pub fn from_flatspin(dir: &Path) -> Result<Switching, Error> {
    let pj = dir.join("params.json");
    let text = std::fs::read_to_string(&pj).map_err(|e| crate::io::bad_file(&pj, format!("cannot be read: {e}")))?;
    let params: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| ConfigError::new("file", pj.display(), format!("is not JSON: {e}")))?;
    let kw = &params["model_kwargs"];
    let f = |k: &str| -> Result<f64, Error> {
        kw[k].as_f64().ok_or_else(|| ConfigError::new("file", pj.display(), format!("has no model_kwargs.{k}")).into())
    };
    let sp = dir.join("spins.csv");
    let spins = numeric_rows(&sp)?;
    let mut islands = Vec::with_capacity(spins.len());
    let (mut axis, mut spin, mut hc) = (Vec::new(), Vec::new(), Vec::new());
    for r in &spins {
        let (mx, my) = (col(r, "mx", &sp)?, col(r, "my", &sp)?);
        islands.push(Island {
            x: col(r, "x", &sp)? * SPACING,
            y: col(r, "y", &sp)? * SPACING,
            angle: my.atan2(mx),
            shape: Shape::Prism,
            length: 220e-9,
            width: 80e-9,
            thickness: 25e-9,
            sublattice: 0,
        });
        axis.push(Vector3::new(mx, my, 0.0));
        spin.push(if col(r, "init_spin", &sp)? >= 0.0 { 1 } else { -1 });
        hc.push(col(r, "threshold", &sp)?);
    }
    let mut array = BinaryArray::new(islands, 860e3, spin, None, Protocol::constant(Vector3::zeros(), 1.0));
    // flatspin's axes exactly as numpy computed them.
    array.perp = axis.iter().map(|e| Vector3::new(-e.y, e.x, 0.0)).collect();
    array.axis = axis;
    let pos: Vec<(f64, f64)> = array.islands.iter().map(|i| (i.x, i.y)).collect();
    let mut dip = FrameDipolar::new(&pos, &array.axis, &array.moment, SPACING, f("neighbor_distance")?);
    dip.alpha = f("alpha")?;
    dip.exact = true;
    let astroid = Astroid { b: f("sw_b")?, c: f("sw_c")?, beta: f("sw_beta")?, gamma: f("sw_gamma")? };
    let mode = kw["flip_mode"].as_str().unwrap_or("max");
    let policy = FlipPolicy::parse(mode)
        .ok_or_else(|| ConfigError::new("file", pj.display(), format!("flip_mode {mode} is not a nanomag policy")))?;
    Ok(Switching::new(array, Some(dip), astroid, hc, policy, 0))
}
