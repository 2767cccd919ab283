//! Input encoders: how each (scaled) input s ∈ [0, 1] becomes the applied field during its
//! hold period. One file per kind behind [`Encoder`]; [`build_protocol`] turns the levels of a
//! whole input sequence into a field [`Protocol`] with finite rise times.

pub mod amplitude;
pub mod angle;
pub mod clock;
pub mod minor_loop;
pub mod rotating;

use crate::protocol::{Protocol, Segment};
use nalgebra::Vector3;

/// Builds a validated encoder from `[input]`.
pub type Constructor =
    fn(&crate::config::raw::RawInput) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError>;

/// A registered encoder: its name, the `[input]` keys it owns beyond [`COMMON_KEYS`], its
/// constructor.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub build: Constructor,
}

/// `[input]` keys of every encoder: the kind, the timing and the mask.
pub const COMMON_KEYS: &[&str] = &["kind", "hold", "samples", "rise", "mask", "mask_seed"];

/// Every encoder. Register a new encoder here.
pub const REGISTRY: &[Entry] = &[
    Entry { name: "amplitude", keys: amplitude::KEYS, build: amplitude::from_config },
    Entry { name: "angle", keys: angle::KEYS, build: angle::from_config },
    Entry { name: "minor_loop", keys: minor_loop::KEYS, build: minor_loop::from_config },
    Entry { name: "clock", keys: clock::KEYS, build: clock::from_config },
    Entry { name: "rotating", keys: rotating::KEYS, build: rotating::from_config },
];

/// Validates `[input]` into an encoder of its kind (default `amplitude`); a key of another
/// encoder, or of none, is refused.
pub fn from_config(
    raw: &crate::config::raw::RawInput,
) -> Result<std::sync::Arc<dyn Encoder>, crate::error::ConfigError> {
    let kind = raw.kind.as_deref().unwrap_or("amplitude");
    let names: Vec<&str> = REGISTRY.iter().map(|e| e.name).collect();
    crate::config::checks::one_of("input.kind", kind, &names)?;
    let owners: Vec<(&str, &[&str])> = REGISTRY.iter().map(|e| (e.name, e.keys)).collect();
    crate::config::checks::owned_keys("input", raw, kind, &owners, COMMON_KEYS)?;
    (REGISTRY.iter().find(|e| e.name == kind).expect("checked by one_of").build)(raw)
}

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
    /// The shortest field level as a fraction of the hold, for `samples` virtual nodes: one
    /// node for encoders that take a mask, else the encoder's own shortest level.
    fn shortest_level(&self, samples: usize) -> f64 {
        1.0 / samples.max(1) as f64
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
