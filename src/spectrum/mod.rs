//! FMR-style spectra of a magnetic state (the "fingerprint" readout of Gartside et al., Nature
//! Nanotechnology 17, 460 (2022)).
//!
//! From a state m_i in a bias field B, a short rectangular transverse pulse B_p t̂ of duration
//! τ_p excites the array (its spectrum, ∝ sinc(π f τ_p), is flat within 4 % up to
//! f = 0.1/τ_p: 10 GHz for the default 10 ps, first zero at 1/τ_p = 100 GHz); the array then
//! rings down in B alone for `ringdown` seconds. The signal is the total moment along the
//! pulse direction, $s(t) = \sum_i \mu_i\, m_i(t)\cdot\hat t$ (A·m², what an inductive FMR
//! measurement picks up), sampled every `sample_interval`, mean removed, Hann-windowed,
//! zero-padded by `pad` and Fourier transformed (realfft): $P(f_k) = |S(f_k)|^2$ at
//! $f_k = k / (N_{pad}\,\Delta t)$, k = 0 … N_pad/2. Band: 0 to the Nyquist frequency
//! 1/(2Δt); resolution 1/ringdown (the bin spacing after padding is finer, but two lines
//! closer than ≈ 2/ringdown are not resolved). t̂ is the in-plane direction perpendicular to
//! the bias (ẑ × B̂), or ŷ at zero bias, unless `direction` is given. The same is done per
//! sub-lattice. Spectra of different states are independent and computed in parallel by the
//! callers.

pub mod command;
pub mod probe;
pub mod ringdown;

pub use probe::{probe, probe_recording, ProbeResult, ProbeSpec, Record, Ringdowns};

use realfft::RealFftPlanner;

/// A power spectrum: frequencies (Hz) and power (arbitrary units, (A·m²)²·s² scale), for the
/// whole array and per sub-lattice (index = sub-lattice label).
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    pub f: Vec<f64>,
    pub power: Vec<f64>,
    pub sublattices: Vec<Vec<f64>>,
    /// Frequency resolution 1/ringdown (Hz).
    pub resolution: f64,
}

/// $P(f_k) = |\mathrm{FFT}(w \cdot (s - \bar s))_k|^2$ with a Hann window w and zero padding
/// to `pad` × the length; returns (f_k in Hz, P_k).
pub fn power_spectrum(signal: &[f64], dt: f64, pad: usize) -> (Vec<f64>, Vec<f64>) {
    let n = signal.len();
    let mean = signal.iter().sum::<f64>() / n.max(1) as f64;
    let len = (n * pad.max(1)).max(2);
    let len = len + len % 2;
    let mut buf = vec![0.0; len];
    for (k, s) in signal.iter().enumerate() {
        let w = if n > 1 { 0.5 - 0.5 * (2.0 * std::f64::consts::PI * k as f64 / (n - 1) as f64).cos() } else { 1.0 };
        buf[k] = (s - mean) * w;
    }
    let fft = RealFftPlanner::<f64>::new().plan_fft_forward(len);
    let mut out = fft.make_output_vec();
    fft.process(&mut buf, &mut out).expect("buffer lengths come from the plan");
    let f = (0..out.len()).map(|k| k as f64 / (len as f64 * dt)).collect();
    let p = out.iter().map(|c| (c.norm_sqr()) * dt * dt).collect();
    (f, p)
}

/// A spectral line: frequency (Hz, refined by a parabola through the log power of the three
/// bins around the maximum) and power relative to the strongest line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peak {
    pub f: f64,
    pub power: f64,
    pub relative: f64,
}

/// Local maxima of P with power ≥ `min_relative` × the largest, strongest first (at most
/// `max_peaks`), ignoring f below `f_min`.
pub fn peaks(f: &[f64], p: &[f64], f_min: f64, min_relative: f64, max_peaks: usize) -> Vec<Peak> {
    let top = p.iter().zip(f).filter(|(_, &fk)| fk >= f_min).map(|(v, _)| *v).fold(0.0, f64::max);
    if top <= 0.0 {
        return Vec::new();
    }
    let mut out: Vec<Peak> = (1..p.len().saturating_sub(1))
        .filter(|&k| f[k] >= f_min && p[k] > p[k - 1] && p[k] >= p[k + 1] && p[k] >= min_relative * top)
        .map(|k| {
            let (a, b, c) = (p[k - 1].max(1e-300).ln(), p[k].max(1e-300).ln(), p[k + 1].max(1e-300).ln());
            let den = a - 2.0 * b + c;
            let shift = if den.abs() > 0.0 { (0.5 * (a - c) / den).clamp(-0.5, 0.5) } else { 0.0 };
            let df = f[1] - f[0];
            Peak { f: f[k] + shift * df, power: p[k], relative: p[k] / top }
        })
        .collect();
    out.sort_by(|x, y| y.power.total_cmp(&x.power));
    out.truncate(max_peaks);
    out
}

/// The spectrum binned into `channels` equal bands between f_min and f_max (Hz): the summed
/// power per band, optionally log10 (of power + 1e-12 × the total, so empty bands stay finite)
/// and normalised (divided by the sum over bands before the log, so only the shape counts).
pub fn channels(f: &[f64], p: &[f64], n: usize, f_min: f64, f_max: f64, log: bool, normalise: bool) -> Vec<f64> {
    let mut bands = vec![0.0; n];
    let width = (f_max - f_min) / n as f64;
    for (fk, pk) in f.iter().zip(p) {
        if *fk >= f_min && *fk < f_max {
            let j = (((fk - f_min) / width) as usize).min(n - 1);
            bands[j] += pk;
        }
    }
    let total: f64 = bands.iter().sum();
    if normalise && total > 0.0 {
        bands.iter_mut().for_each(|b| *b /= total);
    }
    if log {
        let floor = 1e-12 * if normalise { 1.0 } else { total.max(1e-300) };
        bands.iter_mut().for_each(|b| *b = (*b + floor).log10());
    }
    bands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sine_peaks_at_its_frequency_and_channels_sum_to_one() {
        let (dt, f0) = (1e-11, 7.3e9);
        let s: Vec<f64> = (0..500).map(|k| (2.0 * std::f64::consts::PI * f0 * k as f64 * dt).sin()).collect();
        let (f, p) = power_spectrum(&s, dt, 8);
        let pk = peaks(&f, &p, 0.0, 0.01, 3);
        assert!((pk[0].f - f0).abs() < 0.01 * f0, "{:?}", pk[0]);
        let c = channels(&f, &p, 10, 0.0, 5e10, false, true);
        assert!((c.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(c.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0, 1);
    }
}
