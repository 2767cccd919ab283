//! Delay line (linear shift register): the state after input s(t) is the k previous inputs
//! [s(t−1), …, s(t−k)] (0 before the start). With the current input added as a feature, a
//! linear readout of it is the best linear filter of order k; its memory capacity is k.

use crate::error::Error;
use crate::reservoir::{Reservoir, States};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayLine {
    /// Taps k ≥ 1.
    pub taps: usize,
}

impl Reservoir for DelayLine {
    fn describe(&self) -> String {
        format!("delay_line ({} taps)", self.taps)
    }
    fn width(&self) -> usize {
        self.taps
    }
    fn run(&mut self, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<States, Error> {
        let k = self.taps;
        let mut rows = Vec::with_capacity(s.len() * k);
        for t in 0..s.len() {
            rows.extend((1..=k).map(|d| if t >= d { s[t - d] } else { 0.0 }));
        }
        progress(s.len() as u64);
        Ok(States { width: k, rows, ..Default::default() })
    }
}
