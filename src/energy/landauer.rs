//! The Landauer floor: erasing one bit at temperature T costs at least $k_B T \ln 2$
//! (2.87e-21 J at 300 K). A reservoir that overwrites `bits` of state per input step cannot
//! spend less than $E = k_B T \ln 2 \cdot bits$ per step.

use crate::constants::KB;

/// $k_B T \ln 2 \cdot bits$ (J).
pub fn floor(temperature: f64, bits: f64) -> f64 {
    KB * temperature * std::f64::consts::LN_2 * bits
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_bit_at_300k() {
        assert!((super::floor(300.0, 1.0) - 2.8710e-21).abs() < 1e-24);
    }
}
