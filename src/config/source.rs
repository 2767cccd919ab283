//! Where a config comes from: a TOML file, TOML text, or an already-parsed table (the Python
//! package's dicts). All three go through the same parsing and validation, with the same
//! messages; relative paths inside a file resolve against its folder, inside text or a table
//! against the working directory.

use super::raw::RawConfig;
use super::{apply_values, parse_toml};
use crate::error::ConfigError;
use std::path::{Path, PathBuf};

/// A config before parsing.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A TOML file.
    File(PathBuf),
    /// TOML text.
    Text(String),
    /// A parsed TOML table (e.g. built from a Python dict).
    Table(toml::Table),
}

impl Source {
    /// The name summaries give the config: the file's path, `<string>` or `<dict>`.
    pub fn label(&self) -> PathBuf {
        match self {
            Source::File(p) => p.clone(),
            Source::Text(_) => PathBuf::from("<string>"),
            Source::Table(_) => PathBuf::from("<dict>"),
        }
    }

    /// The folder relative paths inside the config resolve against.
    pub fn base_dir(&self) -> PathBuf {
        match self {
            Source::File(p) => p.parent().unwrap_or(Path::new(".")).to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// The config as a TOML table.
    pub fn table(&self) -> Result<toml::Table, ConfigError> {
        match self {
            Source::File(p) => {
                let text = crate::io::read_input_text(p).map_err(|e| ConfigError::new("config", p.display(), e))?;
                parse_toml(&text, p)
            }
            Source::Text(t) => parse_toml(t, Path::new("<string>")),
            Source::Table(t) => Ok(t.clone()),
        }
    }

    /// The raw config with `overrides` (dotted key, value; as `--set`) applied.
    ///
    /// ```
    /// use nanomag::config::source::Source;
    /// let src = Source::Text("[task]\nkind = \"narma10\"\n".into());
    /// let raw = src.raw(&[("task.seed".into(), toml::Value::Integer(7))]).unwrap();
    /// assert_eq!(raw.task.unwrap().seed, Some(7));
    /// ```
    pub fn raw(&self, overrides: &[(String, toml::Value)]) -> Result<RawConfig, ConfigError> {
        if let (Source::File(p), true) = (self, overrides.is_empty()) {
            return super::load_raw(p, &[]);
        }
        let mut table = self.table()?;
        apply_values(&mut table, overrides)?;
        toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
            ConfigError::new("config", self.label().display(), super::words::humanise(&e.message().replace('\n', " ")))
        })
    }
}
