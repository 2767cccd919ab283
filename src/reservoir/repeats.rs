//! Repeats of an experiment over seeds: `--repeats R` shifts every seed by 0..R together;
//! `--repeats TxD` crosses T task seeds (the input series) with D disorder seeds (lattice
//! disorder, thermal field, initial state, input mask, sensor noise; an ESN's weights),
//! T·D runs in all, so task and device variability can be told apart.

use super::config::{self as rc, ExperimentConfig};
use super::experiment::{self, Outcome};
use crate::config::raw::RawConfig;
use crate::error::{ConfigError, Error};
use rayon::prelude::*;
use std::path::Path;

/// How many seeds of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeats {
    pub task: usize,
    pub disorder: usize,
    /// `R`: both kinds shifted together (R runs); `TxD`: crossed (T·D runs).
    pub crossed: bool,
}

/// Most runs one `--repeats` may ask for.
pub const MAX_RUNS: usize = 10_000;

impl Repeats {
    pub const ONE: Repeats = Repeats { task: 1, disorder: 1, crossed: false };

    /// Parses `R` or `TxD` (whole numbers ≥ 1).
    ///
    /// ```
    /// use nanomag::reservoir::repeats::Repeats;
    /// let r = Repeats::parse("3x2").unwrap();
    /// assert_eq!(r.runs(), 6);
    /// assert_eq!(r.shifts(5), (2, 1)); // task seed + 2, disorder seeds + 1
    /// ```
    pub fn parse(s: &str) -> Result<Repeats, ConfigError> {
        let bad = || {
            ConfigError::new(
                "--repeats",
                s,
                format!("must be a whole number R ≥ 1, or TxD (task × disorder seeds), at most {MAX_RUNS} runs"),
            )
        };
        let num = |t: &str| t.trim().parse::<usize>().ok().filter(|n| *n >= 1);
        let r = match s.split_once(['x', 'X', '×']) {
            Some((t, d)) => Repeats { task: num(t).ok_or_else(bad)?, disorder: num(d).ok_or_else(bad)?, crossed: true },
            None => {
                let n = num(s).ok_or_else(bad)?;
                Repeats { task: n, disorder: n, crossed: false }
            }
        };
        if r.runs() > MAX_RUNS {
            return Err(bad());
        }
        Ok(r)
    }

    /// Runs asked for.
    pub fn runs(&self) -> usize {
        if self.crossed {
            self.task * self.disorder
        } else {
            self.task
        }
    }

    /// (task shift, disorder shift) of run `i`.
    pub fn shifts(&self, i: usize) -> (u64, u64) {
        if self.crossed {
            ((i / self.disorder) as u64, (i % self.disorder) as u64)
        } else {
            (i as u64, i as u64)
        }
    }

    /// The raw config of every run.
    pub fn configs(&self, raw: &RawConfig) -> Vec<RawConfig> {
        (0..self.runs())
            .map(|i| {
                let (t, d) = self.shifts(i);
                shifted(raw, t, d)
            })
            .collect()
    }
}

/// The validated config of every run of `raw` (one when `repeats` asks for one run).
pub fn validated(raw: &RawConfig, repeats: Repeats, base_dir: &Path) -> Result<Vec<ExperimentConfig>, ConfigError> {
    if repeats.runs() <= 1 {
        return Ok(vec![rc::validate(raw, base_dir)?]);
    }
    repeats.configs(raw).iter().map(|r| rc::validate(r, base_dir)).collect()
}

/// Runs every config in parallel (rayon); run 0 keeps its states when `keep_states`.
/// `progress(k)` is told as input steps complete, over all runs.
pub fn run_all(
    cfgs: &[ExperimentConfig],
    keep_states: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<Outcome>, Error> {
    cfgs.par_iter().enumerate().map(|(r, c)| experiment::run(c, keep_states && r == 0, &mut |k| progress(k))).collect()
}

/// The cost of all runs ([`crate::cost`]): work adds up, memory for as many as run at once
/// (one per rayon thread).
pub fn estimate(cfgs: &[ExperimentConfig]) -> Result<crate::cost::Estimate, ConfigError> {
    let one = cfgs[0].estimate()?;
    let (runs, at_once) = (cfgs.len() as f64, cfgs.len().min(rayon::current_num_threads()) as f64);
    Ok(crate::cost::Estimate {
        memory_bytes: one.memory_bytes * at_once,
        disk_bytes: one.disk_bytes,
        steps: one.steps * runs,
        work: one.work * runs,
    })
}

/// The raw config of repeat `r`: every seed (given or default) shifted by r.
pub fn shifted_seeds(raw: &RawConfig, r: u64) -> RawConfig {
    shifted(raw, r, r)
}

/// Task seeds shifted by `t`, disorder seeds by `d` (lattice, thermal field, initial state,
/// switching disorder, KMC events, input mask, sensor noise, ESN weights). Defaults follow
/// their sources: the others default to the (shifted) lattice seed.
pub fn shifted(raw: &RawConfig, t: u64, d: u64) -> RawConfig {
    let mut c = raw.clone();
    let by = |v: Option<i64>, k: u64| v.map(|s| s + k as i64);
    c.lattice.seed = Some(raw.lattice.seed.unwrap_or(1) + d as i64);
    let lseed = c.lattice.seed;
    c.temperature.seed = by(raw.temperature.seed, d).or(lseed);
    if raw.init.seed.is_some() {
        c.init.seed = by(raw.init.seed, d);
    }
    // An engine section's `seed` is a disorder seed (config::plugin::Entry::sections).
    for section in c.sections.values_mut() {
        if let Some(seed) = section.get_mut("seed") {
            if let Some(s) = seed.as_integer() {
                *seed = toml::Value::Integer(s + d as i64);
            }
        }
    }
    let task = c.task.get_or_insert_with(Default::default);
    task.seed = Some(task.seed.unwrap_or(1) + t as i64);
    if let Some(i) = c.input.as_mut() {
        i.mask_seed = by(i.mask_seed, d).or(lseed);
    }
    if let Some(s) = c.sensor.as_mut() {
        s.seed = by(s.seed, d);
    }
    if let Some(res) = c.reservoir.as_mut() {
        res.seed = by(res.seed, d);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_crosses() {
        assert_eq!(Repeats::parse("3").unwrap().runs(), 3);
        let r = Repeats::parse("3x2").unwrap();
        assert_eq!(r.runs(), 6);
        assert_eq!(
            (0..6).map(|i| r.shifts(i)).collect::<Vec<_>>(),
            vec![(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
        );
        for bad in ["0", "x3", "3x0", "-1", "10000000", "200x200"] {
            assert!(Repeats::parse(bad).unwrap_err().to_string().contains("--repeats"), "{bad}");
        }
        let c = shifted(&RawConfig::default(), 2, 5);
        assert_eq!((c.task.unwrap().seed, c.lattice.seed), (Some(3), Some(6)));
    }
}
