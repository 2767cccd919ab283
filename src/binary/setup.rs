//! Setting up a binary array from a validated config: the initial spins and the array with or
//! without the SI point-dipole field — shared by the binary engines (switching, kmc).

use super::BinaryArray;
use crate::config::{Coupling, Init, SimConfig, StateSource};
use crate::error::{ConfigError, Error};
use crate::geometry::Island;
use crate::protocol::Protocol;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Initial spins: +1 along the long axis, random (seeded), the sign of a vector or of a
/// previous state's m along each axis.
pub fn initial_spins(init: &Init, islands: &[Island]) -> Result<Vec<i8>, ConfigError> {
    let sign = |v: f64| if v >= 0.0 { 1 } else { -1 };
    Ok(match init {
        Init::Easy => vec![1; islands.len()],
        Init::Random { seed } => {
            let mut rng = ChaCha8Rng::seed_from_u64(*seed);
            islands.iter().map(|_| if rng.random_bool(0.5) { 1 } else { -1 }).collect()
        }
        Init::Vector(v) => islands.iter().map(|i| sign(i.long_axis().dot(v))).collect(),
        Init::State(StateSource::Islands { m, .. }) => {
            islands.iter().zip(m).map(|(i, v)| sign(i.long_axis().dot(v))).collect()
        }
        Init::State(StateSource::Ovf(f)) => {
            return Err(ConfigError::new(
                "init.file",
                f.display(),
                "is an OVF file of cells: binary engines restart from a magnets.csv",
            ))
        }
        Init::Vortex { .. } => {
            return Err(ConfigError::new("init.kind", "\"vortex\"", "needs the micromagnetic engine"))
        }
    })
}

/// The islands' binary array of a config, with the SI point-dipole field when `with_dipolar`
/// (the kmc engine) — the switching model keeps its own ([`crate::switching::dipolar`]).
pub fn binary_array(
    cfg: &SimConfig,
    protocol: Protocol,
    with_dipolar: bool,
) -> Result<(BinaryArray, Vec<Island>), Error> {
    let islands = cfg.islands()?;
    let spins = initial_spins(&cfg.init, &islands)?;
    let cutoff = match cfg.coupling {
        Coupling::Dipole { cutoff } if with_dipolar => Some(cutoff * cfg.lattice.spacing()),
        _ => None,
    };
    Ok((BinaryArray::new(islands.clone(), cfg.material.ms, spins, cutoff, protocol), islands))
}
