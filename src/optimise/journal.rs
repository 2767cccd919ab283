//! The journal of a search: one JSON line per evaluated design, appended and synced the moment
//! its runs end (`DIR/journal.jsonl`; a shard writes `DIR/journal.shard-K-of-N.jsonl`). It holds
//! what the optimiser may see — the design, its validation scores and validation-safe metrics —
//! and never a test score. Reading drops a line cut off by a crash; the journals of every shard
//! are read together, one entry per index.

use crate::error::{ConfigError, Error};
use crate::io::jsonl;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The journal of an unsharded search.
pub const JOURNAL: &str = "journal.jsonl";

/// One evaluated design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the search (batches in order, designs in proposal order).
    pub index: usize,
    pub batch: usize,
    pub slot: usize,
    pub method: String,
    /// The design: the value of each parameter, by its (first) key.
    pub params: BTreeMap<String, serde_json::Value>,
    /// Its coordinates in the optimiser's space.
    pub x: Vec<f64>,
    /// Config hash of its first run ("" for a design that did not validate).
    pub hash: String,
    /// Validation NRMSE of each run.
    pub validation: Vec<Option<f64>>,
    /// Each metric, mean over the runs.
    pub metrics: BTreeMap<String, f64>,
    /// What the optimiser was told: objectives (log10 of the metric), then constraints
    /// (feasible where ≤ 0); null where the evaluation failed.
    pub y: Vec<Option<f64>>,
    pub feasible: bool,
    /// Why the design has no scores (an invalid design, numerical trouble, a constraint
    /// known before the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub wall_seconds: f64,
    pub nanomag_version: String,
}

impl Entry {
    /// The observation the optimiser learns from.
    pub fn observation(&self) -> super::propose::Observation {
        super::propose::Observation { x: self.x.clone(), y: self.y.iter().map(|v| v.unwrap_or(f64::NAN)).collect() }
    }

    /// Mean of a metric (NaN when the design has none).
    pub fn metric(&self, name: &str) -> f64 {
        self.metrics.get(name).copied().unwrap_or(f64::NAN)
    }

    /// The entry without its wall time (for comparing searches).
    pub fn timeless(&self) -> Entry {
        Entry { wall_seconds: 0.0, ..self.clone() }
    }
}

/// The journal file of shard `k` of `n` (the unsharded journal for n = 1).
pub fn path(dir: &Path, k: usize, n: usize) -> PathBuf {
    if n <= 1 {
        dir.join(JOURNAL)
    } else {
        dir.join(format!("journal.shard-{k}-of-{n}.jsonl"))
    }
}

/// The complete lines of one journal file (a last line without its newline is dropped; see
/// [`crate::io::jsonl`]).
pub fn read_file(path: &Path) -> Result<Vec<Entry>, Error> {
    crate::io::jsonl::read(path, "a nanomag optimise journal entry")
}

/// Every entry of every journal in `dir` (the unsharded one and each shard's), one per
/// index (the first read), sorted by index. Two entries of one index with different designs
/// are an error: the journals are not of one search.
pub fn read_all(dir: &Path) -> Result<Vec<Entry>, Error> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("journal") && n.ends_with(".jsonl"))
            })
            .collect(),
        Err(_) => return Ok(Vec::new()),
    };
    files.sort();
    let mut by_index: BTreeMap<usize, Entry> = BTreeMap::new();
    for f in files {
        for e in read_file(&f)? {
            match by_index.get(&e.index) {
                Some(old) if old.hash != e.hash || old.x != e.x => {
                    return Err(ConfigError::new(
                        "--out",
                        dir.display(),
                        format!(
                            "its journals disagree on evaluation {} ({}): they are not of one search",
                            e.index,
                            f.display()
                        ),
                    )
                    .into())
                }
                Some(_) => {}
                None => {
                    by_index.insert(e.index, e);
                }
            }
        }
    }
    Ok(by_index.into_values().collect())
}

/// Appends entries to one journal file, each line written and synced at once.
pub struct Appender(jsonl::Appender);

impl Appender {
    /// Opens (creating) `path` for appending under an exclusive lock (released when the
    /// process ends, however it ends) and drops a partial last line. A journal another
    /// process holds is refused.
    pub fn open(path: &Path) -> Result<Appender, Error> {
        let busy = || {
            ConfigError::new(
                "--out",
                path.display(),
                "another nanomag process is writing this journal: wait for it to end, or choose another --out or --shard",
            )
            .into()
        };
        jsonl::Appender::open(path, path.display(), busy).map(Appender)
    }

    /// Appends one entry and syncs it to disk.
    pub fn append(&self, e: &Entry) -> Result<(), Error> {
        self.0.append(e)
    }
}

/// The lowest feasible mean of `metric` after each evaluation (None before the first
/// feasible one).
pub fn best_so_far(entries: &[Entry], metric: &str) -> Vec<Option<f64>> {
    let mut best: Option<f64> = None;
    entries
        .iter()
        .map(|e| {
            let m = e.metric(metric);
            if e.feasible && m.is_finite() {
                best = Some(best.map_or(m, |b: f64| b.min(m)));
            }
            best
        })
        .collect()
}
