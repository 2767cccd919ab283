//! Python ↔ nanomag conversions in one place: configs (path, TOML text, dict) and overrides
//! into TOML values, errors into exceptions, JSON values and matrices into Python objects.

use nanomag::config::source::Source;
use nanomag::error::{ConfigError, Error};
use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::exceptions::{PyArithmeticError, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::path::PathBuf;

pyo3::create_exception!(
    nanomag,
    NanomagConfigError,
    PyValueError,
    "Bad input: a config key, flag or file holds a value that is not allowed. The message is one \
     line, `key = value: what is allowed` (the CLI exits with code 2 on the same input)."
);
pyo3::create_exception!(
    nanomag,
    NanomagNumericalError,
    PyArithmeticError,
    "Numerical trouble during a run: where (time, s) and what to change (the CLI's exit code 3)."
);

/// nanomag's error as a Python exception: ConfigError (a ValueError), NumericalError (an
/// ArithmeticError) or OSError.
pub fn to_py_err(e: Error) -> PyErr {
    match e {
        Error::Config(c) => NanomagConfigError::new_err(c.to_string()),
        Error::Numerical(n) => NanomagNumericalError::new_err(n.to_string()),
        Error::Io(s) => PyOSError::new_err(s),
    }
}

/// A ConfigError as a Python exception.
pub fn bad(key: &str, value: impl std::fmt::Display, allowed: impl Into<String>) -> PyErr {
    to_py_err(Error::Config(ConfigError::new(key, value, allowed)))
}

/// A config: a dict, TOML text (anything with a newline or `=`), or a path (str or PathLike).
pub fn source(config: &Bound<'_, PyAny>) -> PyResult<Source> {
    if let Ok(d) = config.cast::<PyDict>() {
        return match to_toml("config", d.as_any())? {
            toml::Value::Table(t) => Ok(Source::Table(t)),
            _ => unreachable!("a dict converts to a table"),
        };
    }
    if let Ok(s) = config.cast::<PyString>() {
        let s: String = s.extract()?;
        let s = s.as_str();
        return Ok(if s.contains('\n') || s.contains('=') { Source::Text(s.into()) } else { Source::File(s.into()) });
    }
    match config.extract::<PathBuf>() {
        Ok(p) => Ok(Source::File(p)),
        Err(_) => Err(bad(
            "config",
            type_name(config),
            "must be a path to a TOML file, TOML text, or a dict of config tables",
        )),
    }
}

/// Overrides `{"input.hold": 2e-10, "field.0.duration": 1e-9}` as (dotted key, value) pairs.
pub fn overrides(d: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<(String, toml::Value)>> {
    let Some(d) = d else { return Ok(Vec::new()) };
    d.iter()
        .map(|(k, v)| {
            let key: String = k.extract().map_err(|_| bad("overrides", type_name(&k), "keys must be strings"))?;
            let value = to_toml(&key, &v)?;
            Ok((key, value))
        })
        .collect()
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

/// A Python value as TOML: bool, int, float (numpy scalars included), str, list/tuple, dict.
pub fn to_toml(key: &str, v: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    let refuse = || {
        bad(
            key,
            format!("a {}", type_name(v)),
            "must be a number, a string, a bool, a list, or a dict (TOML values; None is not one)",
        )
    };
    if v.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(v.extract::<bool>().map_err(|_| refuse())?));
    }
    if v.is_instance_of::<PyInt>() {
        let i: i64 = v.extract().map_err(|_| bad(key, v, "whole numbers must fit in 64 bits"))?;
        return Ok(toml::Value::Integer(i));
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(v.extract::<f64>().map_err(|_| refuse())?));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(toml::Value::String(s.extract::<String>()?));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut t = toml::Table::new();
        for (k, x) in d.iter() {
            let k: String = k.extract().map_err(|_| bad(key, type_name(&k), "dict keys must be strings"))?;
            let sub = format!("{key}.{k}");
            t.insert(k, to_toml(&sub, &x)?);
        }
        return Ok(toml::Value::Table(t));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let items: Vec<Bound<'_, PyAny>> = v.try_iter()?.collect::<PyResult<_>>()?;
        let vals = items.iter().enumerate().map(|(i, x)| to_toml(&format!("{key}.{i}"), x));
        return Ok(toml::Value::Array(vals.collect::<PyResult<_>>()?));
    }
    // numpy scalars and other number-likes.
    if let Ok(i) = v.call_method0("__index__").and_then(|i| i.extract::<i64>()) {
        return Ok(toml::Value::Integer(i));
    }
    if let Ok(f) = v.call_method0("__float__").and_then(|f| f.extract::<f64>()) {
        return Ok(toml::Value::Float(f));
    }
    Err(refuse())
}

/// A JSON value as Python objects (dicts, lists, floats …), through Python's json module.
pub fn json<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(v).map_err(|e| PyValueError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// A row-major matrix as a float64 array of shape [rows, cols].
pub fn matrix<'py>(py: Python<'py>, data: Vec<f64>, cols: usize) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let rows = data.len().checked_div(cols).unwrap_or(0);
    let a = ndarray::Array2::from_shape_vec((rows, cols), data).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(a.into_pyarray(py))
}

/// A vector as a 1-d float64 array.
pub fn vector<'py>(py: Python<'py>, data: Vec<f64>) -> Bound<'py, PyArray1<f64>> {
    data.into_pyarray(py)
}
