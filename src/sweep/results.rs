//! `results.jsonl`: one JSON object per finished point, appended and synced as soon as the
//! point ends, so a crash loses at most the points still running. A line cut off by a crash is
//! dropped (and trimmed before appending) when the file is read again.

use crate::energy::EnergyParts;
use crate::error::{ConfigError, Error};
use crate::io::jsonl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

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
/// line without its newline (cut off by a crash) is ignored; any other bad line is an error
/// (see [`crate::io::jsonl`]).
pub fn read(dir: &Path) -> Result<Vec<Record>, Error> {
    let path = dir.join(RESULTS);
    if !path.exists() {
        return Ok(Vec::new());
    }
    crate::io::jsonl::read(&path, "a nanomag result record")
}

/// Appends records to `dir/results.jsonl`, one line each, written and synced at once.
pub struct Appender(jsonl::Appender);

impl Appender {
    /// Opens (creating) the file for appending and takes an exclusive lock on it (released
    /// when this process ends, however it ends), then drops a partial last line. A file that
    /// another process holds is refused: two sweeps never write the same results file.
    pub fn open(dir: &Path) -> Result<Self, Error> {
        let busy = || {
            ConfigError::new(
                "--out",
                dir.display(),
                "another nanomag process is writing this directory's results.jsonl: wait for it to end, or choose another --out",
            )
            .into()
        };
        jsonl::Appender::open(&dir.join(RESULTS), RESULTS, busy).map(Appender)
    }

    /// Appends one record and syncs it to disk.
    pub fn append(&self, r: &Record) -> Result<(), Error> {
        self.0.append(r)
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
