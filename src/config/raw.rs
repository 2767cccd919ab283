//! Raw configuration as written in TOML (serde). Nothing here is checked; `validate` turns it
//! into the checked types of [`super::SimConfig`]. Every key, with default, unit and range, is
//! documented in `docs/config.md`.

use serde::{Deserialize, Serialize};

pub use super::raw_run::{
    RawEnergy, RawFeatures, RawInput, RawReadout, RawReservoir, RawSensor, RawSpectrum, RawStripline, RawTask,
};

/// The sections of a config file every engine shares (the engines' own sections, e.g.
/// `[switching]`, `[kmc]`, `[mesh]`, are kept in [`RawConfig::sections`] and parsed by them).
pub const SHARED_SECTIONS: &[&str] = &[
    "material",
    "magnet",
    "lattice",
    "coupling",
    "temperature",
    "init",
    "solver",
    "field",
    "output",
    "reservoir",
    "input",
    "features",
    "sensor",
    "task",
    "readout",
    "energy",
    "spectrum",
    "layer",
];

/// A config file as written. The shared sections are typed here; every other top-level table
/// lands in `sections`, where the engine that owns it parses and checks it (a section no
/// registered engine owns is refused by validation), so adding an engine adds no field here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RawConfig {
    #[serde(default)]
    pub material: RawMaterial,
    #[serde(default)]
    pub magnet: RawMagnet,
    #[serde(default)]
    pub lattice: RawLattice,
    #[serde(default)]
    pub coupling: RawCoupling,
    #[serde(default)]
    pub temperature: RawTemperature,
    #[serde(default)]
    pub init: RawInit,
    #[serde(default)]
    pub solver: RawSolver,
    #[serde(default)]
    pub field: Vec<RawField>,
    #[serde(default)]
    pub output: RawOutput,
    /// `nanomag run` sections (see [`super::raw_run`]); `simulate` refuses them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservoir: Option<RawReservoir>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<RawInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<RawFeatures>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensor: Option<RawSensor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<RawTask>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readout: Option<RawReadout>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<RawEnergy>,
    /// `[spectrum]`: for `nanomag spectrum` and the `spectrum` feature kind of `nanomag run`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spectrum: Option<RawSpectrum>,
    /// `[[layer]]`: the reservoirs of a network (`nanomag run`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layer: Vec<RawLayer>,
    /// Every other top-level table, by name: the engines' own sections (`[switching]`,
    /// `[kmc]`, `[mesh]`, …), each parsed by its engine ([`RawConfig::section`]).
    #[serde(flatten)]
    pub sections: std::collections::BTreeMap<String, toml::Value>,
}

impl RawConfig {
    /// The engine section `name` parsed as `T` (None when absent); a key the section does not
    /// have, or a value of the wrong type, is a one-line error naming the section.
    pub fn section<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, crate::error::ConfigError> {
        let Some(v) = self.sections.get(name) else { return Ok(None) };
        v.clone().try_into().map(Some).map_err(|e: toml::de::Error| {
            let msg = e.message().replace('\n', " ");
            // "unknown field `x`, …" names the key itself.
            let key = msg
                .strip_prefix("unknown field `")
                .and_then(|r| r.split_once('`'))
                .map_or(name.to_string(), |(k, _)| format!("{name}.{k}"));
            crate::error::ConfigError::new(key, format!("[{name}]"), super::words::humanise(&msg))
        })
    }

    /// Stores the engine section `name` (its resolved values, for summaries and hashes).
    pub fn set_section<T: Serialize>(&mut self, name: &str, value: &T) {
        if let Ok(v) = toml::Value::try_from(value) {
            self.sections.insert(name.to_string(), v);
        }
    }

    /// `simulate` runs a field protocol; the reservoir sections belong to `nanomag run`.
    pub fn refuse_run_sections(&self) -> Result<(), crate::error::ConfigError> {
        let present = [
            ("reservoir", self.reservoir.is_some()),
            ("input", self.input.is_some()),
            ("features", self.features.is_some()),
            ("task", self.task.is_some()),
            ("readout", self.readout.is_some()),
            ("energy", self.energy.is_some()),
        ];
        match present.iter().find(|(_, p)| *p) {
            Some((name, _)) => Err(crate::error::ConfigError::new(
                *name,
                format!("[{name}]"),
                "is a section of `nanomag run` experiments: run this file with `nanomag run`",
            )),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMaterial {
    /// Saturation magnetisation Ms (A/m). Default 8.0e5 (permalloy).
    pub ms: Option<f64>,
    /// Gilbert damping α (1). Default 0.01.
    pub alpha: Option<f64>,
    /// Uniaxial anisotropy constant K_u (J/m³) along each island's long axis. Default 0.
    pub ku: Option<f64>,
    /// Exchange stiffness A (J/m), micromagnetic solver only. Default 1.3e-11 (permalloy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a_ex: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawMagnet {
    pub shape: Option<String>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub thickness: Option<f64>,
}

/// One magnet of a `custom` lattice. Angle in degrees; sizes default to `[magnet]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawCustomMagnet {
    pub x: f64,
    pub y: f64,
    #[serde(default)]
    pub angle: f64,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub thickness: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawLattice {
    pub kind: Option<String>,
    pub nx: Option<i64>,
    pub ny: Option<i64>,
    pub spacing: Option<f64>,
    /// Relative standard deviation of island width (1). Default 0.
    pub disorder: Option<f64>,
    /// Standard deviation of island angle (degrees). Default 0.
    pub angle_disorder: Option<f64>,
    pub seed: Option<i64>,
    /// `chain`: island angle (degrees).
    pub angle: Option<f64>,
    /// `asvi`: widths of the wide and narrow bars (m), and their arrangement.
    pub wide_width: Option<f64>,
    pub narrow_width: Option<f64>,
    pub pattern: Option<String>,
    /// `custom`: magnets inline, or a CSV file with columns `x,y,angle[,length,width,thickness]`.
    pub magnets: Option<Vec<RawCustomMagnet>>,
    pub file: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawCoupling {
    pub kind: Option<String>,
    /// Neighbour cutoff in units of the lattice spacing; `inf` for all pairs.
    pub cutoff: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTemperature {
    /// Temperature (K). Default 0.
    pub t: Option<f64>,
    pub seed: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawInit {
    pub kind: Option<String>,
    pub m: Option<Vec<f64>>,
    pub seed: Option<i64>,
    /// `kind = "state"`: a previous run's final state, `magnets.csv` (island means) or an OVF
    /// 1.0/2.0 file (cells, micromagnetic solver); `kind = "ovf"` is the older name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Relax the initial state before the protocol, in the field `relax_field` (T, default
    /// zero), until max|m × B| < `relax_torque` (T, default 1e-4), with `minimiser`
    /// (`bb`, default, or `descent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relax: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relax_torque: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relax_field: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimiser: Option<String>,
    /// `kind = "vortex"`: circulation (+1 counter-clockwise, −1 clockwise, 0 for a uniform
    /// island) and core polarity (±1), one value for every island or a list with one per island.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circulation: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polarity: Option<toml::Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSolver {
    /// The engine: `macrospin` (default) or `micromagnetic` (`crate::registry::REGISTRY`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// RK45 error bound on max |Δm| per step (`method = "rk45"`). Default 1e-5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_err: Option<f64>,
    /// rk45's error norm: `max_dm` (MuMax3's, default) or `mixed` (magnum.np's mixed rtol/atol
    /// norm).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_norm: Option<String>,
    pub method: Option<String>,
    pub dt: Option<f64>,
    pub rtol: Option<f64>,
    pub atol: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub kind: Option<String>,
    pub duration: Option<f64>,
    pub b: Option<Vec<f64>>,
    pub from: Option<Vec<f64>>,
    pub to: Option<Vec<f64>>,
    pub b0: Option<Vec<f64>>,
    pub amplitude: Option<Vec<f64>>,
    pub frequency: Option<f64>,
    pub magnitude: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    /// Interval between table rows (s). Default 1e-12.
    pub interval: Option<f64>,
    /// Micromagnetic solver: interval between OVF snapshots of m (s). Default: none (only
    /// the final state, `m_final.ovf`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_interval: Option<f64>,
    /// `binary4` (default), `binary8` or `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ovf_format: Option<String>,
    /// Every island's m at every output row: `npy` (history_m.npy, [rows, islands, 3]),
    /// `csv` (history_m.csv) or `none` (default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<String>,
    /// With `history = "npy"`: also draw the history as history.gif (an animation) and
    /// history.png (small multiples). Default false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub animation: Option<bool>,
}

/// `[[layer]]`: one reservoir of a network (`crate::reservoir::network`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLayer {
    /// Name in summaries (default `layer k`).
    pub label: Option<String>,
    /// `experiment` (default: a reservoir experiment file) or `identity` (passes another
    /// layer's features through).
    pub kind: Option<String>,
    /// The layer's experiment file (relative to the network's file).
    pub base: Option<String>,
    /// Overrides of the base file's keys (dotted keys).
    pub set: Option<std::collections::BTreeMap<String, toml::Value>>,
    /// `"task"` (default), or `{ layer = k, feature = j | "mean" | "all" }`.
    pub input: Option<toml::Value>,
    /// Whether the readout sees this layer's features (default true).
    pub read: Option<bool>,
    /// The layer's resolved configuration (written by validation, for summaries and hashes).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Box<RawConfig>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name in [`SHARED_SECTIONS`] is a typed field (it does not land in `sections`),
    /// and any other table does.
    #[test]
    fn shared_sections_are_the_typed_fields() {
        for name in SHARED_SECTIONS {
            let text = if ["field", "layer"].contains(name) { format!("{name} = []\n") } else { format!("[{name}]\n") };
            let raw: RawConfig = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(raw.sections.is_empty(), "{name} landed in sections");
        }
        let raw: RawConfig = toml::from_str("[kmc]\nseed = 3\n[anything]\n").unwrap();
        assert_eq!(raw.sections.keys().collect::<Vec<_>>(), ["anything", "kmc"]);
    }
}
