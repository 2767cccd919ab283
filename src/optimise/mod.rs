//! Design search: `nanomag optimise OPT.toml --out DIR`. An optimise file ([`mod@file`]) names a
//! base experiment, a space of config keys (reals, integers, choices; [`crate::search`]), a
//! budget, the runs per design (`--repeats TxD`) and one or two objectives — metrics that never
//! touch the test split ([`metric`]), optionally under constraints. The optimiser ([`propose`]:
//! Bayesian optimisation by `egobox-ego`, or random search) proposes designs in batches that
//! run in parallel; every evaluation is journaled as it finishes ([`journal`]), and a search
//! replays its journal to resume ([`search`]). When the budget is spent, the chosen design (or
//! each Pareto design) is re-run on seeds the search never used and scored on test
//! ([`report`]); `summary.json` records the space, seeds, optimiser, every evaluation and the
//! choice, and [`figures`] draws the convergence and the Pareto front.
//!
//! For a function rather than an experiment, [`minimise`] runs the same optimiser:
//!
//! ```
//! use nanomag::optimise::{minimise, propose::Optimiser};
//! use nanomag::search::space::{Dim, Param, Space};
//! let real = |k: &str| Param::new(k, Dim::Real { lo: -2.0, hi: 2.0, log: false });
//! let opt = Optimiser::new(Space { params: vec![real("a"), real("b")] });
//! let sphere = |v: &[toml::Value]| {
//!     let (a, b) = (v[0].as_float().unwrap(), v[1].as_float().unwrap());
//!     vec![(a - 0.5).powi(2) + (b + 0.25).powi(2)]
//! };
//! let trace = minimise(&opt, 20, &mut |batch| batch.iter().map(|v| sphere(v)).collect()).unwrap();
//! let best = trace.iter().map(|(_, y)| y[0]).fold(f64::INFINITY, f64::min);
//! assert!(best < 1e-2, "{best}");
//! ```

pub mod evaluate;
pub mod figures;
pub mod file;
pub mod journal;
pub mod metric;
pub mod propose;
pub mod report;
pub mod run;
pub mod search;

pub use file::Problem;
pub use run::{optimise, Options};

use crate::error::Error;
use propose::{Observation, Optimiser};

/// Minimises a function with `opt` over `budget` evaluations: each batch of designs (values
/// in parameter order) goes to `f`, which returns per design its objectives then its
/// constraints (non-finite for a failed evaluation). Returns every design with its values, in
/// the order evaluated.
#[allow(clippy::type_complexity)]
pub fn minimise(
    opt: &Optimiser,
    budget: usize,
    f: &mut dyn FnMut(&[Vec<toml::Value>]) -> Vec<Vec<f64>>,
) -> Result<Vec<(Vec<toml::Value>, Vec<f64>)>, Error> {
    let mut seen: Vec<Observation> = Vec::new();
    let mut trace = Vec::new();
    for b in 0.. {
        let count = opt.batch_size(b).min(budget - trace.len());
        if count == 0 {
            break;
        }
        let designs = opt.propose(b, &seen, count)?;
        let values: Vec<Vec<toml::Value>> = designs.iter().map(|d| d.values.clone()).collect();
        let ys = f(&values);
        for (d, y) in designs.into_iter().zip(ys) {
            seen.push(Observation { x: d.x, y: y.clone() });
            trace.push((d.values, y));
        }
    }
    Ok(trace)
}
