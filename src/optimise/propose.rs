//! The optimiser core: the designs of the next batch, as a deterministic function of the
//! evaluations so far, the batch number and a seed — so a search replayed from its journal
//! asks for, and gets, the same proposals (`--resume` repeats nothing and loses nothing).
//!
//! Methods ([`Method`]):
//! - `bo` (the default): efficient global optimisation (Jones et al. 1998) by `egobox-ego`.
//!   Batch 0 is a Latin hypercube of `initial` designs (inside `start`, a sub-region if one is
//!   given); every later batch fits a Gaussian-process surrogate (constant trend, squared-
//!   exponential kernel) to the observations and proposes the `q` designs that maximise the
//!   logarithm of the expected improvement (LogEI, Ament et al. 2023: EI computed in log space
//!   so its optimiser still sees a gradient where EI underflows), the second and later points
//!   of a batch with the kriging-believer heuristic (the surrogate's mean taken as the
//!   observation of the points before).
//!   Integers are integer variables, log-spaced integers ordered levels, choices categorical
//!   variables (one-hot, continuous relaxation). Two objectives are scalarised by ParEGO
//!   (Knowles 2006): each batch minimises the augmented Chebyshev scalarisation
//!   max_i(w_i f̂_i) + ρ Σ_i w_i f̂_i of the objectives f̂ normalised to [0, 1] over the
//!   observations, with a weight vector w drawn for each batch (seeded by the seed and the
//!   number of observations) from a simplex lattice, so the batches sweep the Pareto front. Constraints g ≤ 0 get surrogates of their own; a
//!   proposal must be feasible under their means.
//! - `random`: every design uniform over the whole space (in ln x for log ranges), the
//!   reference any search can be compared with.
//!
//! A failed evaluation (numerical trouble, or an invalid design) is given the worst value
//! observed in each column, so the surrogate learns to avoid its region. A proposal that
//! repeats an observed design, or one before it in the batch, is replaced by a seeded random
//! design (a surrogate fed the same point twice has nothing to learn from it).

use crate::error::{ConfigError, Error};
use crate::search::space::{Dim, Space};
use egobox_ego::{EgorServiceBuilder, InfillStrategy, MooStrategy, QEiStrategy, XType};
use ndarray::Array2;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How proposals are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Bayesian optimisation (efficient global optimisation, `egobox-ego`).
    Bo,
    /// Uniform random search.
    Random,
}

/// The method names, as written in files and flags.
pub const METHODS: &[&str] = &["bo", "random"];

impl Method {
    /// Parses `bo` or `random` (`key` names the setting in errors).
    pub fn parse(key: &str, s: &str) -> Result<Method, ConfigError> {
        match s {
            "bo" => Ok(Method::Bo),
            "random" => Ok(Method::Random),
            _ => Err(ConfigError::new(key, s, "must be bo (Bayesian optimisation) or random (random search)")),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Method::Bo => "bo",
            Method::Random => "random",
        }
    }
}

/// A design: a value per parameter (in the space's order) and its coordinates `x` in the
/// optimiser's space (unit coordinates for reals and log-spaced integers, the value for
/// integers, the index for choices).
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub values: Vec<toml::Value>,
    pub x: Vec<f64>,
}

/// An evaluated design: its coordinates and `y`, the objectives to minimise followed by the
/// constraints (feasible where ≤ 0); a non-finite entry marks a failed evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

/// What the optimiser searches and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimiser {
    pub method: Method,
    pub space: Space,
    /// Where the initial design is drawn (the space itself, or a sub-region of it).
    pub start: Space,
    /// Objectives (1 or 2) and constraints (≥ 0) per observation.
    pub objectives: usize,
    pub constraints: usize,
    /// Designs of batch 0 (the initial design), and of every later batch (q).
    pub initial: usize,
    pub batch: usize,
    pub seed: u64,
}

/// Largest batch (q points) a search may ask for.
pub const MAX_BATCH: usize = 256;

impl Optimiser {
    /// The optimiser over `space` with the defaults: `bo`, one objective, an initial design
    /// of max(5, 2·d + 1) designs (d parameters), batches of one.
    ///
    /// ```
    /// use nanomag::optimise::propose::{Observation, Optimiser};
    /// use nanomag::search::space::{Dim, Param, Space};
    /// let space = Space { params: vec![Param::new("x", Dim::Real { lo: -1.0, hi: 2.0, log: false })] };
    /// let opt = Optimiser::new(space);
    /// // The search loop: ask for the next batch, evaluate it, tell.
    /// let mut seen: Vec<Observation> = Vec::new();
    /// for b in 0..4 {
    ///     for d in opt.propose(b, &seen, opt.batch_size(b)).unwrap() {
    ///         let x = d.values[0].as_float().unwrap();
    ///         seen.push(Observation { x: d.x, y: vec![(x - 0.7).powi(2)] });
    ///     }
    /// }
    /// assert_eq!(seen.len(), 5 + 3);
    /// ```
    pub fn new(space: Space) -> Optimiser {
        let initial = (2 * space.params.len() + 1).max(5);
        Optimiser {
            method: Method::Bo,
            start: space.clone(),
            space,
            objectives: 1,
            constraints: 0,
            initial,
            batch: 1,
            seed: 1,
        }
    }

    /// Designs asked of batch `b` when the budget does not cut it short.
    pub fn batch_size(&self, b: usize) -> usize {
        if b == 0 {
            self.initial
        } else {
            self.batch
        }
    }

    /// The `count` designs of batch `b`, given the observations of every batch before it
    /// (in order). The same arguments give the same designs, on any number of threads.
    pub fn propose(&self, b: usize, seen: &[Observation], count: usize) -> Result<Vec<Design>, Error> {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ (b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let values: Vec<Vec<toml::Value>> = match (self.method, b) {
            (_, _) if count == 0 => Vec::new(),
            (Method::Random, _) => {
                (0..count).map(|_| self.space.params.iter().map(|p| p.dim.sample(&mut rng)).collect()).collect()
            }
            (Method::Bo, 0) => self.start.latin_hypercube(count, &mut rng),
            (Method::Bo, _) => self.suggest(seen, count)?,
        };
        let mut out: Vec<Design> = Vec::new();
        for v in values {
            let mut d = self.design(v)?;
            // A repeat of an observed design (or of one before it in the batch): a random one.
            while seen.iter().any(|o| o.x == d.x) || out.iter().any(|o| o.x == d.x) {
                if self.space.params.iter().all(|p| p.dim.count().is_some())
                    && seen.len() + out.len() >= self.cardinality()
                {
                    break;
                }
                d = self.design(self.space.params.iter().map(|p| p.dim.sample(&mut rng)).collect())?;
            }
            out.push(d);
        }
        Ok(out)
    }

    /// Designs in a space of integers and choices only (saturating).
    fn cardinality(&self) -> usize {
        self.space.params.iter().map(|p| p.dim.count().unwrap_or(usize::MAX)).fold(1usize, |a, n| a.saturating_mul(n))
    }

    /// The design of `values`, with its coordinates.
    pub fn design(&self, values: Vec<toml::Value>) -> Result<Design, Error> {
        let x = self
            .space
            .params
            .iter()
            .zip(&values)
            .map(|(p, v)| {
                coordinate(&p.dim, v)
                    .ok_or_else(|| Error::from(ConfigError::new(p.name(), v, "is not a value of its range")))
            })
            .collect::<Result<Vec<f64>, Error>>()?;
        Ok(Design { values, x })
    }

    /// The optimiser's variable types.
    fn xtypes(&self) -> Vec<XType> {
        self.space
            .params
            .iter()
            .map(|p| match &p.dim {
                Dim::Real { .. } => XType::Float(0.0, 1.0),
                Dim::Int { lo, hi, log: false } => XType::Int(*lo as i32, *hi as i32),
                Dim::Int { lo, hi, log: true } => {
                    XType::Ord((*lo..=*hi).map(|n| p.dim.to_unit(&toml::Value::Integer(n)).unwrap_or(0.0)).collect())
                }
                Dim::Choice(c) => XType::Enum(c.len()),
            })
            .collect()
    }

    /// The observations as the surrogate's data: failed entries imputed with the worst
    /// (largest) finite value of their column (1 when none is finite).
    fn data(&self, seen: &[Observation]) -> (Array2<f64>, Array2<f64>) {
        let (d, m) = (self.space.params.len(), self.objectives + self.constraints);
        let worst: Vec<f64> = (0..m)
            .map(|j| seen.iter().map(|o| o.y[j]).filter(|v| v.is_finite()).fold(f64::NEG_INFINITY, f64::max))
            .map(|w| if w.is_finite() { w } else { 1.0 })
            .collect();
        let x = Array2::from_shape_fn((seen.len(), d), |(i, j)| seen[i].x[j]);
        let y = Array2::from_shape_fn(
            (seen.len(), m),
            |(i, j)| if seen[i].y[j].is_finite() { seen[i].y[j] } else { worst[j] },
        );
        (x, y)
    }

    /// Efficient global optimisation's `count` next designs (see the module docs).
    fn suggest(&self, seen: &[Observation], count: usize) -> Result<Vec<Vec<toml::Value>>, Error> {
        if seen.is_empty() {
            return Err(ConfigError::new(
                "optimise",
                "no observations",
                "Bayesian optimisation needs the initial design first",
            )
            .into());
        }
        let (x, y) = self.data(seen);
        let (n_obj, n_cstr) = (self.objectives, self.constraints);
        // egobox draws the ParEGO weight vector from a lattice shuffled by its seed: with two
        // objectives the seed changes with the batch (a function of the observations' count,
        // so replays agree), or every batch would use the same weights.
        let seed =
            if n_obj > 1 { self.seed ^ (seen.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) } else { self.seed };
        let service = EgorServiceBuilder::optimize()
            .configure(|c| {
                let c = c.infill_strategy(InfillStrategy::LogEI).n_cstr(n_cstr).seed(seed);
                let c = if n_obj > 1 { c.n_obj(n_obj).configure_moo(|m| m.strategy(MooStrategy::ParEgo)) } else { c };
                if count > 1 {
                    c.configure_qei(|q| q.batch(count).strategy(QEiStrategy::KrigingBeliever))
                } else {
                    c
                }
            })
            .min_within_mixint_space(&self.xtypes())
            .map_err(|e| Error::io("Bayesian optimisation", e))?;
        // The surrogate's fit is a numerical heuristic: if it fails, this batch is drawn at
        // random instead (seeded), never an aborted search.
        let proposed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| service.suggest(&x, &y))).ok();
        let rows: Vec<Vec<f64>> = proposed
            .map(|p| p.rows().into_iter().map(|r| r.to_vec()).filter(|r| r.iter().all(|v| v.is_finite())).collect())
            .unwrap_or_default();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x5EED ^ seen.len() as u64);
        Ok((0..count)
            .map(|i| match rows.get(i) {
                Some(r) => self.space.params.iter().zip(r).map(|(p, v)| value(&p.dim, *v)).collect(),
                None => self.space.params.iter().map(|p| p.dim.from_unit(rng.random_range(0.0..1.0))).collect(),
            })
            .collect())
    }
}

/// The optimiser coordinate of value `v` of `dim`.
fn coordinate(dim: &Dim, v: &toml::Value) -> Option<f64> {
    match dim {
        Dim::Int { log: false, lo, hi } => v.as_integer().filter(|n| (lo..=hi).contains(&n)).map(|n| n as f64),
        Dim::Choice(c) => c.iter().position(|x| x == v).map(|i| i as f64),
        _ => dim.to_unit(v),
    }
}

/// The value of `dim` at optimiser coordinate `x` (snapped to the nearest allowed value).
fn value(dim: &Dim, x: f64) -> toml::Value {
    match dim {
        Dim::Int { log: false, lo, hi } => toml::Value::Integer((x.round() as i64).clamp(*lo, *hi)),
        Dim::Choice(c) => c[(x.round().max(0.0) as usize).min(c.len() - 1)].clone(),
        _ => dim.from_unit(x),
    }
}
