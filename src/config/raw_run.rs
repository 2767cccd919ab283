//! Raw (unchecked) sections of a `nanomag run` experiment: `[reservoir]`, `[input]`,
//! `[features]`, `[task]` and `[readout]`. `crate::reservoir::config` validates them once.
//! Every key, with default, unit and range, is documented in `docs/config.md`.

use serde::{Deserialize, Serialize};

/// `[reservoir]`: which reservoir computes (the magnet array, or a software baseline).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawReservoir {
    /// `magnets` (default), or a software baseline: `esn`, `delay_line` or `ngrc`.
    pub kind: Option<String>,
    /// `esn`: nodes N.
    pub n: Option<i64>,
    /// `esn`: spectral radius of the recurrent matrix.
    pub spectral_radius: Option<f64>,
    /// `esn`: scale of the input weights.
    pub input_scaling: Option<f64>,
    /// `esn`: scale of the bias weights.
    pub bias_scaling: Option<f64>,
    /// `esn`: leak rate a in x ← (1−a)x + a tanh(…).
    pub leak: Option<f64>,
    /// `esn`: weight seed.
    pub seed: Option<i64>,
    /// `delay_line`: number of past inputs held; `ngrc`: taps of the linear part.
    pub taps: Option<i64>,
    /// `ngrc`: steps between taps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stride: Option<i64>,
    /// `ngrc`: highest monomial degree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
}

/// `[input]`: how each input value becomes an applied field (magnet reservoirs).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    /// `amplitude` (default), `angle`, `minor_loop`, `clock` or `rotating`.
    pub kind: Option<String>,
    /// Time each input is held (s).
    pub hold: Option<f64>,
    /// Virtual nodes: states read per hold, evenly spaced.
    pub samples: Option<i64>,
    /// Rise time of every field change (s).
    pub rise: Option<f64>,
    /// Input mask per virtual node: `none`, `binary` (±1) or `uniform` ([−1, 1]).
    pub mask: Option<String>,
    pub mask_seed: Option<i64>,
    /// `amplitude`: B = b0 + s·db (T).
    pub b0: Option<Vec<f64>>,
    pub db: Option<Vec<f64>>,
    /// `angle`: |B| (T), and direction angle0 + s·span (degrees).
    pub magnitude: Option<f64>,
    pub angle0: Option<f64>,
    pub span: Option<f64>,
    /// `minor_loop`: in-plane direction (degrees) and the range of the cycle amplitude (T).
    pub direction: Option<f64>,
    pub h_min: Option<f64>,
    pub h_max: Option<f64>,
    /// `minor_loop`: the reverse half's amplitude as a fraction of H (1: symmetric).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse: Option<f64>,
    /// `clock`: amplitude H0 (T), modulation depth, directions (degrees), pulses per input,
    /// `amplitude` or `bit` mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h0: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub angles: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pulses: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// `rotating`: amplitude H_c + s·H_r (T), rotations per input, angle steps per rotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h_c: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub h_r: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotations: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<i64>,
}

/// `[features]`: what the readout sees of the reservoir state.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawFeatures {
    /// `magnet_state` (default): per-magnet components of m; `spectrum`: FMR fingerprint;
    /// `tiles`: mean in-plane m over a grid of tiles.
    pub kind: Option<String>,
    /// `tiles`: tiles along x and y. Default [8, 8].
    pub tiles: Option<[i64; 2]>,
    /// `magnet_state`: subset of `long`, `perp`, `z`.
    pub components: Option<Vec<String>>,
    /// `spectrum`: frequency channels F. Default 32.
    pub channels: Option<i64>,
    /// `spectrum`: band (Hz). Defaults 1e9, 20e9.
    pub f_min: Option<f64>,
    pub f_max: Option<f64>,
    /// `spectrum`: log10 of the channel power. Default true.
    pub log_power: Option<bool>,
    /// `spectrum`: divide by the total power over the band. Default true.
    pub normalise: Option<bool>,
    /// Also give the readout the current input u(t).
    pub include_input: Option<bool>,
}

/// `[sensor]`: what a device measures of each read, and its cost (`crate::reservoir::sensors`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSensor {
    /// `ideal` (default), `projection`, `binary`, `region` or `spectrum`.
    pub kind: Option<String>,
    /// Integration window ending at each read (s). Default: the whole interval between reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<f64>,
    /// Trapezoid samples over the window. Default 8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_points: Option<i64>,
    /// Noise σ per read (feature units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise: Option<f64>,
    /// Noise density (feature units per √Hz). Default 1e-7.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub noise_density: Option<f64>,
    /// Noise bandwidth (Hz). Default 1/(2·window).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth: Option<f64>,
    /// Signal-to-noise ratio per read (dB).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snr_db: Option<f64>,
    /// ADC resolution (bits; 0 = none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adc_bits: Option<i64>,
    /// ADC range ±full_scale (feature units). Default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_scale: Option<f64>,
    /// Detector power during the window (W). Default 1e-5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub power: Option<f64>,
    /// ADC Walden figure of merit (J per conversion step). Default 2.2e-15.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adc_fom: Option<f64>,
    /// `region`: regions along x and y. Default [1, 1].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<[i64; 2]>,
    /// `spectrum`: acquisitions averaged. Default 16.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub averages: Option<i64>,
    /// Seed of the noise stream. Default: the lattice seed (software reservoirs: the task seed).
    pub seed: Option<i64>,
}

/// `[task]`: the time series and how it is split.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub kind: Option<String>,
    pub seed: Option<i64>,
    pub washout: Option<i64>,
    pub train: Option<i64>,
    pub validation: Option<i64>,
    pub test: Option<i64>,
    /// `mackey_glass`: RK4 steps (h = 1) per sample, and the prediction horizon in samples.
    pub subsample: Option<i64>,
    pub horizon: Option<i64>,
    /// `mackey_glass`: samples integrated from the seeded history and discarded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transient: Option<i64>,
    /// `memory_capacity`: largest delay K.
    pub delays: Option<i64>,
    /// `sine_square`, `signal_transform_periodic`: period in steps.
    pub period: Option<f64>,
    /// `signal_transform`: the band of the wandering period (steps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_max: Option<f64>,
    /// `signal_transform`: correlation time of the period's wandering (steps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation: Option<f64>,
    /// `parity`: number of inputs in the XOR.
    pub order: Option<i64>,
}

/// `[readout]`: the trained linear map.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawReadout {
    /// `ridge` (default).
    pub kind: Option<String>,
    /// Ridge parameters tried; the best on the validation split is kept.
    pub lambdas: Option<Vec<f64>>,
}

/// `[energy]`: the model that turns a run into joules per input step (see `crate::energy`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawEnergy {
    /// `stripline` (default) or `none`: what generates the input field.
    pub field_source: Option<String>,
    /// `[energy.stripline]`: the conductor under the array.
    pub stripline: Option<RawStripline>,
    /// Energy to sense one feature of the physical reservoir (J). Default 1e-12.
    pub read_per_feature: Option<f64>,
    /// Energy of one digital multiply (J). Default 3.7e-12 (fp32, 45 nm; Horowitz 2014).
    pub mult: Option<f64>,
    /// Energy of one digital add (J). Default 0.9e-12 (fp32, 45 nm; Horowitz 2014).
    pub add: Option<f64>,
    /// Temperature of the Landauer floor (K). Default: the run's temperature, or 300 K at T = 0.
    pub landauer_temperature: Option<f64>,
}

/// `[energy.stripline]`: a straight conductor of rectangular cross-section under the array.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawStripline {
    /// Width w (m). Default 5e-6.
    pub width: Option<f64>,
    /// Thickness (m). Default 200e-9.
    pub thickness: Option<f64>,
    /// Length (m). Default 20e-6.
    pub length: Option<f64>,
    /// Resistivity ρ (Ω·m). Default 2.44e-8 (gold, 20 °C).
    pub resistivity: Option<f64>,
}

/// `[spectrum]`: the FMR probe (pulse and ringdown) and, for `nanomag spectrum`, the field sweep.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSpectrum {
    /// Pulse amplitude (T). Default 2e-3.
    pub pulse: Option<f64>,
    /// Pulse duration (s). Default 10e-12.
    pub pulse_duration: Option<f64>,
    /// Ringdown recorded after the pulse (s). Default 3e-9.
    pub ringdown: Option<f64>,
    /// Sampling interval (s). Default 5e-12 (Nyquist 100 GHz).
    pub sample_interval: Option<f64>,
    /// Zero-padding factor. Default 4.
    pub pad: Option<i64>,
    /// Pulse direction (unit vector); default in-plane ⊥ the bias field.
    pub direction: Option<Vec<f64>>,
    /// `nanomag spectrum`: bias fields (T) of the field-swept mode, along `bias_direction`.
    pub bias_fields: Option<Vec<f64>>,
    /// In-plane direction (degrees) of the swept bias. Default 0.
    pub bias_direction: Option<f64>,
    /// Relaxation at each swept bias before the pulse (s). Default 2e-9.
    pub relax: Option<f64>,
    /// Upper frequency shown in figures and searched for peaks (Hz). Default 30e9.
    pub f_max: Option<f64>,
    /// `nanomag spectrum`: also the spectrum of every island (spectrum_islands.csv). Default false.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub islands: Option<bool>,
    /// `nanomag spectrum`, engines with cells: frequencies (Hz) at which to map the power of
    /// every cell (mode maps). Default none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode_frequencies: Option<Vec<f64>>,
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
    pub resolved: Option<Box<super::raw::RawConfig>>,
}
