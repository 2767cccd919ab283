//! Design search: a search space over config keys ([`space`]) and the ways candidates are drawn
//! from it. `nanomag baselines` ([`crate::tune::baselines`]) tunes the software baselines by
//! random search over documented spaces; every choice is made on the validation split only.

pub mod space;
