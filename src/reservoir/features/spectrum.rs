//! Spectral fingerprint: the FMR power spectrum of the state (`crate::spectrum`: pulse,
//! ringdown, FFT of the total moment along the pulse) binned into `channels` equal bands
//! between `f_min` and `f_max`, optionally as log10 and normalised to unit total power
//! (`crate::spectrum::channels`). The probe is a separate simulation from a snapshot of the
//! state at each read, so the reservoir's own trajectory is not disturbed (a measurement
//! that does not back-act); snapshots are probed in parallel after the run. With the
//! `minor_loop` encoder and `samples = 1`, the read is at the end of the −H half of each cycle,
//! the spin-vortex-ice protocol.

use super::{ProbeCost, Snapshot, StateFeatures};
use crate::config::raw::RawConfig;
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::spectrum::{channels, probe, ProbeSpec};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct SpectralFingerprint {
    pub probe: ProbeSpec,
    pub channels: usize,
    /// Band (Hz).
    pub f_min: f64,
    pub f_max: f64,
    pub log_power: bool,
    pub normalise: bool,
}

impl StateFeatures for SpectralFingerprint {
    fn name(&self) -> &'static str {
        "spectrum"
    }
    fn width(&self, _n_magnets: usize) -> usize {
        self.channels
    }
    fn read(&self, _engine: &dyn Engine, _out: &mut Vec<f64>) -> Result<(), Error> {
        Err(Error::Io("spectrum features are computed from snapshots".into()))
    }
    fn deferred(&self) -> bool {
        true
    }
    /// The pulse and the ringdown.
    fn probe_seconds(&self) -> f64 {
        self.probe.pulse_duration + self.probe.ringdown
    }
    fn probe_snapshot(&self, engine: &dyn Engine, snap: &Snapshot, out: &mut Vec<f64>) -> Result<ProbeCost, Error> {
        let r = probe(engine, &snap.m, snap.bias, &self.probe)?;
        let s = &r.spectrum;
        out.extend(channels(&s.f, &s.power, self.channels, self.f_min, self.f_max, self.log_power, self.normalise));
        Ok(ProbeCost { q_diss: r.q_diss, levels: r.levels })
    }
}

/// The `[features]` keys the spectral fingerprint owns.
pub const KEYS: &[&str] = &["channels", "f_min", "f_max", "log_power", "normalise"];

/// `[features] kind = "spectrum"` with the probe from `[spectrum]`; refused for the binary
/// engines (no precession, no spectrum).
pub fn from_config(raw: &RawConfig, res: &mut RawConfig, binary: bool) -> Result<super::Built, ConfigError> {
    if binary {
        crate::spectrum::command::refuse_binary(raw.solver.kind.as_deref().unwrap_or(""))?;
    }
    spectral_features(raw, res)
}

/// `[features] kind = "spectrum"`: channels over [f_min, f_max] of the probe's spectrum.
fn spectral_features(raw: &RawConfig, res: &mut RawConfig) -> Result<super::Built, ConfigError> {
    use crate::config::checks::{count, in_range};
    let rf = raw.features.clone().unwrap_or_default();
    let mut rs = crate::config::raw::RawSpectrum::default();
    let probe = crate::spectrum::ProbeSpec::from_config(raw.spectrum.as_ref(), &mut rs)?;
    let nyquist = 0.5 / probe.sample_interval;
    let f_min = in_range("features.f_min", rf.f_min.unwrap_or(1e9), 0.0, nyquist, "Hz")?;
    let f_max = in_range(
        "features.f_max",
        rf.f_max.unwrap_or(20e9),
        f_min * (1.0 + 1e-9) + 1.0,
        nyquist,
        "Hz (> f_min, ≤ the Nyquist frequency 1/(2·spectrum.sample_interval))",
    )?;
    // A spectrum sensor reads the linear channel powers and applies log and normalisation
    // after its noise.
    let linear = raw.sensor.as_ref().and_then(|s| s.kind.as_deref()) == Some("spectrum");
    let (log_power, normalise) = (rf.log_power.unwrap_or(true), rf.normalise.unwrap_or(true));
    let duration = probe.pulse_duration + probe.ringdown;
    let spec = SpectralFingerprint {
        probe,
        channels: count("features.channels", rf.channels.unwrap_or(32), 1, 4096)?,
        f_min,
        f_max,
        log_power: log_power && !linear,
        normalise: normalise && !linear,
    };
    let f = res.features.get_or_insert_with(Default::default);
    (f.kind, f.channels, f.f_min, f.f_max, f.log_power, f.normalise) = (
        Some("spectrum".into()),
        Some(spec.channels as i64),
        Some(f_min),
        Some(f_max),
        Some(log_power),
        Some(normalise),
    );
    res.spectrum = Some(rs);
    Ok((Arc::new(spec), Some(crate::reservoir::sensors::Spectral { log_power, normalise, probe_duration: duration })))
}
