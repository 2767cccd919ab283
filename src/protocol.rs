//! Applied-field protocols: a sequence of segments, each giving B_ext(t) = μ0 H(t) in tesla
//! and its time derivative dB_ext/dt (T/s), which the energy bookkeeping needs for
//! W_ext = −∫ Σ μ_i · dB_ext/dt dt.

use nalgebra::Vector3;
use std::f64::consts::TAU;

/// One segment of the protocol. Times are local to the segment (0 at its start), in s.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// B(t) = b.
    Constant { b: Vector3<f64>, duration: f64 },
    /// B(t) = from + (to − from)·t/duration.
    Ramp { from: Vector3<f64>, to: Vector3<f64>, duration: f64 },
    /// B(t) = b0 + amplitude·sin(2π f t).
    Sine { b0: Vector3<f64>, amplitude: Vector3<f64>, frequency: f64, duration: f64 },
    /// In-plane rotating field B(t) = |B|·(cos 2πft, sin 2πft, 0).
    Rotating { magnitude: f64, frequency: f64, duration: f64 },
}

impl Segment {
    pub fn duration(&self) -> f64 {
        match *self {
            Segment::Constant { duration, .. }
            | Segment::Ramp { duration, .. }
            | Segment::Sine { duration, .. }
            | Segment::Rotating { duration, .. } => duration,
        }
    }

    /// B(τ) in T at local time τ.
    pub fn field(&self, tau: f64) -> Vector3<f64> {
        match *self {
            Segment::Constant { b, .. } => b,
            Segment::Ramp { from, to, duration } => from + (to - from) * (tau / duration),
            Segment::Sine { b0, amplitude, frequency, .. } => b0 + amplitude * (TAU * frequency * tau).sin(),
            Segment::Rotating { magnitude, frequency, .. } => {
                let p = TAU * frequency * tau;
                Vector3::new(magnitude * p.cos(), magnitude * p.sin(), 0.0)
            }
        }
    }

    /// dB/dτ in T/s at local time τ.
    pub fn field_rate(&self, tau: f64) -> Vector3<f64> {
        match *self {
            Segment::Constant { .. } => Vector3::zeros(),
            Segment::Ramp { from, to, duration } => (to - from) / duration,
            Segment::Sine { amplitude, frequency, .. } => amplitude * (TAU * frequency * (TAU * frequency * tau).cos()),
            Segment::Rotating { magnitude, frequency, .. } => {
                let p = TAU * frequency * tau;
                let w = TAU * frequency * magnitude;
                Vector3::new(-w * p.sin(), w * p.cos(), 0.0)
            }
        }
    }
}

/// A field protocol: segments played one after another from t = 0. After the last segment
/// the field holds its final value (dB/dt = 0).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Protocol {
    segments: Vec<Segment>,
    starts: Vec<f64>,
    /// Segment boundaries after t = 0, the end included: where B_ext or dB/dt may jump.
    breaks: Vec<f64>,
    total: f64,
}

impl Protocol {
    pub fn new(segments: Vec<Segment>) -> Self {
        let mut starts = Vec::with_capacity(segments.len());
        let mut t = 0.0;
        for s in &segments {
            starts.push(t);
            t += s.duration();
        }
        let mut breaks: Vec<f64> = starts.iter().copied().filter(|&s| s > 0.0).collect();
        breaks.push(t);
        Protocol { segments, starts, breaks, total: t }
    }

    /// A single constant field held for `duration` s.
    pub fn constant(b: Vector3<f64>, duration: f64) -> Self {
        Protocol::new(vec![Segment::Constant { b, duration }])
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Total duration (s).
    pub fn duration(&self) -> f64 {
        self.total
    }

    /// Segment boundaries (s), including 0 and the end.
    pub fn boundaries(&self) -> Vec<f64> {
        let mut b = self.starts.clone();
        b.push(self.total);
        b
    }

    /// Sorted times after 0 where B_ext or dB/dt may jump (segment boundaries and the end).
    pub fn breaks(&self) -> &[f64] {
        &self.breaks
    }

    fn locate(&self, t: f64) -> Option<(usize, f64)> {
        if self.segments.is_empty() {
            return None;
        }
        // Index of the last segment starting at or before t.
        let k = self.starts.partition_point(|&s| s <= t).saturating_sub(1);
        Some((k, t - self.starts[k]))
    }

    /// B_ext(t) in T.
    pub fn field(&self, t: f64) -> Vector3<f64> {
        if t >= self.total {
            return self.segments.last().map_or(Vector3::zeros(), |s| s.field(s.duration()));
        }
        self.locate(t).map_or(Vector3::zeros(), |(k, tau)| self.segments[k].field(tau))
    }

    /// dB_ext/dt (T/s); zero after the end.
    pub fn field_rate(&self, t: f64) -> Vector3<f64> {
        if t >= self.total {
            return Vector3::zeros();
        }
        self.locate(t).map_or(Vector3::zeros(), |(k, tau)| self.segments[k].field_rate(tau))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_play_in_order_and_hold_the_end() {
        let p = Protocol::new(vec![
            Segment::Ramp { from: Vector3::zeros(), to: Vector3::new(0.1, 0.0, 0.0), duration: 1e-9 },
            Segment::Constant { b: Vector3::new(0.0, 0.2, 0.0), duration: 1e-9 },
        ]);
        assert!((p.field(0.5e-9).x - 0.05).abs() < 1e-15);
        assert!((p.field_rate(0.5e-9).x - 1e8).abs() < 1e-3);
        assert_eq!(p.field(1.5e-9), Vector3::new(0.0, 0.2, 0.0));
        assert_eq!(p.field(5e-9), Vector3::new(0.0, 0.2, 0.0));
        assert_eq!(p.field_rate(5e-9), Vector3::zeros());
        assert!((p.duration() - 2e-9).abs() < 1e-24);
    }

    #[test]
    fn rates_are_derivatives_of_fields() {
        let segs = [
            Segment::Sine {
                b0: Vector3::new(0.0, 0.0, 0.01),
                amplitude: Vector3::new(0.02, 0.01, 0.0),
                frequency: 3e9,
                duration: 1e-9,
            },
            Segment::Rotating { magnitude: 0.05, frequency: 2e9, duration: 1e-9 },
        ];
        for s in segs {
            for &tau in &[0.0, 1.3e-10, 7.7e-10] {
                let h = 1e-16;
                let fd = (s.field(tau + h) - s.field(tau - h)) / (2.0 * h);
                let an = s.field_rate(tau);
                assert!((fd - an).norm() < 1e-6 * an.norm().max(1.0), "{fd} vs {an}");
            }
        }
    }
}
