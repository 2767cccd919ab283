//! The spectrum of a recorded ringdown: a column of a `table.csv` (e.g. ⟨m_y⟩ after a field
//! step, as in the FMR standard problem), sampled at the table's uniform times, mean
//! removed, Hann-windowed, zero-padded and Fourier transformed ([`super::power_spectrum`]);
//! lines by [`super::peaks`]. Rows before `from` (s) are skipped.

use super::{peaks, power_spectrum, Peak};
use crate::error::{ConfigError, Error};
use std::path::Path;

/// A ringdown's spectrum: frequencies (Hz), power, the sampling interval (s) and the record
/// length T (s) whose inverse 1/T is the resolution (one frequency bin).
#[derive(Debug, Clone)]
pub struct Ringdown {
    pub f: Vec<f64>,
    pub power: Vec<f64>,
    pub dt: f64,
    pub duration: f64,
}

impl Ringdown {
    /// Lines above `min_relative` of the strongest, strongest first, at most `max`, ignoring
    /// frequencies below two bins.
    pub fn lines(&self, min_relative: f64, max: usize) -> Vec<Peak> {
        peaks(&self.f, &self.power, 2.0 / self.duration, min_relative, max)
    }
}

/// Reads column `column` of a table (header names, e.g. `my`) from time `from` (s) on.
pub fn from_table(path: &Path, column: &str, from: f64, pad: usize) -> Result<Ringdown, Error> {
    let (header, rows) = crate::io::table::read(path)?;
    let shown = path.display().to_string();
    let bad = |why: String| -> Error { ConfigError::new("table", &shown, why).into() };
    let tcol = header.iter().position(|h| h == "t_s" || h == "t").ok_or_else(|| bad("has no column t_s".into()))?;
    let col = header
        .iter()
        .position(|h| h == column)
        .ok_or_else(|| bad(format!("has no column {column} (columns: {})", header.join(", "))))?;
    let rows: Vec<&Vec<f64>> = rows.iter().filter(|r| r[tcol] >= from).collect();
    if rows.len() < 16 {
        return Err(bad(format!("has {} rows from t = {from:e} s: at least 16 are needed", rows.len())));
    }
    let dt = rows[1][tcol] - rows[0][tcol];
    if dt.is_nan() || dt <= 0.0 || rows.windows(2).any(|w| ((w[1][tcol] - w[0][tcol]) - dt).abs() > 1e-6 * dt) {
        return Err(bad("is not sampled at uniform times".into()));
    }
    let signal: Vec<f64> = rows.iter().map(|r| r[col]).collect();
    if signal.iter().any(|v| !v.is_finite()) {
        return Err(bad(format!("column {column} holds a value that is not a finite number")));
    }
    let (f, power) = power_spectrum(&signal, dt, pad);
    Ok(Ringdown { f, power, dt, duration: dt * signal.len() as f64 })
}
