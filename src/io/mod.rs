//! Output files: the time table (CSV, written row by row as the run goes), the per-magnet
//! table (CSV), NumPy arrays (histories, states), OVF files and JSON summaries.

pub mod magnets;
pub mod npy;
pub mod ovf;
pub mod table;

use crate::error::Error;
use std::path::Path;

/// Writes `value` as pretty JSON to `path`.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::io(path.display(), e))?;
    std::fs::write(path, text + "\n").map_err(|e| Error::io(path.display(), e))
}
