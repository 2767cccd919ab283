//! `magnets.csv`: one row per magnet: id, x, y (m), angle (degrees), length, width,
//! thickness (m), mx, my, mz (mean unit magnetisation, 1), sublattice, and the island's
//! texture (`crate::engine::Texture`): m_norm (|⟨m⟩|), circulation, polarity (1). Reads back as
//! a `custom` lattice, and as a restart state (`init.kind = "state"`).

use crate::engine::Texture;
use crate::error::Error;
use crate::geometry::Island;
use nalgebra::Vector3;
use std::path::Path;

pub fn write(path: &Path, islands: &[Island], m: &[Vector3<f64>]) -> Result<(), Error> {
    let uniform: Vec<Texture> = m.iter().map(|v| Texture { norm: v.norm(), circulation: 0.0, polarity: v.z }).collect();
    write_textured(path, islands, m, &uniform)
}

/// The columns of a magnets.csv, in order (x, y in m, angle in degrees, sizes in m, m
/// dimensionless, texture columns as in [`crate::engine::Texture`]).
pub const COLUMNS: [&str; 14] = [
    "id",
    "x",
    "y",
    "angle",
    "length",
    "width",
    "thickness",
    "mx",
    "my",
    "mz",
    "sublattice",
    "m_norm",
    "circulation",
    "polarity",
];

/// As [`write()`], with each island's texture (|⟨m⟩|, circulation, core polarity).
pub fn write_textured(path: &Path, islands: &[Island], m: &[Vector3<f64>], textures: &[Texture]) -> Result<(), Error> {
    let err = |e: &dyn std::fmt::Display| Error::io(path.display(), e);
    let mut w = csv::Writer::from_path(path).map_err(|e| err(&e))?;
    w.write_record(COLUMNS).map_err(|e| err(&e))?;
    for (k, ((isl, mi), tx)) in islands.iter().zip(m).zip(textures).enumerate() {
        let nums = [isl.x, isl.y, isl.angle.to_degrees(), isl.length, isl.width, isl.thickness, mi.x, mi.y, mi.z];
        let mut rec = vec![k.to_string()];
        rec.extend(nums.iter().map(|x| format!("{x:e}")));
        rec.push(isl.sublattice.to_string());
        rec.extend([tx.norm, tx.circulation, tx.polarity].iter().map(|x| format!("{x:e}")));
        w.write_record(rec).map_err(|e| err(&e))?;
    }
    w.flush().map_err(|e| err(&e))
}

/// Whether a CSV file's header has the columns mx, my, mz (false if it cannot be read).
pub fn has_magnetisation(path: &Path) -> bool {
    let Ok(mut r) = csv::ReaderBuilder::new().trim(csv::Trim::All).comment(Some(b'#')).from_path(path) else {
        return false;
    };
    let Ok(h) = r.headers() else { return false };
    ["mx", "my", "mz"].iter().all(|c| h.iter().any(|x| x == *c))
}

/// Reads the islands' m from a `magnets.csv` for a restart, checking it describes `islands`:
/// the same number of rows, each at the same position (within 1 pm) and angle (within 1e-6°).
/// Returns why not, in plain words, if it does not match.
pub fn read_state(path: &Path, islands: &[Island]) -> Result<Vec<Vector3<f64>>, String> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(std::io::Cursor::new(super::read_input(path)?));
    let header: Vec<String> =
        r.headers().map_err(|e| format!("has no header: {e}"))?.iter().map(String::from).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("has no column {name} (need x, y, angle, mx, my, mz)"))
    };
    let (cx, cy, ca, cm) = (col("x")?, col("y")?, col("angle")?, [col("mx")?, col("my")?, col("mz")?]);
    let mut m = Vec::with_capacity(islands.len());
    for (k, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("data row {}: {e}", k + 1))?;
        let num = |c: usize| -> Result<f64, String> {
            let v: f64 = rec
                .get(c)
                .unwrap_or("")
                .parse()
                .map_err(|_| format!("data row {}: column {} is not a number", k + 1, header[c]))?;
            if v.is_finite() {
                Ok(v)
            } else {
                Err(format!("data row {}: column {} is not finite", k + 1, header[c]))
            }
        };
        let Some(isl) = islands.get(k) else {
            return Err(format!("has more rows than the lattice's {} islands", islands.len()));
        };
        let (x, y, a) = (num(cx)?, num(cy)?, num(ca)?);
        let turn = ((a - isl.angle.to_degrees()) / 180.0).round() * 180.0;
        if (x - isl.x).abs() > 1e-12 || (y - isl.y).abs() > 1e-12 || (a - isl.angle.to_degrees() - turn).abs() > 1e-6 {
            return Err(format!(
                "row {} is an island at ({x:e}, {y:e}) m, {a}°: the lattice's island {k} is at ({:e}, {:e}) m, {}°",
                k + 1,
                isl.x,
                isl.y,
                isl.angle.to_degrees()
            ));
        }
        let v = Vector3::new(num(cm[0])?, num(cm[1])?, num(cm[2])?);
        if v.norm() < 1e-9 {
            return Err(format!("row {}: m is zero", k + 1));
        }
        m.push(v.normalize());
    }
    if m.len() != islands.len() {
        return Err(format!("has {} rows: the lattice has {} islands", m.len(), islands.len()));
    }
    Ok(m)
}
