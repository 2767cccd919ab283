//! Output files: the time table (CSV, written row by row as the run goes), the per-magnet
//! table (CSV), NumPy arrays (histories, states), OVF files, JSON summaries and JSON-lines
//! logs appended as work finishes ([`jsonl`]).

pub mod jsonl;
pub mod magnets;
pub mod npy;
pub mod ovf;
pub mod table;

use crate::error::{ConfigError, Error};
use std::path::Path;

/// Writes `value` as pretty JSON to `path`.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::io(path.display(), e))?;
    std::fs::write(path, text + "\n").map_err(|e| Error::io(path.display(), e))
}

/// A problem with an input file the user gave (exit code 2): `file = PATH: why`.
pub fn bad_file(path: &Path, why: impl std::fmt::Display) -> Error {
    let why = why.to_string().replace('\n', " ");
    ConfigError::new("file", path.display(), why.chars().take(300).collect::<String>()).into()
}

/// Creates the output folder `dir` (and its parents); a path that is a file, or a folder that
/// cannot be created, is the user's `--out` (exit code 2).
pub fn out_dir(dir: &Path) -> Result<(), Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(ConfigError::new("--out", dir.display(), "is a file: must be a folder (existing or new)").into());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| ConfigError::new("--out", dir.display(), format!("cannot be created as a folder: {e}")).into())
}

/// Largest input file nanomag reads (bytes): 2 GB.
pub const MAX_INPUT_BYTES: u64 = 2_000_000_000;

/// The bytes of an input file, refusing what is not a regular file (a FIFO, /dev/zero: a read
/// that may never end) or is larger than [`MAX_INPUT_BYTES`]; the error says why in plain words.
pub fn read_input(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot be read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!("is {} bytes: input files may be at most {MAX_INPUT_BYTES} bytes", meta.len()));
    }
    std::fs::read(path).map_err(|e| format!("cannot be read: {e}"))
}

/// An input file as text (see [`read_input`]).
pub fn read_input_text(path: &Path) -> Result<String, String> {
    String::from_utf8(read_input(path)?)
        .map_err(|e| format!("is not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
}
