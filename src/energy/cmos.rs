//! Digital (CMOS) arithmetic: energy per operation × operations per input step.
//!
//! Defaults are Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC
//! 2014, 45 nm at 0.9 V: 32-bit float multiply 3.7 pJ, add 0.9 pJ, so one multiply-accumulate
//! (MAC) 4.6 pJ. Memory traffic, the activation function and control are not counted, so the
//! figure is a lower bound for a real processor.

/// Energy per digital operation (J).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cmos {
    pub mult: f64,
    pub add: f64,
}

impl Default for Cmos {
    fn default() -> Self {
        Cmos { mult: 3.7e-12, add: 0.9e-12 }
    }
}

impl Cmos {
    /// One multiply-accumulate (J).
    pub fn mac(&self) -> f64 {
        self.mult + self.add
    }
    /// $E = n_{MAC}\,(E_\times + E_+)$ (J).
    pub fn energy(&self, macs: f64) -> f64 {
        macs * self.mac()
    }
}

/// MACs per step of an echo state network of N nodes: the dense update W x (N²) and the input
/// and bias terms (N each): $N^2 + 2N$.
pub fn esn_update_macs(n: usize) -> f64 {
    let n = n as f64;
    n * n + 2.0 * n
}

/// MACs per step of a linear readout of `features` inputs (bias included) and `outputs` targets.
pub fn readout_macs(features: usize, outputs: usize) -> f64 {
    ((features + 1) * outputs) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand values: ESN N = 100 with a 101-feature readout (u and x) and one output:
    /// 100² + 200 + 102 = 10 302 MACs × 4.6 pJ = 47.389 nJ.
    #[test]
    fn esn_cost_matches_hand_value() {
        let c = Cmos::default();
        assert!((c.mac() - 4.6e-12).abs() < 1e-24);
        let macs = esn_update_macs(100) + readout_macs(101, 1);
        assert_eq!(macs, 10_302.0);
        assert!((c.energy(macs) - 4.73892e-8).abs() < 1e-16);
    }
}
