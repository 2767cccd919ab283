//! `nanomag sweep SWEEP.toml --out DIR [--resume] [--shard K/N] [--threads N]`: runs the
//! points of a sweep in parallel, appending each to DIR/results.jsonl as it finishes, then
//! draws the figures (`nanomag plot`). `nanomag merge` unions shard outputs.

use crate::error::Error;
use crate::progress::Progress;
use crate::sweep::{self, figures, results, spec, Shard};
use serde_json::json;
use std::path::Path;
use std::time::Instant;

/// Most worker threads `--threads` may ask for.
pub const MAX_THREADS: usize = 1024;

pub struct SweepArgs<'a> {
    pub file: &'a Path,
    pub out: &'a Path,
    pub resume: bool,
    pub shard: Option<&'a str>,
    pub threads: Option<usize>,
    pub budget: super::Budget,
    pub quiet: bool,
}

/// The largest point's memory and the sum of every point's work and files.
pub fn sweep_estimate(spec: &spec::SweepSpec) -> Result<crate::cost::Estimate, Error> {
    let mut total = crate::cost::Estimate::default();
    for c in &spec.configs {
        let e = c.estimate()?;
        total.memory_bytes = total.memory_bytes.max(e.memory_bytes);
        total.disk_bytes += e.disk_bytes;
        total.steps += e.steps;
        total.work += e.work;
    }
    total.memory_bytes *= rayon::current_num_threads().min(spec.configs.len()).max(1) as f64;
    Ok(total)
}

pub fn run(a: &SweepArgs) -> Result<(), Error> {
    let shard = a.shard.map(Shard::parse).transpose()?.unwrap_or(Shard::ALL);
    if let Some(n) = a.threads.filter(|n| !(1..=MAX_THREADS).contains(n)) {
        return Err(crate::error::ConfigError::new(
            "--threads",
            n,
            format!("must be a whole number from 1 to {MAX_THREADS}"),
        )
        .into());
    }
    let start = Instant::now();
    let spec = spec::load(a.file)?;
    if !a.budget.admit("sweep", &sweep_estimate(&spec)?)? {
        return Ok(());
    }
    crate::io::out_dir(a.out)?;
    crate::io::write_json(
        &a.out.join("sweep.json"),
        &json!({
            "nanomag_version": env!("CARGO_PKG_VERSION"),
            "sweep_file": a.file.display().to_string(),
            "points": spec.points.len(),
            "shard": format!("{}/{}", shard.k, shard.n),
            "groups": spec.groups.iter().map(|g| json!({
                "label": g.label, "base": g.base.display().to_string(),
                "axes": g.axes.iter().map(|x| json!({"keys": x.keys, "values": x.values})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    )?;
    let progress = std::sync::OnceLock::new();
    let on_start = |n: usize| {
        let _ = progress.set(Progress::new(n as u64, "sweep points", a.quiet));
    };
    let on_done = || {
        if let Some(p) = progress.get() {
            p.inc(1)
        }
    };
    let done = super::with_threads(a.threads, || sweep::run(&spec, a.out, a.resume, shard, &on_start, &on_done))?;
    if let Some(p) = progress.get() {
        p.finish();
    }
    let recs = results::read(a.out)?;
    let figs = figures::draw_all(a.out, &recs)?;
    if !a.quiet {
        eprintln!(
            "sweep: {} points ran, {} already done{}{} in {:.1} s; {} results in {}; figures: {}",
            done.ran,
            done.skipped,
            if shard.n > 1 { format!(" (shard {}/{})", shard.k, shard.n) } else { String::new() },
            if done.failed > 0 { format!(", {} failed (see their \"error\")", done.failed) } else { String::new() },
            start.elapsed().as_secs_f64(),
            recs.len(),
            a.out.join(results::RESULTS).display(),
            figs.iter()
                .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// `nanomag merge DIR... --out OUT`: the union of the shards' results (one per config hash).
pub fn merge(dirs: &[std::path::PathBuf], out: &Path, quiet: bool) -> Result<(), Error> {
    if dirs.is_empty() {
        return Err(crate::error::ConfigError::new("merge", "(none)", "give at least one sweep directory").into());
    }
    let mut sets = Vec::new();
    for d in dirs {
        if !d.join(results::RESULTS).exists() {
            return Err(crate::error::ConfigError::new("merge", d.display(), "holds no results.jsonl").into());
        }
        sets.push(results::read(d)?);
    }
    let n_in: usize = sets.iter().map(|s| s.len()).sum();
    let merged = results::merge(sets);
    crate::io::out_dir(out)?;
    results::write_all(out, &merged)?;
    figures::draw_all(out, &merged)?;
    if !quiet {
        eprintln!(
            "merge: {n_in} records from {} directories → {} distinct points in {}",
            dirs.len(),
            merged.len(),
            out.display()
        );
    }
    Ok(())
}

/// `nanomag plot DIR`: redraws the sweep figures from DIR/results.jsonl alone.
pub fn plot(dir: &Path, quiet: bool) -> Result<(), Error> {
    let recs = results::read(dir)?;
    if recs.is_empty() {
        return Err(crate::error::ConfigError::new("plot", dir.display(), "holds no results.jsonl with results").into());
    }
    let figs = figures::draw_all(dir, &recs)?;
    if !quiet {
        eprintln!(
            "plot: {} records → {}",
            recs.len(),
            figs.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(())
}
