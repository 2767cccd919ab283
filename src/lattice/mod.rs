//! Lattices: where the islands sit. One file per kind behind the [`Lattice`] trait; adding a
//! lattice is one file plus one line in [`REGISTRY`].
//!
//! Every kind reads its own keys from `[lattice]` (validated once, in its `from_config`) and
//! returns the nominal islands; [`build`] then applies the seeded geometric disorder and
//! checks that no two islands overlap.

pub mod asvi;
pub mod chain;
pub mod custom;
pub mod disorder;
pub mod kagome;
pub mod pinwheel;
pub mod square;

use crate::config::checks;
use crate::config::raw::RawLattice;
use crate::error::ConfigError;
use crate::geometry::neighbours::pairs_within;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use std::path::Path;
use std::sync::RwLock;

/// A lattice of islands.
pub trait Lattice: Send + Sync + std::fmt::Debug {
    /// Registry name (`[lattice] kind`).
    fn name(&self) -> &'static str;
    /// The islands at their nominal positions, sizes and angles.
    fn islands(&self) -> Vec<Island>;
    /// Lattice spacing a (m): the unit of `coupling.cutoff`.
    fn spacing(&self) -> f64;
}

/// Builds a validated lattice from `[lattice]`, the `[magnet]` defaults and the directory
/// the config file sits in (for relative file paths).
pub type Constructor = fn(&RawLattice, &MagnetSpec, &Path) -> Result<Box<dyn Lattice>, ConfigError>;

/// A registered lattice kind: its name, the `[lattice]` keys it owns beyond
/// [`COMMON_KEYS`], its constructor.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub build: Constructor,
}

/// `[lattice]` keys of every kind: the kind and the seeded geometric disorder.
pub const COMMON_KEYS: &[&str] = &["kind", "disorder", "angle_disorder", "seed"];
/// The keys of the grid-based kinds ([`Grid`]).
pub const GRID_KEYS: &[&str] = &["nx", "ny", "spacing"];

/// Every lattice kind. Register a new kind here, with the keys it reads.
pub const REGISTRY: &[Entry] = &[
    Entry { name: "square", keys: GRID_KEYS, build: square::from_config },
    Entry { name: "kagome", keys: GRID_KEYS, build: kagome::from_config },
    Entry { name: "pinwheel", keys: GRID_KEYS, build: pinwheel::from_config },
    Entry { name: "asvi", keys: asvi::KEYS, build: asvi::from_config },
    Entry { name: "chain", keys: chain::KEYS, build: chain::from_config },
    Entry { name: "custom", keys: custom::KEYS, build: custom::from_config },
];

/// Lattice kinds registered at run time by code outside this crate ([`register`]).
static ADDED: RwLock<Vec<Entry>> = RwLock::new(Vec::new());

/// Adds a lattice kind from outside the library: from then on `[lattice] kind = "<name>"`
/// builds it. Its keys must be `[lattice]` keys nanomag parses (e.g. [`GRID_KEYS`]). A name
/// already taken is refused.
pub fn register(e: Entry) -> Result<(), ConfigError> {
    if kinds().iter().any(|x| x.name == e.name) {
        return Err(ConfigError::new("lattice.kind", e.name, "is already a registered lattice: choose another name"));
    }
    ADDED.write().unwrap_or_else(|p| p.into_inner()).push(e);
    Ok(())
}

/// Every lattice kind: the built-in ones ([`REGISTRY`]), then those added by [`register`].
pub fn kinds() -> Vec<Entry> {
    let mut v = REGISTRY.to_vec();
    v.extend(ADDED.read().unwrap_or_else(|p| p.into_inner()).iter().copied());
    v
}

/// Validate `[lattice]` into a lattice of the named kind (default `square`); a key of another
/// kind, or of none, is refused (e.g. `pattern` on `square`).
pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, base_dir: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    let kind = raw.kind.as_deref().unwrap_or("square");
    let all = kinds();
    let names: Vec<&str> = all.iter().map(|e| e.name).collect();
    checks::one_of("lattice.kind", kind, &names)?;
    let owners: Vec<(&str, &[&str])> = all.iter().map(|e| (e.name, e.keys)).collect();
    checks::owned_keys("lattice", raw, kind, &owners, COMMON_KEYS)?;
    (all.iter().find(|e| e.name == kind).expect("checked by one_of").build)(raw, magnet, base_dir)
}

/// Nx × ny × spacing of the grid-based kinds, with defaults 10 × 10 × 500 nm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    pub nx: usize,
    pub ny: usize,
    pub spacing: f64,
}

impl Grid {
    pub fn from_raw(raw: &RawLattice) -> Result<Grid, ConfigError> {
        Ok(Grid {
            nx: checks::count("lattice.nx", raw.nx.unwrap_or(10), 1, 2000)?,
            ny: checks::count("lattice.ny", raw.ny.unwrap_or(10), 1, 2000)?,
            spacing: checks::in_range("lattice.spacing", raw.spacing.unwrap_or(500e-9), 1e-9, 1e-3, "m")?,
        })
    }
}

/// Seeded geometric disorder applied after the nominal islands are built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DisorderSpec {
    /// Relative standard deviation of island width (1), in [0, 0.5].
    pub width: f64,
    /// Standard deviation of island angle (rad).
    pub angle: f64,
    pub seed: u64,
}

impl DisorderSpec {
    pub fn from_raw(raw: &RawLattice) -> Result<DisorderSpec, ConfigError> {
        Ok(DisorderSpec {
            width: checks::in_range(
                "lattice.disorder",
                raw.disorder.unwrap_or(0.0),
                0.0,
                0.5,
                "(relative std of width)",
            )?,
            angle: checks::in_range("lattice.angle_disorder", raw.angle_disorder.unwrap_or(0.0), 0.0, 45.0, "degrees")?
                .to_radians(),
            seed: checks::seed("lattice.seed", raw.seed.unwrap_or(1))?,
        })
    }
}

/// Most islands one array may hold (checked before the overlap check and any engine).
pub const MAX_ISLANDS: usize = 4_000_000;

/// The islands of `lattice` with `disorder` applied, checked for overlaps.
pub fn build(lattice: &dyn Lattice, disorder: &DisorderSpec) -> Result<Vec<Island>, ConfigError> {
    let mut islands = lattice.islands();
    if islands.len() > MAX_ISLANDS {
        return Err(ConfigError::new(
            "lattice",
            format!("{} islands", islands.len()),
            format!("an array may hold at most {MAX_ISLANDS} islands: make lattice.nx/ny smaller"),
        ));
    }
    disorder::apply(&mut islands, disorder);
    check_overlaps(&islands, lattice.spacing())?;
    Ok(islands)
}

/// Fails with a `lattice.spacing` error if two islands overlap (touching is allowed).
pub fn check_overlaps(islands: &[Island], spacing: f64) -> Result<(), ConfigError> {
    let reach = islands.iter().map(|i| i.length.max(i.width)).fold(0.0, f64::max);
    let pos: Vec<(f64, f64)> = islands.iter().map(|i| (i.x, i.y)).collect();
    let near = pairs_within(&pos, reach);
    for (i, js) in near.iter().enumerate() {
        for &j in js.iter().filter(|&&j| j > i) {
            if islands[i].overlaps(&islands[j], 1e-12) {
                return Err(ConfigError::new(
                    "lattice.spacing",
                    crate::config::checks::show(spacing),
                    format!(
                        "islands {i} at ({:.3e}, {:.3e}) m and {j} at ({:.3e}, {:.3e}) m overlap: increase the spacing or shrink the magnets",
                        islands[i].x, islands[i].y, islands[j].x, islands[j].y
                    ),
                ));
            }
        }
    }
    Ok(())
}
