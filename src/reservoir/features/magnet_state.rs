//! Per-magnet components of m: the projection on the island's long axis u_i (`long`, what a
//! binary read-out of the island senses), on the in-plane perpendicular v_i (`perp`) and the
//! out-of-plane component (`z`): $f_i = (m_i\cdot u_i,\ m_i\cdot v_i,\ m_{i,z})$, in the order
//! listed in `components`, island by island.

use super::StateFeatures;
use crate::error::Error;
use crate::geometry::Island;
use crate::macrospin::terms::get3;
use crate::macrospin::MacrospinEngine;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Long,
    Perp,
    Z,
}

impl Component {
    pub fn parse(s: &str) -> Option<Component> {
        match s {
            "long" => Some(Component::Long),
            "perp" => Some(Component::Perp),
            "z" => Some(Component::Z),
            _ => None,
        }
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
    fn read(&self, engine: &MacrospinEngine, out: &mut Vec<f64>) -> Result<(), Error> {
        let y = engine.state();
        for (i, isl) in engine.islands.iter().enumerate() {
            let m = get3(y, i);
            for c in &self.components {
                out.push(match c {
                    Component::Long => m.dot(&Island::long_axis(isl)),
                    Component::Perp => m.dot(&Island::short_axis(isl)),
                    Component::Z => m.z,
                });
            }
        }
        Ok(())
    }
}
