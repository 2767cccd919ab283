//! Benchmark tasks, one file each behind [`Task`]: a seeded generator of the input series
//! u(t) and the target series the readout must produce after seeing u(0..=t).
//!
//! Adding a task: one file with a type implementing [`Task`], one line in [`REGISTRY`] naming
//! the `[task]` keys it owns (a key of another task is refused by the shared check).

pub mod mackey_glass;
pub mod memory_capacity;
pub mod narma;
pub mod parity;
pub mod signal_transform;
pub mod sine_square;

use crate::config::raw::RawTask;
use crate::error::ConfigError;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Inputs and targets of one task instance.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskData {
    /// Input u(t), t = 0..steps.
    pub u: Vec<f64>,
    /// Target series (one per readout output), each of length `steps`: `y[k][t]` is what
    /// output k must give after input u(t).
    pub y: Vec<Vec<f64>>,
    /// Name of each output (`y`, or `delay_k` for memory capacity).
    pub names: Vec<String>,
}

/// A time-series task.
pub trait Task: Send + Sync + std::fmt::Debug {
    /// Registry name (`[task] kind`).
    fn name(&self) -> &'static str;
    /// The known range [lo, hi] of u, by which encoders scale inputs to [0, 1].
    fn input_range(&self) -> (f64, f64);
    /// Generates `steps` steps from the seeded stream.
    fn generate(&self, steps: usize, rng: &mut ChaCha8Rng) -> TaskData;
    /// Whether the result is a memory-capacity curve (one output per delay).
    fn is_memory_capacity(&self) -> bool {
        false
    }
    /// Steps at the start whose targets are not yet defined (need washout ≥ this).
    fn warmup(&self) -> usize {
        0
    }
    /// Writes the task's own keys, defaults filled in, into the resolved `[task]`.
    fn resolve(&self, _task: &mut RawTask) {}
}

/// Builds a validated task from `[task]`.
pub type Constructor = fn(&RawTask) -> Result<Box<dyn Task>, ConfigError>;

/// A registered task: its name, the `[task]` keys it owns beyond [`COMMON_KEYS`], its
/// constructor.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub build: Constructor,
}

/// `[task]` keys every task has: the kind, the seed and the split.
pub const COMMON_KEYS: &[&str] = &["kind", "seed", "washout", "train", "validation", "test"];

/// Every task. Register a new task here.
pub const REGISTRY: &[Entry] = &[
    Entry { name: "narma10", keys: &[], build: narma::narma10 },
    Entry { name: "narma2", keys: &[], build: narma::narma2 },
    Entry { name: "mackey_glass", keys: mackey_glass::KEYS, build: mackey_glass::from_config },
    Entry { name: "memory_capacity", keys: memory_capacity::KEYS, build: memory_capacity::from_config },
    Entry { name: "sine_square", keys: sine_square::KEYS, build: sine_square::from_config },
    Entry { name: "parity", keys: parity::KEYS, build: parity::from_config },
    Entry { name: "signal_transform", keys: signal_transform::KEYS, build: signal_transform::from_config },
    Entry {
        name: "signal_transform_periodic",
        keys: signal_transform::PERIODIC_KEYS,
        build: signal_transform::periodic_from_config,
    },
];

/// Names of every task, for messages and `nanomag dataset`.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|e| e.name).collect()
}

/// Validates `[task]` into a task of the named kind (default `narma10`); a key that belongs to
/// another task, or to none, is refused.
pub fn from_config(raw: &RawTask) -> Result<Box<dyn Task>, ConfigError> {
    let kind = raw.kind.as_deref().unwrap_or("narma10");
    crate::config::checks::one_of("task.kind", kind, &names())?;
    let owners: Vec<(&str, &[&str])> = REGISTRY.iter().map(|e| (e.name, e.keys)).collect();
    crate::config::checks::owned_keys("task", raw, kind, &owners, COMMON_KEYS)?;
    let entry = REGISTRY.iter().find(|e| e.name == kind).expect("checked by one_of");
    (entry.build)(raw)
}

/// Generates a task's data from a seed (ChaCha8).
pub fn generate(task: &dyn Task, steps: usize, seed: u64) -> TaskData {
    task.generate(steps, &mut ChaCha8Rng::seed_from_u64(seed))
}

/// Most steps `dataset` generates.
pub const MAX_DATASET_STEPS: i64 = 100_000_000;

/// The series of task `kind` for `steps` steps from `seed` (`nanomag dataset`): `keys` holds
/// the task's other keys as a config table would (`task.order = 5` → `{task: {order: 5}}`).
///
/// ```
/// let (task, data) = nanomag::reservoir::tasks::dataset("narma10", toml::Table::new(), 50, 3).unwrap();
/// assert_eq!((task.name(), data.u.len(), data.y.len()), ("narma10", 50, 1));
/// ```
pub fn dataset(kind: &str, keys: toml::Table, steps: i64, seed: i64) -> Result<(Box<dyn Task>, TaskData), ConfigError> {
    let mut raw: crate::config::raw::RawConfig =
        toml::Value::Table(keys).try_into().map_err(|e: toml::de::Error| {
            ConfigError::new("task", kind, crate::config::words::humanise(&e.message().replace('\n', " ")))
        })?;
    let rt = raw.task.get_or_insert_with(Default::default);
    rt.kind = Some(kind.to_string());
    let task = from_config(rt)?;
    let steps = crate::config::checks::count("steps", steps, 1, MAX_DATASET_STEPS)?;
    let seed = crate::config::checks::seed("seed", seed)?;
    let data = generate(task.as_ref(), steps, seed);
    Ok((task, data))
}

/// i.i.d. uniform draws on [lo, hi).
pub fn uniform(rng: &mut ChaCha8Rng, n: usize, lo: f64, hi: f64) -> Vec<f64> {
    use rand::RngExt;
    (0..n).map(|_| rng.random_range(lo..hi)).collect()
}
