//! Input encoders: how each (scaled) input s ∈ [0, 1] becomes the applied field during its
//! hold period. One file per kind behind [`Encoder`]; [`build_protocol`] turns the levels of a
//! whole input sequence into a field [`Protocol`] with finite rise times.

pub mod amplitude;
pub mod angle;
pub mod minor_loop;

use crate::protocol::{Protocol, Segment};
use nalgebra::Vector3;

/// Builds a validated encoder from `[input]`.
pub type Constructor =
    fn(&crate::config::raw::RawInput) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError>;

/// Every encoder: name and constructor. Register a new encoder here.
pub const REGISTRY: &[(&str, Constructor)] =
    &[("amplitude", amplitude::from_config), ("angle", angle::from_config), ("minor_loop", minor_loop::from_config)];

/// A field level that starts at `start` (fraction of the hold, in [0, 1)) and lasts until the
/// next level or the end of the hold.
pub type Level = (f64, Vector3<f64>);

/// Maps one input to the field levels of its hold period.
pub trait Encoder: Send + Sync + std::fmt::Debug {
    /// Registry name (`[input] kind`).
    fn name(&self) -> &'static str;
    /// Largest |B| (T) the encoder produces for s ∈ [0, 1] and masks in [−1, 1].
    fn max_field(&self) -> f64;
    /// Whether the encoder can apply a per-virtual-node input mask.
    fn takes_mask(&self) -> bool {
        true
    }
    /// Field levels for input s. `mask` is empty (one level for the hold) or holds one value
    /// per virtual node; node j then covers the fraction [j/k, (j+1)/k) of the hold.
    fn levels(&self, s: f64, mask: &[f64]) -> Vec<Level>;
}

/// Levels of a masked input: node j gets the drive value s·mask_j.
pub fn masked_levels(s: f64, mask: &[f64], field: impl Fn(f64) -> Vector3<f64>) -> Vec<Level> {
    if mask.is_empty() {
        return vec![(0.0, field(s))];
    }
    let k = mask.len() as f64;
    mask.iter().enumerate().map(|(j, m)| (j as f64 / k, field(s * m))).collect()
}

/// The field protocol for a whole input sequence: input t is held over
/// [t·hold, (t+1)·hold); every change of level is a linear ramp of `rise` seconds from the
/// previous level (the field starts from 0 at t = 0), then the level is held.
/// `rise` must be shorter than the shortest level.
pub fn build_protocol(levels: impl IntoIterator<Item = Vec<Level>>, hold: f64) -> ProtocolBuilder {
    let mut b = ProtocolBuilder { segments: Vec::new(), last: Vector3::zeros(), hold };
    for step in levels {
        b.push_step(&step);
    }
    b
}

/// Accumulates segments (see [`build_protocol`]).
pub struct ProtocolBuilder {
    segments: Vec<(Vector3<f64>, f64)>,
    last: Vector3<f64>,
    hold: f64,
}

impl ProtocolBuilder {
    fn push_step(&mut self, levels: &[Level]) {
        for (j, &(start, b)) in levels.iter().enumerate() {
            let end = levels.get(j + 1).map_or(1.0, |l| l.0);
            self.segments.push((b, (end - start) * self.hold));
        }
    }

    /// The protocol with ramps of `rise` s at every change of level.
    pub fn finish(self, rise: f64) -> Protocol {
        let mut segs = Vec::with_capacity(2 * self.segments.len());
        let mut last = self.last;
        for (b, duration) in self.segments {
            if b != last && rise > 0.0 {
                segs.push(Segment::Ramp { from: last, to: b, duration: rise });
                segs.push(Segment::Constant { b, duration: duration - rise });
            } else {
                segs.push(Segment::Constant { b, duration });
            }
            last = b;
        }
        Protocol::new(segs)
    }
}

/// A unit in-plane vector at `deg` degrees from +x.
pub fn in_plane(deg: f64) -> Vector3<f64> {
    let a = deg.to_radians();
    Vector3::new(a.cos(), a.sin(), 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_holds_each_level_after_its_ramp() {
        let b1 = Vector3::new(0.01, 0.0, 0.0);
        let b2 = Vector3::new(0.02, 0.0, 0.0);
        let p = build_protocol(vec![vec![(0.0, b1)], vec![(0.0, b2), (0.5, b1)]], 1e-9).finish(1e-11);
        assert!((p.duration() - 2e-9).abs() < 1e-21);
        assert_eq!(p.field(0.5e-9), b1);
        assert!((p.field(0.5e-11) - 0.5 * b1).norm() < 1e-15);
        assert_eq!(p.field(1.4e-9), b2);
        assert_eq!(p.field(1.9e-9), b1);
        assert!((p.field_rate(1.0e-9 + 5e-12).x - 0.01 / 1e-11).abs() < 1e-3);
    }
}
