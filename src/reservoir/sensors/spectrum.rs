//! FMR spectrum read with a noise floor: the feature's linear channel powers P_k (before any
//! log or normalisation) are measured as
//! $\tilde P_k = \big|P_k + \sigma\,\xi_k\big|$, $\sigma = \bar P / (\mathrm{SNR}\,\sqrt{N})$,
//! where $\bar P$ is the mean channel power of the read, SNR the power signal-to-noise ratio of
//! one acquisition per channel (`snr_db`, default 20 dB) and N the number of averaged
//! acquisitions (`averages`, default 16); then log10 and normalisation as `[features]` asks.
//! Energy per read: N acquisitions of the detector at power P over the probe's ringdown, and
//! one n-bit conversion (default 12 bits) per channel per acquisition.

use super::{Context, Sensor};
use crate::config::checks::{count, in_range};
use crate::config::raw::RawSensor;
use crate::error::ConfigError;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpectrumRead {
    /// Power SNR per acquisition (linear).
    pub snr: f64,
    pub averages: usize,
    /// What the feature would have done: log10, normalise to unit band power.
    pub log_power: bool,
    pub normalise: bool,
    /// J per read (all channels).
    pub energy_per_channel: f64,
    pub energy_fixed: f64,
}

impl Sensor for SpectrumRead {
    fn name(&self) -> &'static str {
        "spectrum"
    }
    fn read(&self, values: &[f64], rng: &mut ChaCha8Rng, out: &mut Vec<f64>) {
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        let sigma = mean / (self.snr * (self.averages as f64).sqrt());
        let mut p: Vec<f64> = values
            .iter()
            .map(|&v| {
                let xi: f64 = StandardNormal.sample(rng);
                (v + sigma * xi).abs()
            })
            .collect();
        let total: f64 = p.iter().sum();
        if self.normalise && total > 0.0 {
            p.iter_mut().for_each(|b| *b /= total);
        }
        if self.log_power {
            let floor = 1e-12 * if self.normalise { 1.0 } else { total.max(1e-300) };
            p.iter_mut().for_each(|b| *b = (*b + floor).log10());
        }
        out.extend(p);
    }
    fn energy_per_read(&self, features: usize) -> f64 {
        self.energy_fixed + self.energy_per_channel * features as f64
    }
    fn describe(&self) -> String {
        format!("spectrum (SNR {:.1} dB per acquisition, {} averages)", 10.0 * self.snr.log10(), self.averages)
    }
}

pub fn from_config(raw: &RawSensor, ctx: &Context, res: &mut RawSensor) -> Result<Arc<dyn Sensor>, ConfigError> {
    let Some(spec) = ctx.spectrum else {
        return Err(ConfigError::new("sensor.kind", "\"spectrum\"", "reads features.kind = \"spectrum\" only"));
    };
    let snr_db = in_range("sensor.snr_db", raw.snr_db.unwrap_or(20.0), -30.0, 200.0, "dB")?;
    let averages = count("sensor.averages", raw.averages.unwrap_or(16), 1, 1_000_000)?;
    let bits = count("sensor.adc_bits", raw.adc_bits.unwrap_or(12), 1, 24)?;
    let power = in_range("sensor.power", raw.power.unwrap_or(super::DEFAULT_POWER), 0.0, 10.0, "W")?;
    let fom = in_range("sensor.adc_fom", raw.adc_fom.unwrap_or(super::DEFAULT_ADC_FOM), 0.0, 1e-9, "J per step")?;
    (res.snr_db, res.averages, res.adc_bits, res.power, res.adc_fom) =
        (Some(snr_db), Some(averages as i64), Some(bits as i64), Some(power), Some(fom));
    let n = averages as f64;
    Ok(Arc::new(SpectrumRead {
        snr: 10f64.powf(snr_db / 10.0),
        averages,
        log_power: spec.log_power,
        normalise: spec.normalise,
        energy_per_channel: n * fom * 2f64.powi(bits as i32),
        energy_fixed: n * power * spec.probe_duration,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Linear channels, no log or normalisation: the noise has std P̄/(SNR·√N) per channel.
    #[test]
    fn noise_floor_falls_with_averages() {
        let p = vec![2.0; 8];
        for (snr_db, n) in [(10.0, 1), (10.0, 16), (20.0, 4)] {
            let s = SpectrumRead {
                snr: 10f64.powf(snr_db / 10.0),
                averages: n,
                log_power: false,
                normalise: false,
                energy_per_channel: 0.0,
                energy_fixed: 0.0,
            };
            let mut rng = super::super::noise_rng(4);
            let mut out = Vec::new();
            for _ in 0..4000 {
                s.read(&p, &mut rng, &mut out);
            }
            let m = out.len() as f64;
            let var = out.iter().map(|v| (v - 2.0).powi(2)).sum::<f64>() / m;
            let sigma = 2.0 / (s.snr * (n as f64).sqrt());
            // |P + σξ| differs from P + σξ only where the noise reaches −P (P/σ ≥ 5 here).
            let se = sigma * sigma * (2.0 / m).sqrt();
            assert!((var - sigma * sigma).abs() < 3.0 * se, "SNR {snr_db} dB, N {n}: var {var} vs {}", sigma * sigma);
        }
    }
}
