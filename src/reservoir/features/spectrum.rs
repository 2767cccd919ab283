//! Spectral fingerprint: the FMR power spectrum of the state (`crate::spectrum`: pulse,
//! ringdown, FFT of the total moment along the pulse) binned into `channels` equal bands
//! between `f_min` and `f_max`, optionally as log10 and normalised to unit total power
//! (`crate::spectrum::channels`). The probe is a separate simulation from a snapshot of the
//! state at each read, so the reservoir's own trajectory is not disturbed (a measurement
//! that does not back-act); snapshots are probed in parallel after the run. With the
//! `minor_loop` encoder and `samples = 1`, the read is at the end of the −H half of each cycle,
//! the spin-vortex-ice protocol.

use super::{ProbeCost, Snapshot, StateFeatures};
use crate::engine::Engine;
use crate::error::Error;
use crate::spectrum::{channels, probe, ProbeSpec};

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
