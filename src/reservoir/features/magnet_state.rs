//! Per-magnet components of m: the projection of the island's mean m on its long axis u_i
//! (`long`, what a binary read-out of the island senses), on the in-plane perpendicular v_i
//! (`perp`) and the out-of-plane component (`z`): $f_i = (m_i\cdot u_i,\ m_i\cdot v_i,\ m_{i,z})$;
//! and its texture (`crate::engine::Texture`), which tells a vortex from a macrospin in the
//! micromagnetic engine: `norm` |⟨m⟩_i|, `circulation` ⟨ẑ·(r̂ × m)⟩ and `polarity` (core
//! m_z). Values in the order listed in `components`, island by island.

use super::StateFeatures;
use crate::engine::Engine;
use crate::error::Error;
use crate::geometry::Island;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Long,
    Perp,
    Z,
    Norm,
    Circulation,
    Polarity,
}

impl Component {
    pub const NAMES: [&'static str; 6] = ["long", "perp", "z", "norm", "circulation", "polarity"];

    pub fn parse(s: &str) -> Option<Component> {
        match s {
            "long" => Some(Component::Long),
            "perp" => Some(Component::Perp),
            "z" => Some(Component::Z),
            "norm" => Some(Component::Norm),
            "circulation" => Some(Component::Circulation),
            "polarity" => Some(Component::Polarity),
            _ => None,
        }
    }

    fn is_texture(self) -> bool {
        matches!(self, Component::Norm | Component::Circulation | Component::Polarity)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MagnetState {
    pub components: Vec<Component>,
}

impl StateFeatures for MagnetState {
    fn name(&self) -> &'static str {
        "magnet_state"
    }
    fn width(&self, n_magnets: usize) -> usize {
        n_magnets * self.components.len()
    }
    fn read(&self, engine: &dyn Engine, out: &mut Vec<f64>) -> Result<(), Error> {
        let m = engine.island_m();
        let textures =
            if self.components.iter().any(|c| c.is_texture()) { engine.island_textures() } else { Vec::new() };
        for (i, isl) in engine.islands().iter().enumerate() {
            for c in &self.components {
                out.push(match c {
                    Component::Long => m[i].dot(&Island::long_axis(isl)),
                    Component::Perp => m[i].dot(&Island::short_axis(isl)),
                    Component::Z => m[i].z,
                    Component::Norm => textures[i].norm,
                    Component::Circulation => textures[i].circulation,
                    Component::Polarity => textures[i].polarity,
                });
            }
        }
        Ok(())
    }
}

/// The `[features]` keys per-island reads own.
pub const KEYS: &[&str] = &["components"];

/// `[features] kind = "magnet_state"`: `components` (default `["long"]`), some of
/// [`Component::NAMES`], each once.
pub fn from_config(
    raw: &crate::config::raw::RawConfig,
    res: &mut crate::config::raw::RawConfig,
    _binary: bool,
) -> Result<super::Built, crate::error::ConfigError> {
    use crate::error::ConfigError;
    let names = raw.features.as_ref().and_then(|f| f.components.clone()).unwrap_or_else(|| vec!["long".into()]);
    let mut components = Vec::new();
    for c in &names {
        let parsed = Component::parse(c).ok_or_else(|| {
            ConfigError::new(
                "features.components",
                format!("\"{c}\""),
                format!("must list some of {}", Component::NAMES.join(", ")),
            )
        })?;
        if components.contains(&parsed) {
            return Err(ConfigError::new("features.components", format!("\"{c}\""), "is listed twice"));
        }
        components.push(parsed);
    }
    if components.is_empty() {
        return Err(ConfigError::new(
            "features.components",
            "[]",
            format!("must list at least one of {}", Component::NAMES.join(", ")),
        ));
    }
    let f = res.features.get_or_insert_with(Default::default);
    (f.kind, f.components) = (Some("magnet_state".into()), Some(names));
    Ok((std::sync::Arc::new(MagnetState { components }), None))
}
