//! Software baselines with the same readout and split as the magnets, one file each:
//! a tanh echo state network ([`esn`]) and a linear shift register ([`delay_line`]).

pub mod delay_line;
pub mod esn;
