//! The search loop. Batch b's proposals are a deterministic function of the entries of the
//! batches before it ([`super::propose`]), so a search given its journal replays it: each
//! batch is proposed again, its journaled designs (checked against the proposals: same
//! coordinates, same config hash) are taken as they are, and only the rest run — a search
//! killed at any point and resumed evaluates every design exactly once and reaches the same
//! proposals as one never interrupted.
//!
//! A batch's designs run in parallel, each appended to the journal as it finishes. With a
//! shard K/N a call evaluates only the designs of the first unfinished batch whose slot ≡ K
//! (mod N) and stops; the next batch can be proposed once every shard's share is journaled.

use super::evaluate::{self, Data, Tick};
use super::file::Problem;
use super::journal::Entry;
use super::propose::Observation;
use crate::error::{ConfigError, Error};
use crate::sweep::Shard;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

/// How one call runs.
pub struct Run<'a> {
    pub shard: Shard,
    pub data: Data<'a>,
    pub tick: Tick<'a>,
    /// Told of each new entry as it finishes (the journal's append); an error ends the call.
    pub sink: &'a (dyn Fn(&Entry) -> Result<(), Error> + Sync),
}

/// Why a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Every evaluation of the budget is journaled.
    Budget,
    /// The wall time ran out before the next batch.
    WallTime,
    /// This shard's share of the first unfinished batch is journaled; other shards' is not.
    Shard,
}

/// What a call did: every entry of the search so far (in index order), why it stopped and
/// how many designs it evaluated itself.
#[derive(Debug, Clone)]
pub struct Searched {
    pub entries: Vec<Entry>,
    pub stop: Stop,
    pub evaluated: usize,
}

/// Checks a journaled entry against the design proposed at its place.
fn check(known: &Entry, at: (usize, usize, usize), x: &[f64], hash: &str) -> Result<(), Error> {
    if known.batch != at.1 || known.slot != at.2 || known.x != x || known.hash != hash {
        return Err(ConfigError::new(
            "--resume",
            format!("evaluation {}", at.0),
            "the journal holds another design there: the optimise file, its base experiment, the seed or nanomag changed since it was written — start a new --out",
        )
        .into());
    }
    Ok(())
}

/// Runs the search of `problem` on from the journaled entries `known` (see the module docs).
pub fn search(problem: &Problem, known: &[Entry], run: &Run) -> Result<Searched, Error> {
    let start = Instant::now();
    let by_index: BTreeMap<usize, &Entry> = known.iter().map(|e| (e.index, e)).collect();
    let opt = &problem.optimiser;
    let (mut done, mut seen): (Vec<Entry>, Vec<Observation>) = (Vec::new(), Vec::new());
    let mut evaluated = 0;
    for b in 0.. {
        let count = opt.batch_size(b).min(problem.evaluations - done.len());
        if count == 0 {
            break;
        }
        let designs = opt.propose(b, &seen, count)?;
        let mut batch: Vec<Option<Entry>> = vec![None; count];
        for (slot, d) in designs.iter().enumerate() {
            let at = (done.len() + slot, b, slot);
            if let Some(k) = by_index.get(&at.0) {
                let hash = evaluate::configs(problem, d, &[]).map(|c| c.1).unwrap_or_default();
                check(k, at, &d.x, &hash)?;
                batch[slot] = Some((*k).clone());
            }
        }
        let todo: Vec<usize> = (0..count).filter(|s| batch[*s].is_none() && run.shard.owns(*s)).collect();
        if !todo.is_empty() {
            if problem.wall_time.is_some_and(|w| start.elapsed().as_secs_f64() > w) {
                return Ok(Searched { entries: done, stop: Stop::WallTime, evaluated });
            }
            let base = done.len();
            let new: Vec<Entry> = todo
                .par_iter()
                .map(|&slot| {
                    let e =
                        evaluate::evaluate(problem, &designs[slot], &[], (base + slot, b, slot), run.data, run.tick)?;
                    (run.sink)(&e)?;
                    Ok(e)
                })
                .collect::<Result<_, Error>>()?;
            evaluated += new.len();
            for e in new {
                let slot = e.slot;
                batch[slot] = Some(e);
            }
        }
        if batch.iter().any(Option::is_none) || (run.shard.n > 1 && evaluated > 0) {
            return Ok(Searched { entries: done, stop: Stop::Shard, evaluated });
        }
        for e in batch.into_iter().flatten() {
            seen.push(e.observation());
            done.push(e);
        }
    }
    Ok(Searched { entries: done, stop: Stop::Budget, evaluated })
}
