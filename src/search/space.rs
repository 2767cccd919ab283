//! A search space over dotted config keys: each parameter a real range (linear or log), an
//! integer range, or a list of choices. Candidates are drawn from a seeded stream, so a search
//! is reproducible; [`Space::edges`] names the parameters whose chosen value sits at an edge of
//! its range (a sign the range was too narrow).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// The values one parameter may take.
#[derive(Debug, Clone, PartialEq)]
pub enum Dim {
    /// A real number in [lo, hi], drawn uniformly in x (or in ln x when `log`).
    Real { lo: f64, hi: f64, log: bool },
    /// A whole number in [lo, hi], drawn uniformly (or uniformly in ln x when `log`, rounded).
    Int { lo: i64, hi: i64, log: bool },
    /// One of a list.
    Choice(Vec<toml::Value>),
}

/// One searched config key, and the keys set to the same value with it (paired keys such as
/// `lattice.nx` and `lattice.ny`, or the components `input.b0.0` and `input.b0.1`).
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub key: String,
    pub also: Vec<String>,
    pub dim: Dim,
}

impl Param {
    /// A parameter that sets one key.
    pub fn new(key: &str, dim: Dim) -> Param {
        Param { key: key.into(), also: Vec::new(), dim }
    }

    /// Every key the parameter sets, the first named one first.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.key).chain(&self.also)
    }

    /// The name figures and tables give the parameter: its keys joined by ", ".
    pub fn name(&self) -> String {
        self.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

/// A search space: the parameters, searched together.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Space {
    pub params: Vec<Param>,
}

/// Fraction of a range (in x, or in ln x for log ranges) that counts as its edge.
pub const EDGE: f64 = 0.02;

impl Dim {
    /// One value, uniformly over the range (in ln x for log ranges).
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> toml::Value {
        match self {
            Dim::Real { lo, hi, log } => {
                let u: f64 = rng.random_range(0.0..=1.0);
                toml::Value::Float(if *log { (lo.ln() + u * (hi.ln() - lo.ln())).exp() } else { lo + u * (hi - lo) })
            }
            Dim::Int { lo, hi, log } => {
                let v = if *log {
                    let u: f64 = rng.random_range(0.0..=1.0);
                    let (a, b) = ((*lo as f64 - 0.5).max(0.5).ln(), (*hi as f64 + 0.5).ln());
                    ((a + u * (b - a)).exp().round() as i64).clamp(*lo, *hi)
                } else {
                    rng.random_range(*lo..=*hi)
                };
                toml::Value::Integer(v)
            }
            Dim::Choice(c) => c[rng.random_range(0..c.len())].clone(),
        }
    }

    /// Whether `v` lies at the low or high edge of the range: within [`EDGE`] of it for reals
    /// (in ln x for log ranges), at the end value for integer ranges of ≥ 3 values; `None`
    /// for choices or a value not of the range.
    pub fn edge(&self, v: &toml::Value) -> Option<&'static str> {
        let frac = |x: f64, lo: f64, hi: f64, log: bool| {
            if log {
                (x.ln() - lo.ln()) / (hi.ln() - lo.ln())
            } else {
                (x - lo) / (hi - lo)
            }
        };
        match self {
            Dim::Real { lo, hi, log } if hi > lo => {
                let f = frac(v.as_float().or(v.as_integer().map(|i| i as f64))?, *lo, *hi, *log);
                (f <= EDGE).then_some("low").or((f >= 1.0 - EDGE).then_some("high"))
            }
            Dim::Int { lo, hi, .. } if hi - lo >= 2 => {
                let x = v.as_integer()?;
                (x <= *lo).then_some("low").or((x >= *hi).then_some("high"))
            }
            _ => None,
        }
    }
    /// The value's coordinate u ∈ [0, 1], in which [`Dim::from_unit`] of a uniform u draws as
    /// [`Dim::sample`] does: u = (x − lo)/(hi − lo) (in ln x for log ranges); for integers
    /// and choices the centre of the value's bin. `None` for a value not of the range.
    pub fn to_unit(&self, v: &toml::Value) -> Option<f64> {
        match self {
            Dim::Real { lo, hi, log } => {
                let x = v.as_float().or(v.as_integer().map(|i| i as f64))?;
                Some(unit(x, *lo, *hi, *log).clamp(0.0, 1.0))
            }
            Dim::Int { lo, hi, log: false } => {
                let x = v.as_integer()?;
                Some((x - lo) as f64 / (hi - lo + 1) as f64 + 0.5 / (hi - lo + 1) as f64)
            }
            Dim::Int { lo, hi, log: true } => {
                let (a, b) = int_log_ends(*lo, *hi);
                Some(((v.as_integer()? as f64).ln() - a) / (b - a))
            }
            Dim::Choice(c) => Some((c.iter().position(|x| x == v)? as f64 + 0.5) / c.len() as f64),
        }
    }

    /// The value at coordinate u ∈ [0, 1] (the inverse of [`Dim::to_unit`]; u outside [0, 1]
    /// is clamped).
    pub fn from_unit(&self, u: f64) -> toml::Value {
        let u = if u.is_finite() { u.clamp(0.0, 1.0) } else { 0.0 };
        match self {
            Dim::Real { lo, hi, log } => toml::Value::Float(if *log {
                (lo.ln() + u * (hi.ln() - lo.ln())).exp().clamp(*lo, *hi)
            } else {
                lo + u * (hi - lo)
            }),
            Dim::Int { lo, hi, log: false } => {
                toml::Value::Integer((*lo + (u * (hi - lo + 1) as f64).floor() as i64).clamp(*lo, *hi))
            }
            Dim::Int { lo, hi, log: true } => {
                let (a, b) = int_log_ends(*lo, *hi);
                toml::Value::Integer(((a + u * (b - a)).exp().round() as i64).clamp(*lo, *hi))
            }
            Dim::Choice(c) => c[((u * c.len() as f64).floor() as usize).min(c.len() - 1)].clone(),
        }
    }

    /// How many distinct values the dimension holds (`None` for a real range).
    pub fn count(&self) -> Option<usize> {
        match self {
            Dim::Real { .. } => None,
            Dim::Int { lo, hi, .. } => Some((hi - lo + 1) as usize),
            Dim::Choice(c) => Some(c.len()),
        }
    }
}

/// (x − lo)/(hi − lo), in ln x when `log`.
fn unit(x: f64, lo: f64, hi: f64, log: bool) -> f64 {
    if hi <= lo {
        return 0.5;
    }
    if log {
        (x.ln() - lo.ln()) / (hi.ln() - lo.ln())
    } else {
        (x - lo) / (hi - lo)
    }
}

/// The ends in ln x of a log-spaced integer range: each integer n owns [n − ½, n + ½].
fn int_log_ends(lo: i64, hi: i64) -> (f64, f64) {
    ((lo as f64 - 0.5).max(0.5).ln(), (hi as f64 + 0.5).ln())
}

impl Space {
    /// One candidate: a value for every parameter, in order.
    ///
    /// ```
    /// use nanomag::search::space::{Dim, Param, Space};
    /// use rand::SeedableRng;
    /// let space = Space { params: vec![Param::new("reservoir.leak", Dim::Real { lo: 0.05, hi: 1.0, log: true })] };
    /// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    /// let c = space.sample(&mut rng);
    /// let leak = c[0].1.as_float().unwrap();
    /// assert!((0.05..=1.0).contains(&leak));
    /// ```
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> Vec<(String, toml::Value)> {
        self.params.iter().map(|p| (p.key.clone(), p.dim.sample(rng))).collect()
    }

    /// `n` candidates (values in parameter order) spread by Latin hypercube sampling: each
    /// parameter's unit coordinate ([`Dim::to_unit`]) is cut into n equal strata with one
    /// uniform draw in each, and the strata are paired across parameters by seeded shuffles.
    pub fn latin_hypercube(&self, n: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<toml::Value>> {
        use rand::seq::SliceRandom;
        let mut columns = Vec::new();
        for p in &self.params {
            let mut strata: Vec<usize> = (0..n).collect();
            strata.shuffle(rng);
            let col: Vec<toml::Value> =
                strata.iter().map(|k| p.dim.from_unit((*k as f64 + rng.random_range(0.0..1.0)) / n as f64)).collect();
            columns.push(col);
        }
        (0..n).map(|i| columns.iter().map(|c| c[i].clone()).collect()).collect()
    }

    /// Every key a candidate sets (`values` in parameter order): paired keys get their
    /// parameter's value.
    pub fn assignments(&self, values: &[toml::Value]) -> Vec<(String, toml::Value)> {
        self.params.iter().zip(values).flat_map(|(p, v)| p.keys().map(move |k| (k.clone(), v.clone()))).collect()
    }

    /// The parameters of `chosen` at an edge of their range: `key = value (low edge of [lo, hi])`.
    pub fn edges(&self, chosen: &[(String, toml::Value)]) -> Vec<String> {
        chosen
            .iter()
            .filter_map(|(k, v)| {
                let p = self.params.iter().find(|p| &p.key == k)?;
                let side = p.dim.edge(v)?;
                let range = match &p.dim {
                    Dim::Real { lo, hi, .. } => format!("[{lo}, {hi}]"),
                    Dim::Int { lo, hi, .. } => format!("[{lo}, {hi}]"),
                    Dim::Choice(_) => String::new(),
                };
                Some(format!("{k} = {v} ({side} edge of {range})"))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn samples_stay_in_range_and_cover_it() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let real = Dim::Real { lo: 0.01, hi: 10.0, log: true };
        let int = Dim::Int { lo: 1, hi: 200, log: true };
        let xs: Vec<f64> = (0..2000).map(|_| real.sample(&mut rng).as_float().unwrap()).collect();
        assert!(xs.iter().all(|x| (0.01..=10.0).contains(x)));
        // Log-uniform: about half below the geometric mean √(0.01·10) ≈ 0.316.
        let below = xs.iter().filter(|x| **x < 0.1f64.sqrt()).count() as f64 / 2000.0;
        assert!((below - 0.5).abs() < 0.05, "{below}");
        let ns: Vec<i64> = (0..2000).map(|_| int.sample(&mut rng).as_integer().unwrap()).collect();
        assert!(ns.iter().all(|n| (1..=200).contains(n)));
        assert!(ns.contains(&1) && ns.contains(&200));
    }

    #[test]
    fn edges_are_named() {
        let space = Space {
            params: vec![
                Param::new("a", Dim::Real { lo: 1e-2, hi: 1e2, log: true }),
                Param::new("b", Dim::Int { lo: 1, hi: 10, log: false }),
            ],
        };
        let chosen = vec![("a".to_string(), toml::Value::Float(1.1e-2)), ("b".to_string(), toml::Value::Integer(5))];
        let e = space.edges(&chosen);
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("a = 0.011 (low edge"), "{e:?}");
        let chosen = vec![("a".to_string(), toml::Value::Float(1.0)), ("b".to_string(), toml::Value::Integer(10))];
        assert!(space.edges(&chosen)[0].starts_with("b = 10 (high edge"));
    }
}
