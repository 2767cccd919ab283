//! The probe simulation: pulse and ringdown of a fork of the engine from a given state
//! (module doc of [`super`]), with the engine's own solver, terms and temperature — any
//! engine.

use super::{power_spectrum, Spectrum};
use crate::config::checks::{in_range, vec3};
use crate::config::raw_run::RawSpectrum;
use crate::engine::Engine;
use crate::error::{ConfigError, Error};
use crate::protocol::{Protocol, Segment};
use nalgebra::Vector3;

/// Validated `[spectrum]`: the probe.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeSpec {
    /// Pulse amplitude B_p (T).
    pub pulse: f64,
    /// Pulse duration τ_p (s).
    pub pulse_duration: f64,
    /// Ringdown recorded after the pulse (s).
    pub ringdown: f64,
    /// Sampling interval Δt (s); Nyquist frequency 1/(2Δt).
    pub sample_interval: f64,
    /// Zero-padding factor.
    pub pad: usize,
    /// Pulse (and measurement) direction; None: in-plane ⊥ bias.
    pub direction: Option<Vector3<f64>>,
}

impl ProbeSpec {
    /// From `[spectrum]` (defaults in docs/config.md); fills `res`.
    pub fn from_config(raw: Option<&RawSpectrum>, res: &mut RawSpectrum) -> Result<Self, ConfigError> {
        let r = raw.cloned().unwrap_or_default();
        let sample_interval =
            in_range("spectrum.sample_interval", r.sample_interval.unwrap_or(5e-12), 1e-14, 1e-9, "s")?;
        let spec = ProbeSpec {
            pulse: in_range("spectrum.pulse", r.pulse.unwrap_or(2e-3), 1e-6, 1.0, "T")?,
            pulse_duration: in_range("spectrum.pulse_duration", r.pulse_duration.unwrap_or(10e-12), 1e-14, 1e-9, "s")?,
            ringdown: in_range(
                "spectrum.ringdown",
                r.ringdown.unwrap_or(3e-9),
                10.0 * sample_interval,
                1e-6,
                "s (≥ 10 sample intervals)",
            )?,
            sample_interval,
            pad: crate::config::checks::count("spectrum.pad", r.pad.unwrap_or(4), 1, 64)?,
            direction: match &r.direction {
                Some(d) => {
                    let v = vec3("spectrum.direction", d)?;
                    if v.norm() == 0.0 {
                        return Err(ConfigError::new("spectrum.direction", "[0, 0, 0]", "must be a non-zero vector"));
                    }
                    Some(v.normalize())
                }
                None => None,
            },
        };
        *res = RawSpectrum {
            pulse: Some(spec.pulse),
            pulse_duration: Some(spec.pulse_duration),
            ringdown: Some(spec.ringdown),
            sample_interval: Some(spec.sample_interval),
            pad: Some(spec.pad as i64),
            direction: r.direction.clone(),
            ..r
        };
        Ok(spec)
    }

    /// The pulse direction for bias B: the given one, else ẑ × B̂ (in-plane ⊥ B), else ŷ.
    pub fn pulse_direction(&self, bias: &Vector3<f64>) -> Vector3<f64> {
        if let Some(d) = self.direction {
            return d;
        }
        let inplane = Vector3::new(bias.x, bias.y, 0.0);
        if inplane.norm() > 1e-12 {
            Vector3::new(-inplane.y, inplane.x, 0.0).normalize()
        } else {
            Vector3::y()
        }
    }

    /// The field levels (B, duration) the probe applies: pulse, then bias alone.
    pub fn levels(&self, bias: &Vector3<f64>) -> Vec<(Vector3<f64>, f64)> {
        vec![(bias + self.pulse * self.pulse_direction(bias), self.pulse_duration), (*bias, self.ringdown)]
    }
}

/// A probe's spectrum and its cost: Gilbert dissipation during the probe (J) and the field
/// levels it applied (for the field-source model). With `record_islands`, also the signal of
/// every island (for per-island spectra), and with `record_cells` every cell's (for mode maps).
#[derive(Debug, Clone)]
pub struct ProbeResult {
    pub spectrum: Spectrum,
    pub q_diss: f64,
    pub levels: Vec<(Vector3<f64>, f64)>,
    /// The ringdown signal of the whole array, Σ μ_i m_i·t̂ (A·m²), one value per sample.
    pub signal: Vec<f64>,
}

/// What a probe records besides the array signal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    /// m·t̂ of every island per sample.
    pub islands: bool,
    /// m·t̂ of every cell per sample (engines with cells).
    pub cells: bool,
}

/// The per-island and per-cell ringdowns of a probe (m·t̂, one row per sample).
#[derive(Debug, Clone, Default)]
pub struct Ringdowns {
    pub islands: Vec<Vec<f64>>,
    pub cells: Vec<Vec<f64>>,
}

/// Pulses and rings down a fork of `engine` from magnetisation `m0` (the engine's full state,
/// 3 per element) in bias `bias`, and returns its spectrum.
pub fn probe(engine: &dyn Engine, m0: &[f64], bias: Vector3<f64>, spec: &ProbeSpec) -> Result<ProbeResult, Error> {
    probe_recording(engine, m0, bias, spec, Record::default()).map(|(r, _)| r)
}

/// [`probe`], also recording per-island and per-cell ringdowns as asked.
pub fn probe_recording(
    engine: &dyn Engine,
    m0: &[f64],
    bias: Vector3<f64>,
    spec: &ProbeSpec,
    record: Record,
) -> Result<(ProbeResult, Ringdowns), Error> {
    let levels = spec.levels(&bias);
    let protocol = Protocol::new(levels.iter().map(|&(b, duration)| Segment::Constant { b, duration }).collect());
    let mut e = engine.fork();
    e.set_state_m(m0)?;
    e.set_protocol(protocol);
    e.run_for(spec.pulse_duration)?;
    let t_hat = spec.pulse_direction(&bias);
    let islands = e.islands().to_vec();
    let moment = e.island_moments();
    let n_sub = islands.iter().map(|i| i.sublattice as usize + 1).max().unwrap_or(1);
    let n = (spec.ringdown / spec.sample_interval).round() as usize;
    let mut total = Vec::with_capacity(n);
    let mut subs = vec![Vec::with_capacity(n); n_sub];
    let mut rings = Ringdowns::default();
    for _ in 0..n {
        e.run_for(spec.sample_interval)?;
        let m = e.island_m();
        let along: Vec<f64> = m.iter().map(|mi| mi.dot(&t_hat)).collect();
        let mut per = vec![0.0; n_sub];
        for (i, isl) in islands.iter().enumerate() {
            per[isl.sublattice as usize] += moment[i] * along[i];
        }
        total.push(match e.cells() {
            // A box has no islands: the whole grid's moment.
            Some(c) if islands.is_empty() => cell_signal(c.mesh, c.m, &t_hat),
            _ => per.iter().sum(),
        });
        for (s, v) in subs.iter_mut().zip(per) {
            s.push(v);
        }
        if record.islands {
            rings.islands.push(along);
        }
        if record.cells {
            if let Some(c) = e.cells() {
                rings
                    .cells
                    .push(c.m.chunks_exact(3).map(|v| v[0] * t_hat.x + v[1] * t_hat.y + v[2] * t_hat.z).collect());
            }
        }
    }
    let q_diss = e.work_and_heat().1;
    let (f, power) = power_spectrum(&total, spec.sample_interval, spec.pad);
    let sublattices = if n_sub > 1 {
        subs.iter().map(|s| power_spectrum(s, spec.sample_interval, spec.pad).1).collect()
    } else {
        Vec::new()
    };
    let spectrum = Spectrum { f, power, sublattices, resolution: 1.0 / spec.ringdown };
    Ok((ProbeResult { spectrum, q_diss, levels, signal: total }, rings))
}

/// Σ_c Ms,c V m_c·t̂ over the cells of a grid (A·m²).
fn cell_signal(mesh: &crate::micromag::mesh::Mesh, m: &[f64], t_hat: &Vector3<f64>) -> f64 {
    let v = mesh.cell_volume();
    (0..mesh.cells())
        .map(|c| mesh.ms[c] * v * (m[3 * c] * t_hat.x + m[3 * c + 1] * t_hat.y + m[3 * c + 2] * t_hat.z))
        .sum()
}
