//! Errors. Bad input is a [`ConfigError`] (exit code 2, one line naming key, value and what is
//! allowed); numerical trouble is a [`NumericalError`] (exit code 3, says what to change).

use std::fmt;

/// Invalid user input: the dotted config key, the offending value and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub key: String,
    pub value: String,
    pub allowed: String,
}

impl ConfigError {
    pub fn new(key: impl Into<String>, value: impl fmt::Display, allowed: impl Into<String>) -> Self {
        ConfigError { key: key.into(), value: value.to_string(), allowed: allowed.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.key, self.value, self.allowed)
    }
}

impl std::error::Error for ConfigError {}

/// The integration went wrong: where (time, s) and what to change.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericalError {
    pub t: f64,
    pub what: String,
    pub advice: String,
}

impl fmt::Display for NumericalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "numerical trouble at t = {:.4e} s: {}; {}", self.t, self.what, self.advice)
    }
}

impl std::error::Error for NumericalError {}

/// Every error a nanomag command can end with.
#[derive(Debug)]
pub enum Error {
    Config(ConfigError),
    Numerical(NumericalError),
    Io(String),
}

impl Error {
    /// Process exit code: 2 for bad input, 3 for numerical trouble, 1 for I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Config(_) => 2,
            Error::Numerical(_) => 3,
            Error::Io(_) => 1,
        }
    }
    pub fn io(context: impl fmt::Display, e: impl fmt::Display) -> Self {
        Error::Io(format!("{context}: {e}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(e) => write!(f, "{e}"),
            Error::Numerical(e) => write!(f, "{e}"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<ConfigError> for Error {
    fn from(e: ConfigError) -> Self {
        Error::Config(e)
    }
}

impl From<NumericalError> for Error {
    fn from(e: NumericalError) -> Self {
        Error::Numerical(e)
    }
}
