//! `magnets.csv`: one row per magnet: id, x, y (m), angle (degrees), length, width,
//! thickness (m), mx, my, mz (1), sublattice. Reads back as a `custom` lattice.

use crate::error::Error;
use crate::geometry::Island;
use nalgebra::Vector3;
use std::path::Path;

pub fn write(path: &Path, islands: &[Island], m: &[Vector3<f64>]) -> Result<(), Error> {
    let err = |e: &dyn std::fmt::Display| Error::io(path.display(), e);
    let mut w = csv::Writer::from_path(path).map_err(|e| err(&e))?;
    w.write_record(["id", "x", "y", "angle", "length", "width", "thickness", "mx", "my", "mz", "sublattice"])
        .map_err(|e| err(&e))?;
    for (k, (isl, mi)) in islands.iter().zip(m).enumerate() {
        let nums = [isl.x, isl.y, isl.angle.to_degrees(), isl.length, isl.width, isl.thickness, mi.x, mi.y, mi.z];
        let mut rec = vec![k.to_string()];
        rec.extend(nums.iter().map(|x| format!("{x:e}")));
        rec.push(isl.sublattice.to_string());
        w.write_record(rec).map_err(|e| err(&e))?;
    }
    w.flush().map_err(|e| err(&e))
}
