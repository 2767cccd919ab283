//! `results.jsonl`: one JSON object per finished point, appended and synced as soon as the
//! point ends, so a crash loses at most the points still running. A line cut off by a crash is
//! dropped (and trimmed before appending) when the file is read again.

use crate::energy::EnergyParts;
use crate::error::{ConfigError, Error};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;

/// File name of the results inside a sweep directory.
pub const RESULTS: &str = "results.jsonl";

/// Energy of a point (J per input step and per run; counts per step).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointEnergy {
    pub per_step: EnergyParts,
    pub per_run: EnergyParts,
    pub macs_per_step: f64,
    pub bits_per_step: f64,
    pub features_read_per_step: usize,
    pub field_source_model: String,
}

/// One finished point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Hash of the point's resolved configuration (see `spec::config_hash`).
    pub hash: String,
    /// Index in the whole sweep (groups in order, last axis fastest).
    pub index: usize,
    pub group: String,
    pub base: String,
    /// The swept values, by dotted key.
    pub params: BTreeMap<String, Value>,
    pub task: String,
    pub reservoir: String,
    pub reservoir_kind: String,
    /// The engine of a magnet reservoir (`solver.kind`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    pub n_magnets: Option<usize>,
    pub n_features: Option<usize>,
    pub nrmse_train: Option<f64>,
    pub nrmse_validation: Option<f64>,
    pub nrmse_test: Option<f64>,
    pub memory_capacity: Option<f64>,
    pub lambda: Option<f64>,
    pub energy: Option<PointEnergy>,
    pub seeds: Value,
    pub wall_seconds: f64,
    /// True when the point is an idealised bound (magnets at T = 0 or read by the ideal
    /// sensor), false for a device estimate; absent in results written before sensors existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idealised: Option<bool>,
    /// How the point's hyper-parameters were chosen, for a tuned baseline written by
    /// `nanomag baselines` (e.g. "tuned on validation: random search, 60 candidates"); absent
    /// for a sweep point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<String>,
    /// Set when the point failed (numerical trouble); its metrics are then empty.
    pub error: Option<String>,
    pub nanomag_version: String,
}

impl Record {
    /// The record without its wall time (for comparing runs).
    pub fn timeless(&self) -> Record {
        Record { wall_seconds: 0.0, ..self.clone() }
    }
}

/// Reads every complete record of `dir/results.jsonl` (none if the file is missing). A last
/// line without its newline (cut off by a crash) is ignored; any other bad line is an error.
pub fn read(dir: &Path) -> Result<Vec<Record>, Error> {
    let path = dir.join(RESULTS);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = crate::io::read_input_text(&path).map_err(|e| crate::io::bad_file(&path, e))?;
    let complete = match text.rfind('\n') {
        Some(i) => &text[..=i],
        None => "",
    };
    complete
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                let why = crate::config::words::humanise(&e.to_string());
                crate::io::bad_file(&path, format!("line {} is not a nanomag result record: {why}", i + 1))
            })
        })
        .collect()
}

/// Appends records to `dir/results.jsonl`, one line each, written and synced at once.
pub struct Appender {
    file: Mutex<File>,
}

impl Appender {
    /// Opens (creating) the file for appending and takes an exclusive lock on it (released
    /// when this process ends, however it ends), then drops a partial last line. A file that
    /// another process holds is refused: two sweeps never write the same results file.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        let path = dir.join(RESULTS);
        let err = |e: std::io::Error| Error::io(path.display(), e);
        let mut file = OpenOptions::new().read(true).append(true).create(true).open(&path).map_err(err)?;
        if let Err(e) = file.try_lock() {
            return Err(match e {
                std::fs::TryLockError::WouldBlock => ConfigError::new(
                    "--out",
                    dir.display(),
                    "another nanomag process is writing this directory's results.jsonl: wait for it to end, or choose another --out",
                )
                .into(),
                std::fs::TryLockError::Error(e) => err(e),
            });
        }
        let mut text = Vec::new();
        file.read_to_end(&mut text).map_err(err)?;
        if !text.is_empty() && text.last() != Some(&b'\n') {
            let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            file.set_len(keep as u64).map_err(err)?;
            file.seek(SeekFrom::End(0)).map_err(err)?;
        }
        Ok(Appender { file: Mutex::new(file) })
    }

    pub fn append(&self, r: &Record) -> Result<(), Error> {
        let mut line = serde_json::to_string(r).map_err(|e| Error::io(RESULTS, e))?;
        line.push('\n');
        let mut f = self.file.lock().map_err(|_| Error::io(RESULTS, "writer poisoned"))?;
        f.write_all(line.as_bytes()).map_err(|e| Error::io(RESULTS, e))?;
        f.sync_data().map_err(|e| Error::io(RESULTS, e))
    }
}

/// The union of several result sets: one record per hash (the first seen), sorted by index.
pub fn merge(sets: impl IntoIterator<Item = Vec<Record>>) -> Vec<Record> {
    let mut seen = BTreeMap::new();
    for set in sets {
        for r in set {
            seen.entry(r.hash.clone()).or_insert(r);
        }
    }
    let mut out: Vec<Record> = seen.into_values().collect();
    out.sort_by(|a, b| a.index.cmp(&b.index).then_with(|| a.hash.cmp(&b.hash)));
    out
}

/// Writes records to `dir/results.jsonl` (replacing it).
pub fn write_all(dir: &Path, records: &[Record]) -> Result<(), Error> {
    let path = dir.join(RESULTS);
    let mut text = String::new();
    for r in records {
        text += &serde_json::to_string(r).map_err(|e| Error::io(path.display(), e))?;
        text.push('\n');
    }
    std::fs::write(&path, text).map_err(|e| Error::io(path.display(), e))
}
