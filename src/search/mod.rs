//! Design search: a search space over config keys ([`space`]) and the ways candidates are drawn
//! from it; [`parse`] reads a space from TOML (`[[param]]` tables). `nanomag optimise`
//! ([`crate::optimise`]) searches such a space by Bayesian optimisation (or random search);
//! `nanomag baselines` ([`crate::tune::baselines`]) tunes the software baselines with the same
//! optimiser over documented spaces. Every choice is made on the validation split only.

pub mod parse;
pub mod space;
