//! The optimise file (`OPT.toml`), checked once into a [`Problem`]. Its form (docs/optimise.md):
//!
//! ```toml
//! base = "narma10.toml"                 # the experiment every design starts from
//! set = { "task.train" = 2000 }         # fixed overrides (dotted keys)
//!
//! [search]
//! method = "bo"                         # bo (Bayesian optimisation) or random
//! evaluations = 60                      # budget: designs evaluated …
//! wall_time = 7200.0                    # … and/or seconds (no batch starts after this)
//! batch = 2                             # q designs per batch after the initial design
//! initial = 10                          # designs of the initial Latin hypercube (bo)
//! seed = 1
//! repeats = "1"                         # runs per design, R or TxD (--repeats overrides)
//! within = { "input.hold" = [5e-10, 6e-10] }   # the initial design's sub-region
//!
//! [objective]
//! minimise = ["nrmse_validation"]       # or ["nrmse_validation", "energy_per_input_j"]
//!
//! [[constraint]]
//! metric = "energy_per_input_j"
//! max = 1e-9                            # and/or min
//!
//! [final]
//! repeats = "3x3"                       # runs of each chosen design on unseen seeds
//! seed_offset = 1000                    # their seeds: the search's shifted by this
//! points = 8                            # most Pareto designs re-run
//!
//! [[reference]]                         # a design to compare with (never seen by the optimiser)
//! label = "hand-tuned"
//! set = {}                              # overrides of the base
//!
//! [[param]]                             # the space (crate::search::parse)
//! key = "input.hold"
//! range = [1e-10, 6e-10]
//! log = true
//! ```

use super::metric::{self, Constraint};
use super::propose::{Method, Optimiser, MAX_BATCH};
use crate::config::raw::RawConfig;
use crate::config::{apply_values, parse_toml};
use crate::error::ConfigError;
use crate::reservoir::config::{self as rc, ExperimentConfig};
use crate::reservoir::repeats::{self, Repeats};
use crate::search::parse::{self, RawParam};
use crate::search::space::Space;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    base: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    objective: RawObjective,
    #[serde(default)]
    constraint: Vec<RawConstraint>,
    #[serde(default, rename = "final")]
    final_: RawFinal,
    #[serde(default)]
    reference: Vec<RawReference>,
    #[serde(default)]
    param: Vec<RawParam>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    method: Option<String>,
    evaluations: Option<i64>,
    wall_time: Option<f64>,
    batch: Option<i64>,
    initial: Option<i64>,
    seed: Option<i64>,
    repeats: Option<String>,
    within: Option<toml::Table>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    minimise: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConstraint {
    metric: Option<String>,
    max: Option<f64>,
    min: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinal {
    repeats: Option<String>,
    seed_offset: Option<i64>,
    points: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReference {
    label: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, toml::Value>,
}

/// A design to compare with: evaluated as the designs are, never shown to the optimiser.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub label: String,
    pub set: Vec<(String, toml::Value)>,
}

/// Most evaluations one search may ask for.
pub const MAX_EVALUATIONS: usize = 100_000;

/// A checked optimise file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The file's path (or `<dict>`), for summaries.
    pub label: String,
    /// The base experiment's table and the folder its relative paths resolve against.
    pub base: toml::Table,
    pub base_path: PathBuf,
    pub base_dir: PathBuf,
    pub set: Vec<(String, toml::Value)>,
    pub optimiser: Optimiser,
    /// Metrics minimised (1 or 2), constraints on metrics.
    pub objectives: Vec<String>,
    pub constraints: Vec<Constraint>,
    /// Budget: evaluations, and wall time in s (per call).
    pub evaluations: usize,
    pub wall_time: Option<f64>,
    pub repeats: Repeats,
    pub final_repeats: Repeats,
    pub seed_offset: u64,
    pub final_points: usize,
    pub references: Vec<Reference>,
}

fn repeats_of(key: &str, s: &str) -> Result<Repeats, ConfigError> {
    Repeats::parse(s).map_err(|e| ConfigError { key: key.into(), ..e })
}

impl Problem {
    /// Reads and checks an optimise file; `repeats` (the `--repeats` flag) overrides the
    /// file's.
    pub fn load(path: &Path, repeats: Option<Repeats>) -> Result<Problem, ConfigError> {
        let text = crate::io::read_input_text(path).map_err(|e| ConfigError::new("optimise", path.display(), e))?;
        let table: toml::Table = parse_toml(&text, path)?;
        Problem::from_table(table, &path.display().to_string(), path.parent().unwrap_or(Path::new(".")), repeats)
    }

    /// Checks an optimise file given as a table (a Python dict); `dir` is the folder `base`
    /// resolves against.
    pub fn from_table(
        table: toml::Table,
        label: &str,
        dir: &Path,
        repeats: Option<Repeats>,
    ) -> Result<Problem, ConfigError> {
        let raw: RawFile = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            ConfigError::new("optimise", label, crate::config::words::humanise(&e.message().replace('\n', " ")))
        })?;
        let (base_path, base_table) = base_of(&raw, dir)?;
        let space = parse::space(&raw.param)?;
        let s = &raw.search;
        let method = Method::parse("search.method", s.method.as_deref().unwrap_or("bo"))?;
        let (evaluations, wall_time) = budget(s)?;
        let (batch, initial, seed) = batch_initial_seed(s, space.params.len())?;
        let start = match &s.within {
            Some(w) => space.narrowed("search.within", w)?,
            None => space.clone(),
        };
        let objectives = objectives(&raw.objective)?;
        let constraints = constraints(&raw.constraint)?;
        let repeats = match repeats {
            Some(r) => r,
            None => repeats_of("search.repeats", s.repeats.as_deref().unwrap_or("1"))?,
        };
        let (final_repeats, offset, final_points) = finals(&raw.final_, repeats)?;
        let references = references(&raw.reference);
        let optimiser = Optimiser {
            method,
            space,
            start,
            objectives: objectives.len(),
            constraints: constraints.len(),
            initial,
            batch,
            seed,
        };
        let problem = Problem {
            label: label.into(),
            base: base_table,
            base_dir: base_path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            base_path,
            set: raw.set.into_iter().collect(),
            optimiser,
            objectives,
            constraints,
            evaluations,
            wall_time,
            repeats,
            final_repeats,
            seed_offset: offset,
            final_points,
            references,
        };
        problem.check_space()?;
        Ok(problem)
    }

    /// The raw experiment of a design (values in parameter order), with every seed shifted
    /// by `offset` (0 in the search).
    pub fn raw(
        &self,
        values: &[toml::Value],
        extra: &[(String, toml::Value)],
        offset: u64,
    ) -> Result<RawConfig, ConfigError> {
        let mut table = self.base.clone();
        let mut all = self.set.clone();
        all.extend(extra.iter().cloned());
        all.extend(self.optimiser.space.assignments(values));
        apply_values(&mut table, &all)?;
        let raw: RawConfig = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            let shown: Vec<String> = all.iter().map(|(k, v)| format!("{k}={v}")).collect();
            ConfigError::new("design", shown.join(" "), crate::config::words::humanise(&e.message().replace('\n', " ")))
        })?;
        Ok(if offset > 0 { repeats::shifted(&raw, offset, offset) } else { raw })
    }

    /// The validated configs of every run of a design: the search's runs (`final_ = false`)
    /// or the final runs on unseen seeds.
    pub fn configs(
        &self,
        values: &[toml::Value],
        extra: &[(String, toml::Value)],
        final_: bool,
    ) -> Result<Vec<ExperimentConfig>, ConfigError> {
        let (offset, reps) = if final_ { (self.seed_offset, self.final_repeats) } else { (0, self.repeats) };
        let raw = self.raw(values, extra, offset)?;
        reps.configs(&raw).iter().map(|r| rc::validate(r, &self.base_dir)).collect()
    }

    /// Input steps of every run the budget holds (a progress bar's length): the search's
    /// runs, the final runs and the references' (a wall-time-only budget counts as 100 000
    /// evaluations).
    pub fn input_steps(&self) -> u64 {
        let centre: Vec<toml::Value> = self.optimiser.space.params.iter().map(|q| q.dim.from_unit(0.5)).collect();
        let steps = self.configs(&centre, &[], false).map_or(0, |c| c[0].split.steps() as u64);
        let evals = self.evaluations.min(MAX_EVALUATIONS) as u64;
        let finals = if self.objectives.len() == 1 { 1 } else { self.final_points as u64 };
        let refs = self.references.len() as u64;
        steps
            * (evals * self.repeats.runs() as u64
                + refs * self.repeats.runs() as u64
                + (finals + refs) * self.final_repeats.runs() as u64)
    }

    /// Every key of the space must reach the experiment: the design at the centre of the space,
    /// and each choice of each parameter there, must validate (a misspelt key or a value of the
    /// wrong type is an error here, not a failed evaluation later).
    fn check_space(&self) -> Result<(), ConfigError> {
        let space: &Space = &self.optimiser.space;
        let centre: Vec<toml::Value> = space.params.iter().map(|p| p.dim.from_unit(0.5)).collect();
        let mut designs = vec![centre.clone()];
        for (i, p) in space.params.iter().enumerate() {
            if let crate::search::space::Dim::Choice(c) = &p.dim {
                for v in c {
                    let mut d = centre.clone();
                    d[i] = v.clone();
                    designs.push(d);
                }
            }
        }
        for d in &designs {
            let raw = self.raw(d, &[], 0)?;
            rc::validate(&raw, &self.base_dir).map_err(|e| {
                let at: Vec<String> = space.assignments(d).iter().map(|(k, v)| format!("{k}={v}")).collect();
                ConfigError::new(e.key, e.value, format!("{} (at the design {})", e.allowed, at.join(", ")))
            })?;
        }
        Ok(())
    }
}

/// The base experiment: its path (`base` resolved against `dir`) and its parsed table.
fn base_of(raw: &RawFile, dir: &Path) -> Result<(PathBuf, toml::Table), ConfigError> {
    let base = raw
        .base
        .clone()
        .ok_or_else(|| crate::config::checks::missing("base", "the experiment file every design starts from"))?;
    let base_path = dir.join(&base);
    let text = crate::io::read_input_text(&base_path).map_err(|e| ConfigError::new("base", base_path.display(), e))?;
    let base_table: toml::Table = parse_toml(&text, &base_path)?;
    Ok((base_path, base_table))
}

/// The search's budget: evaluations (`MAX_EVALUATIONS` when only a wall time is given) and
/// wall time in s; at least one of the two must be set.
fn budget(s: &RawSearch) -> Result<(usize, Option<f64>), ConfigError> {
    let evaluations = match (s.evaluations, s.wall_time) {
        (None, None) => {
            return Err(crate::config::checks::missing(
                "search.evaluations",
                "a budget: evaluations and/or wall_time (s)",
            ))
        }
        (Some(n), _) => crate::config::checks::count("search.evaluations", n, 1, MAX_EVALUATIONS as i64)?,
        (None, Some(_)) => MAX_EVALUATIONS,
    };
    let wall_time = s.wall_time.map(|w| crate::config::checks::positive("search.wall_time", w, "s")).transpose()?;
    Ok((evaluations, wall_time))
}

/// The batch size q, the initial design's size (default max(5, 2·d + 1) for `d` parameters)
/// and the seed of the search.
fn batch_initial_seed(s: &RawSearch, d: usize) -> Result<(usize, usize, u64), ConfigError> {
    let batch = crate::config::checks::count("search.batch", s.batch.unwrap_or(1), 1, MAX_BATCH as i64)?;
    let d = d as i64;
    let initial = crate::config::checks::count(
        "search.initial",
        s.initial.unwrap_or((2 * d + 1).max(5)),
        1,
        MAX_EVALUATIONS as i64,
    )?;
    let seed = crate::config::checks::seed("search.seed", s.seed.unwrap_or(1))?;
    Ok((batch, initial, seed))
}

/// The metrics minimised: one or two known metrics (default the validation NRMSE).
fn objectives(raw: &RawObjective) -> Result<Vec<String>, ConfigError> {
    let objectives = raw.minimise.clone().unwrap_or_else(|| vec![metric::VALIDATION.into()]);
    if objectives.is_empty() || objectives.len() > 2 {
        return Err(ConfigError::new("objective.minimise", objectives.len(), "must list one or two metrics"));
    }
    for m in &objectives {
        metric::check("objective.minimise", m)?;
    }
    Ok(objectives)
}

/// The reference designs, labelled `reference i` when the file gives no label.
fn references(raws: &[RawReference]) -> Vec<Reference> {
    raws.iter()
        .enumerate()
        .map(|(i, r)| Reference {
            label: r.label.clone().unwrap_or_else(|| format!("reference {i}")),
            set: r.set.clone().into_iter().collect(),
        })
        .collect()
}

/// The final runs' repeats, seed offset and most Pareto points; the offset must clear every
/// seed shift of the search's `repeats`.
fn finals(raw: &RawFinal, repeats: Repeats) -> Result<(Repeats, u64, usize), ConfigError> {
    let final_repeats = match &raw.repeats {
        Some(r) => repeats_of("final.repeats", r)?,
        None => repeats,
    };
    let offset = raw.seed_offset.unwrap_or(1000);
    let need = repeats.task.max(repeats.disorder) as i64;
    if offset < need || offset > 1_000_000_000 {
        return Err(ConfigError::new(
            "final.seed_offset",
            offset,
            format!("must be from {need} (the search's seed shifts are 0 to {}) to 1e9: the final runs need seeds never used in the search", need - 1),
        ));
    }
    let points = crate::config::checks::count("final.points", raw.points.unwrap_or(8), 1, 1000)?;
    Ok((final_repeats, offset as u64, points))
}

fn constraints(raws: &[RawConstraint]) -> Result<Vec<Constraint>, ConfigError> {
    let mut out = Vec::new();
    for (i, c) in raws.iter().enumerate() {
        let key = format!("constraint[{i}]");
        let m = c.metric.clone().ok_or_else(|| {
            crate::config::checks::missing(&format!("{key}.metric"), "a metric such as energy_per_input_j")
        })?;
        metric::check(&format!("{key}.metric"), &m)?;
        if c.max.is_none() && c.min.is_none() {
            return Err(crate::config::checks::missing(
                &format!("{key}.max"),
                "a bound: max and/or min (> 0, in the metric's unit)",
            ));
        }
        for (k, v) in [("max", c.max), ("min", c.min)] {
            if let Some(v) = v {
                crate::config::checks::positive(&format!("{key}.{k}"), v, "in the metric's unit")?;
                out.push(Constraint { metric: m.clone(), bound: v, upper: k == "max" });
            }
        }
    }
    Ok(out)
}
