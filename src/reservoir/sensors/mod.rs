//! Sensors: what a device actually measures of the reservoir, and what that costs. One file
//! per kind behind [`Sensor`], registered in [`REGISTRY`] (`[sensor] kind`):
//!
//! - [`ideal`]: the feature values themselves, instantaneous and noiseless — the idealised
//!   bound, not a device;
//! - [`projection`]: each feature value (per-island projection of m, a tile, …) integrated
//!   over a window, with additive noise and an optional ADC;
//! - [`binary`]: the sign of each integrated, noisy value (an MTJ or MFM-style read of an
//!   island's state);
//! - [`region`]: the moment-weighted mean of a set of islands (MOKE spot, Hall cross, AMR
//!   of a connected network), integrated, noisy, digitised;
//! - [`spectrum`]: the FMR spectrum with a noise floor reduced by averaging.
//!
//! Every non-ideal sensor shares one read chain ([`Chain`]): the reading of value x over the
//! window [t − w, t] is
//!
//! $$ r = Q\!\left(\frac1w\int_{t-w}^{t} x(t')\,dt' + \sigma\,\xi\right),\qquad \xi\sim N(0,1), $$
//!
//! the integral by the trapezoid rule on `window_points` equally spaced samples (exact for
//! x linear in t, and for a sinusoid whose period is a whole fraction of w sampled on more
//! than two points per period), σ from a noise density S (per √Hz) over the equivalent noise
//! bandwidth of a boxcar integrator, σ = S·√(1/(2w)) (or an explicit σ, or an SNR), and Q
//! an n-bit mid-rise quantiser over [−full_scale, full_scale]. The energy of a read is
//! E = P·w + F·2ⁿ per value: detector power P during the window and an ADC of Walden figure
//! of merit F (docs/energy.md). Noise comes from a seeded stream drawn in time order, so runs
//! are reproducible whatever the thread count.

pub mod binary;
pub mod ideal;
pub mod projection;
pub mod region;
pub mod spectrum;

use crate::config::checks::{count, in_range, seed};
use crate::config::raw::RawSensor;
use crate::error::ConfigError;
use crate::geometry::Island;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::sync::Arc;

/// Builds a validated sensor from `[sensor]`, filling `res` with every default used.
pub type Constructor = fn(&RawSensor, &Context, &mut RawSensor) -> Result<Arc<dyn Sensor>, ConfigError>;

/// A registered sensor: its name, the `[sensor]` keys it owns beyond [`COMMON_KEYS`], its
/// constructor.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub build: Constructor,
}

/// `[sensor]` keys of every kind.
pub const COMMON_KEYS: &[&str] = &["kind", "seed"];

/// The keys of a read chain (window, noise, ADC and the detector's power).
const CHAIN: &[&str] = &[
    "window",
    "window_points",
    "noise",
    "noise_density",
    "bandwidth",
    "snr_db",
    "adc_bits",
    "full_scale",
    "power",
    "adc_fom",
];

/// Every sensor. Register a new sensor here, with the keys it reads.
pub const REGISTRY: &[Entry] = &[
    Entry { name: "ideal", keys: &[], build: ideal::from_config },
    Entry { name: "projection", keys: CHAIN, build: projection::from_config },
    Entry {
        name: "binary",
        keys: &["window", "window_points", "noise", "noise_density", "bandwidth", "snr_db", "power", "adc_fom"],
        build: binary::from_config,
    },
    Entry {
        name: "region",
        keys: &[
            "window",
            "window_points",
            "noise",
            "noise_density",
            "bandwidth",
            "snr_db",
            "adc_bits",
            "full_scale",
            "power",
            "adc_fom",
            "regions",
        ],
        build: region::from_config,
    },
    Entry {
        name: "spectrum",
        keys: &["snr_db", "averages", "adc_bits", "power", "adc_fom"],
        build: spectrum::from_config,
    },
];

/// What a sensor needs to know about the reads it measures.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Time between reads (s): the virtual-node interval; `None` for software reservoirs.
    pub node_interval: Option<f64>,
    /// The feature kind read (`magnet_state`, `tiles`, `spectrum`, or `state` for software
    /// reservoirs).
    pub feature_kind: &'a str,
    /// Values per island in a read (`magnet_state`: the components), else 0.
    pub values_per_island: usize,
    /// The islands (magnet reservoirs), for sensors that group them.
    pub islands: &'a [Island],
    /// `[energy] read_per_feature` (J): the idealised sensor's placeholder cost per value.
    pub read_per_feature: f64,
    /// Spectral features: what the spectrum sensor needs of them.
    pub spectrum: Option<Spectral>,
}

/// Spectral features as `[features]` asks for them (log10, normalisation: the spectrum sensor
/// applies these after its noise) and the probe's duration (pulse + ringdown, s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spectral {
    pub log_power: bool,
    pub normalise: bool,
    pub probe_duration: f64,
}

/// The integration window of a read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Duration w (s), ending at the read time.
    pub duration: f64,
    /// Samples of the trapezoid rule (≥ 2).
    pub points: usize,
}

impl Window {
    /// Trapezoid-rule mean over the window of samples `f[0..points]` taken at equal steps:
    /// $\bar x = \frac{1}{n-1}\big(\tfrac12 f_0 + f_1 + \dots + f_{n-2} + \tfrac12 f_{n-1}\big)$.
    pub fn mean(samples: &[Vec<f64>]) -> Vec<f64> {
        let n = samples.len();
        let mut out = vec![0.0; samples.first().map_or(0, |s| s.len())];
        if n == 1 {
            out.copy_from_slice(&samples[0]);
            return out;
        }
        for (k, s) in samples.iter().enumerate() {
            let w = if k == 0 || k == n - 1 { 0.5 } else { 1.0 };
            out.iter_mut().zip(s).for_each(|(o, v)| *o += w * v);
        }
        out.iter_mut().for_each(|o| *o /= (n - 1) as f64);
        out
    }
}

/// Measures the feature values of a read.
pub trait Sensor: Send + Sync + std::fmt::Debug {
    /// Registry name (`[sensor] kind`).
    fn name(&self) -> &'static str;
    /// True only for the idealised bound (instantaneous, noiseless, free of a device model).
    fn is_ideal(&self) -> bool {
        false
    }
    /// Values in a reading of `features` feature values.
    fn width(&self, features: usize) -> usize {
        features
    }
    /// The integration window, if the read averages over time.
    fn window(&self) -> Option<Window> {
        None
    }
    /// The reading of one read's (window-averaged) feature values, appended to `out`.
    fn read(&self, values: &[f64], rng: &mut ChaCha8Rng, out: &mut Vec<f64>);
    /// Energy of one reading of `features` feature values (J).
    fn energy_per_read(&self, features: usize) -> f64;
    /// Noise standard deviation per value (feature units), for reports.
    fn noise_sigma(&self) -> f64 {
        0.0
    }
    /// One line for summaries.
    fn describe(&self) -> String;
}

/// The shared read chain of non-ideal sensors: window, noise, quantiser, cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chain {
    pub window: Option<Window>,
    /// σ per value (feature units).
    pub sigma: f64,
    /// ADC resolution (bits), or `None` for an analogue value passed on unquantised.
    pub adc_bits: Option<u32>,
    /// The ADC's range is [−full_scale, full_scale] (feature units).
    pub full_scale: f64,
    /// Detector power during the window (W).
    pub power: f64,
    /// ADC Walden figure of merit (J per conversion step).
    pub adc_fom: f64,
}

/// Default detector power during a read (W): an MTJ or Hall cross biased at ~0.1 V, ~10 µA
/// (docs/energy.md).
pub const DEFAULT_POWER: f64 = 10e-6;
/// Default ADC figure of merit (J per conversion step): the survey record 2.2 fJ
/// (Harpe et al., ISSCC 2013), docs/energy.md.
pub const DEFAULT_ADC_FOM: f64 = 2.2e-15;
/// Default noise density (full-scale units per √Hz): Johnson noise of a ~1 kΩ MTJ against a
/// ~50 mV signal swing, with amplifier margin (docs/energy.md).
pub const DEFAULT_NOISE_DENSITY: f64 = 1e-7;

impl Chain {
    /// x̄ + σξ, quantised.
    pub fn measure(&self, x: f64, rng: &mut ChaCha8Rng) -> f64 {
        let noisy = if self.sigma > 0.0 {
            let xi: f64 = StandardNormal.sample(rng);
            x + self.sigma * xi
        } else {
            x
        };
        match self.adc_bits {
            Some(bits) => quantise(noisy, bits, self.full_scale),
            None => noisy,
        }
    }

    /// E = P·w + F·2ⁿ per value (J).
    pub fn energy_per_value(&self) -> f64 {
        let w = self.window.map_or(0.0, |w| w.duration);
        self.power * w + self.adc_fom * self.adc_bits.map_or(0.0, |b| 2f64.powi(b as i32))
    }

    /// `window w s (k points), σ = …, n-bit ADC`.
    pub fn describe(&self) -> String {
        let w = self.window.map_or("instantaneous".to_string(), |w| format!("window {:e} s", w.duration));
        let adc = self.adc_bits.map_or("analogue".to_string(), |b| format!("{b}-bit ADC"));
        format!("{w}, noise σ = {:.3e}, {adc}", self.sigma)
    }

    /// Validates the chain's keys; `bits_default` is the ADC default (None: analogue).
    pub fn from_config(
        raw: &RawSensor,
        ctx: &Context,
        res: &mut RawSensor,
        bits_default: Option<i64>,
    ) -> Result<Chain, ConfigError> {
        let window = window(raw, ctx, res)?;
        let sigma = sigma(raw, window, res)?;
        let adc_bits = match raw.adc_bits.or(bits_default) {
            None | Some(0) => None,
            Some(b) => Some(count("sensor.adc_bits", b, 1, 24)? as u32),
        };
        let full_scale = in_range("sensor.full_scale", raw.full_scale.unwrap_or(1.0), 1e-12, 1e12, "(feature units)")?;
        let power = in_range("sensor.power", raw.power.unwrap_or(DEFAULT_POWER), 0.0, 10.0, "W")?;
        let adc_fom = in_range("sensor.adc_fom", raw.adc_fom.unwrap_or(DEFAULT_ADC_FOM), 0.0, 1e-9, "J per step")?;
        (res.adc_bits, res.full_scale, res.power, res.adc_fom) =
            (Some(adc_bits.map_or(0, i64::from)), Some(full_scale), Some(power), Some(adc_fom));
        Ok(Chain { window, sigma, adc_bits, full_scale, power, adc_fom })
    }
}

/// The window: default the whole interval between reads; 0 for an instantaneous read.
fn window(raw: &RawSensor, ctx: &Context, res: &mut RawSensor) -> Result<Option<Window>, ConfigError> {
    let Some(node) = ctx.node_interval else {
        if raw.window.is_some_and(|w| w != 0.0) || raw.window_points.is_some() {
            return Err(ConfigError::new(
                "sensor.window",
                "(set)",
                "applies to magnet reservoirs (a software reservoir has no physical time): remove it",
            ));
        }
        return Ok(None);
    };
    let w = in_range("sensor.window", raw.window.unwrap_or(node), 0.0, node * (1.0 + 1e-9), "s (≤ hold/samples)")?;
    let points = count("sensor.window_points", raw.window_points.unwrap_or(8), 2, 1000)?;
    (res.window, res.window_points) = (Some(w), Some(points as i64));
    Ok((w > 0.0).then_some(Window { duration: w.min(node), points }))
}

/// σ from exactly one of `noise` (σ), `noise_density` (per √Hz, over `bandwidth` or the
/// boxcar's 1/(2w)) or `snr_db` (σ = full_scale·10^(−SNR/20)); default: the default density.
fn sigma(raw: &RawSensor, window: Option<Window>, res: &mut RawSensor) -> Result<f64, ConfigError> {
    let given = [raw.noise.is_some(), raw.noise_density.is_some(), raw.snr_db.is_some()];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(ConfigError::new(
            "sensor.noise",
            "(several)",
            "give one of noise (σ per read), noise_density (per √Hz) or snr_db",
        ));
    }
    let sigma = if let Some(s) = raw.noise {
        in_range("sensor.noise", s, 0.0, 1e6, "(σ per read, feature units)")?
    } else if let Some(db) = raw.snr_db {
        let db = in_range("sensor.snr_db", db, -60.0, 300.0, "dB")?;
        raw.full_scale.unwrap_or(1.0) * 10f64.powf(-db / 20.0)
    } else {
        let s = in_range(
            "sensor.noise_density",
            raw.noise_density.unwrap_or(DEFAULT_NOISE_DENSITY),
            0.0,
            1e6,
            "(feature units per √Hz)",
        )?;
        let bw = match (raw.bandwidth, window) {
            (Some(b), _) => in_range("sensor.bandwidth", b, 1e-3, 1e15, "Hz")?,
            (None, Some(w)) => 0.5 / w.duration,
            (None, None) => {
                if s > 0.0 {
                    return Err(ConfigError::new(
                        "sensor.bandwidth",
                        "(missing)",
                        "is required with noise_density when the read has no window (Hz)",
                    ));
                }
                0.0
            }
        };
        res.noise_density = Some(s);
        res.bandwidth = Some(bw);
        s * bw.sqrt()
    };
    res.noise = Some(sigma);
    Ok(sigma)
}

/// n-bit mid-rise quantiser over [−fs, fs]: 2ⁿ levels at −fs + (k + ½)·Δ, Δ = 2fs/2ⁿ,
/// clipping outside the range.
///
/// ```
/// use nanomag::reservoir::sensors::quantise;
/// // 2 bits over [−1, 1]: levels −0.75, −0.25, 0.25, 0.75.
/// assert_eq!(quantise(0.3, 2, 1.0), 0.25);
/// assert_eq!(quantise(-7.0, 2, 1.0), -0.75);
/// ```
pub fn quantise(x: f64, bits: u32, fs: f64) -> f64 {
    let levels = 2f64.powi(bits as i32);
    let step = 2.0 * fs / levels;
    let k = ((x + fs) / step).floor().clamp(0.0, levels - 1.0);
    -fs + (k + 0.5) * step
}

/// Validates `[sensor]` (default `ideal`) for reads described by `ctx`.
pub fn from_config(
    raw: Option<&RawSensor>,
    ctx: &Context,
    res: &mut RawSensor,
) -> Result<Arc<dyn Sensor>, ConfigError> {
    let raw = raw.cloned().unwrap_or_default();
    let kind = raw.kind.as_deref().unwrap_or("ideal");
    let names: Vec<&str> = REGISTRY.iter().map(|e| e.name).collect();
    crate::config::checks::one_of("sensor.kind", kind, &names)?;
    let owners: Vec<(&str, &[&str])> = REGISTRY.iter().map(|e| (e.name, e.keys)).collect();
    crate::config::checks::owned_keys("sensor", &raw, kind, &owners, COMMON_KEYS)?;
    let make = REGISTRY.iter().find(|e| e.name == kind).expect("checked by one_of").build;
    if kind != "spectrum" && ctx.feature_kind == "spectrum" && kind != "ideal" {
        return Err(ConfigError::new(
            "sensor.kind",
            format!("\"{kind}\""),
            "features.kind = \"spectrum\" is read by sensor.kind = \"spectrum\" (or \"ideal\")",
        ));
    }
    let sensor = make(&raw, ctx, res)?;
    res.kind = Some(kind.into());
    Ok(sensor)
}

/// Seed of the sensor's noise stream: `sensor.seed`, default `fallback`.
pub fn noise_seed(raw: Option<&RawSensor>, fallback: u64) -> Result<u64, ConfigError> {
    raw.and_then(|r| r.seed).map_or(Ok(fallback), |s| seed("sensor.seed", s))
}

/// The noise stream of seed `seed`: ChaCha8 on its own stream (7), so it never repeats the
/// draws of another generator seeded with the same number (lattice, thermal field).
pub fn noise_rng(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(7);
    rng
}

/// Measures every read of `states` (each row holds `reads_per_step` reads of equal width)
/// with `sensor`, drawing noise in time order from [`noise_rng`]`(seed)`. The ideal sensor
/// returns the states unchanged.
pub fn apply(
    sensor: &dyn Sensor,
    states: crate::reservoir::States,
    reads_per_step: usize,
    seed: u64,
) -> crate::reservoir::States {
    if sensor.is_ideal() || states.width == 0 {
        return states;
    }
    let fw = states.width / reads_per_step.max(1);
    let mut rng = noise_rng(seed);
    let mut rows = Vec::with_capacity(states.steps() * reads_per_step * sensor.width(fw));
    for read in states.rows.chunks(fw) {
        sensor.read(read, &mut rng, &mut rows);
    }
    crate::reservoir::States { width: reads_per_step * sensor.width(fw), rows, ..states }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(sigma: f64, bits: Option<u32>) -> Chain {
        Chain { window: None, sigma, adc_bits: bits, full_scale: 1.0, power: 0.0, adc_fom: 0.0 }
    }

    /// Sample variance of n draws has standard error σ²·√(2/(n−1)).
    #[test]
    fn noise_has_the_configured_variance() {
        let n = 20_000;
        for sigma in [0.01, 0.1, 0.5] {
            let c = chain(sigma, None);
            let mut rng = noise_rng(3);
            let r: Vec<f64> = (0..n).map(|_| c.measure(0.3, &mut rng)).collect();
            let mean = r.iter().sum::<f64>() / n as f64;
            let var = r.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = sigma * sigma * (2.0 / (n - 1) as f64).sqrt();
            assert!((var - sigma * sigma).abs() < 3.0 * se, "σ {sigma}: variance {var} vs {}", sigma * sigma);
            assert!((mean - 0.3).abs() < 3.0 * sigma / (n as f64).sqrt(), "σ {sigma}: mean {mean}");
        }
    }

    #[test]
    fn noise_density_over_the_boxcar_bandwidth() {
        let raw = RawSensor {
            kind: Some("projection".into()),
            noise_density: Some(2e-6),
            window: Some(0.5e-9),
            adc_bits: Some(0),
            ..Default::default()
        };
        let ctx = Context {
            node_interval: Some(1e-9),
            feature_kind: "magnet_state",
            values_per_island: 1,
            islands: &[],
            read_per_feature: 0.0,
            spectrum: None,
        };
        let mut res = RawSensor::default();
        let c = Chain::from_config(&raw, &ctx, &mut res, Some(8)).unwrap();
        // σ = S·√(1/(2w)) = 2e-6·√(1e9) = 0.0632…
        assert!((c.sigma - 2e-6 * (1.0f64 / 1e-9).sqrt()).abs() < 1e-15, "{}", c.sigma);
        assert_eq!(c.adc_bits, None);
        // snr_db: σ = 10^(−SNR/20) of full scale.
        let raw = RawSensor { snr_db: Some(40.0), ..Default::default() };
        let c = Chain::from_config(&raw, &ctx, &mut res, Some(8)).unwrap();
        assert!((c.sigma - 0.01).abs() < 1e-15);
        // Two noise keys at once: one line naming them.
        let raw = RawSensor { snr_db: Some(40.0), noise: Some(0.1), ..Default::default() };
        assert!(Chain::from_config(&raw, &ctx, &mut res, Some(8)).unwrap_err().to_string().contains("sensor.noise"));
    }

    /// The trapezoid mean is exact for a linear signal and for whole periods of a sinusoid
    /// sampled on more than two points per period.
    #[test]
    fn window_mean_is_the_exact_mean_of_known_signals() {
        let (w, n) = (2e-9, 9);
        let ts: Vec<f64> = (0..n).map(|k| 1e-9 + w * k as f64 / (n - 1) as f64).collect();
        // x(t) = a + b t: mean over [t0, t0 + w] is a + b (t0 + w/2).
        let lin: Vec<Vec<f64>> = ts.iter().map(|t| vec![0.2 + 3e8 * t]).collect();
        let exact = 0.2 + 3e8 * (1e-9 + w / 2.0);
        assert!((Window::mean(&lin)[0] - exact).abs() < 1e-14);
        // x(t) = c + sin(2π t / T + φ) with w = 2T: mean c.
        let period = w / 2.0;
        let sine: Vec<Vec<f64>> =
            ts.iter().map(|t| vec![0.7 + (2.0 * std::f64::consts::PI * t / period + 0.3).sin()]).collect();
        assert!((Window::mean(&sine)[0] - 0.7).abs() < 1e-14, "{}", Window::mean(&sine)[0]);
    }

    #[test]
    fn quantiser_levels_and_clipping() {
        assert_eq!(quantise(0.01, 1, 1.0), 0.5);
        assert_eq!(quantise(-0.01, 1, 1.0), -0.5);
        assert_eq!(quantise(5.0, 3, 1.0), 0.875);
        assert_eq!(quantise(-5.0, 3, 1.0), -0.875);
        // Error at most half a step inside the range.
        for k in 0..100 {
            let x = -1.0 + 0.02 * k as f64;
            assert!((quantise(x, 8, 1.0) - x).abs() <= 1.0 / 256.0 + 1e-15);
        }
    }

    #[test]
    fn binary_reads_signs_and_region_weights_by_volume() {
        let b = binary::Binary { chain: chain(0.0, None) };
        let mut out = Vec::new();
        b.read(&[0.3, -0.2, 0.0], &mut noise_rng(1), &mut out);
        assert_eq!(out, vec![1.0, -1.0, 1.0]);
        let r = region::Region { chain: chain(0.0, None), groups: vec![vec![(0, 0.25), (1, 0.75)]], per_island: 2 };
        let mut out = Vec::new();
        r.read(&[1.0, 0.0, -1.0, 0.4], &mut noise_rng(1), &mut out);
        assert!((out[0] + 0.5).abs() < 1e-15 && (out[1] - 0.3).abs() < 1e-15, "{out:?}");
    }
}
