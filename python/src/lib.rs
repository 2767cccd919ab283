//! `nanomag._nanomag`: the Python binding, a thin layer over the nanomag library. Every
//! function validates through the same code as the CLI (same messages), runs off the GIL
//! (the `blocking` module), and returns numpy arrays and plain dicts. Python-side docs and type hints:
//! `nanomag/_nanomag.pyi`; user docs: docs/python.md.

mod blocking;
mod convert;

use convert::{bad, json, matrix, overrides, source, to_py_err, vector};
use nanomag::config::raw::RawConfig;
use nanomag::config::source::Source;
use nanomag::error::Error;
use nanomag::progress::Watch;
use nanomag::reservoir::config::{self as rc, ExperimentConfig};
use nanomag::reservoir::experiment::{self, scale_inputs, Outcome, SPLITS};
use nanomag::reservoir::repeats::{self, Repeats};
use numpy::{PyReadonlyArrayDyn, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::{Path, PathBuf};

/// Most input steps `reservoir_states` takes in one call.
const MAX_STEPS: usize = 100_000_000;

/// The raw config and the folder its relative paths resolve against.
fn raw_of(config: &Bound<'_, PyAny>, set: Option<&Bound<'_, PyDict>>) -> PyResult<(Source, RawConfig)> {
    let src = source(config)?;
    let raw = src.raw(&overrides(set)?).map_err(|e| to_py_err(e.into()))?;
    Ok((src, raw))
}

fn experiment_of(config: &Bound<'_, PyAny>, set: Option<&Bound<'_, PyDict>>) -> PyResult<ExperimentConfig> {
    let (src, raw) = raw_of(config, set)?;
    rc::validate(&raw, &src.base_dir()).map_err(|e| to_py_err(e.into()))
}

/// Whether a raw config describes a reservoir experiment (`run`) rather than a `simulate`.
fn is_experiment(raw: &RawConfig) -> bool {
    raw.task.is_some() || raw.reservoir.is_some() || raw.readout.is_some() || raw.input.is_some()
}

/// validate(config, overrides=None) -> dict
#[pyfunction]
#[pyo3(signature = (config, overrides=None))]
fn validate<'py>(
    py: Python<'py>,
    config: &Bound<'py, PyAny>,
    overrides: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (src, raw) = raw_of(config, overrides)?;
    let err = |e: nanomag::error::ConfigError| to_py_err(e.into());
    let v = if is_experiment(&raw) {
        let c = rc::validate(&raw, &src.base_dir()).map_err(err)?;
        let (lo, hi) = c.task.input_range();
        serde_json::json!({
            "kind": "experiment",
            "task": c.task.name(),
            "task_seed": c.task_seed,
            "reservoir": c.reservoir_kind(),
            "steps": c.split.steps(),
            "split": { "washout": c.split.washout, "train": c.split.train,
                       "validation": c.split.validation, "test": c.split.test },
            "include_input": c.include_input,
            "input_range": [lo, hi],
            "resolved": serde_json::to_value(&c.resolved).unwrap_or_default(),
        })
    } else {
        let c = nanomag::simulate::validate(&raw, &src.base_dir()).map_err(err)?;
        serde_json::json!({
            "kind": "simulate",
            "engine": c.engine,
            "resolved": serde_json::to_value(&c.resolved).unwrap_or_default(),
        })
    };
    json(py, &v)
}

/// simulate(config, out, overrides=None, progress=None, threads=None, allow_large=False) -> dict (summary)
#[pyfunction]
#[pyo3(signature = (config, out, overrides=None, progress=None, threads=None, allow_large=false))]
fn simulate<'py>(
    py: Python<'py>,
    config: &Bound<'py, PyAny>,
    out: PathBuf,
    overrides: Option<&Bound<'py, PyDict>>,
    progress: Option<&Bound<'py, PyAny>>,
    threads: Option<i64>,
    allow_large: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let (src, raw) = raw_of(config, overrides)?;
    let cfg = nanomag::simulate::validate(&raw, &src.base_dir()).map_err(|e| to_py_err(e.into()))?;
    let estimate = nanomag::simulate::estimate(&cfg).map_err(|e| to_py_err(e.into()))?;
    nanomag::cost::check(&estimate, allow_large).map_err(|e| to_py_err(e.into()))?;
    let label = src.label();
    let summary = blocking::run(py, progress, threads, |t| nanomag::simulate::simulate(&cfg, &label, &out, true, t))?;
    json(py, &summary)
}

/// The arrays of run 0 of an experiment, as a dict.
fn outcome_dict<'py>(py: Python<'py>, o: &Outcome) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("t", o.t.iter().map(|&t| t as i64).collect::<Vec<_>>())?;
    d.set_item("split", o.split.iter().map(|&s| SPLITS[s]).collect::<Vec<_>>())?;
    let k = o.outputs.len();
    let rows = o.t.len();
    let pick = |f: &dyn Fn(&experiment::OutputResult) -> &Vec<f64>| {
        (0..rows).flat_map(|r| o.outputs.iter().map(move |out| f(out)[r])).collect::<Vec<f64>>()
    };
    d.set_item("target", matrix(py, pick(&|x| &x.target), k)?)?;
    d.set_item("prediction", matrix(py, pick(&|x| &x.prediction), k)?)?;
    d.set_item("outputs", o.outputs.iter().map(|x| x.name.clone()).collect::<Vec<_>>())?;
    let readout = PyList::empty(py);
    for x in &o.outputs {
        let m = PyDict::new(py);
        m.set_item("name", &x.name)?;
        m.set_item("lambda", x.model.lambda)?;
        m.set_item("weights", vector(py, x.model.weights.to_vec()))?;
        m.set_item("intercept", x.model.intercept)?;
        readout.append(m)?;
    }
    d.set_item("readout", readout)?;
    d.set_item("u", vector(py, o.u.clone()))?;
    if let Some(s) = &o.states {
        d.set_item("states", matrix(py, s.rows.clone(), s.width)?)?;
    }
    Ok(d)
}

/// run(config, out=None, overrides=None, repeats=None, states=False, progress=None, threads=None, allow_large=False) -> dict
#[pyfunction]
#[pyo3(signature = (config, out=None, overrides=None, repeats=None, states=false, progress=None, threads=None, allow_large=false))]
#[allow(clippy::too_many_arguments)]
fn run<'py>(
    py: Python<'py>,
    config: &Bound<'py, PyAny>,
    out: Option<PathBuf>,
    overrides: Option<&Bound<'py, PyDict>>,
    repeats: Option<&Bound<'py, PyAny>>,
    states: bool,
    progress: Option<&Bound<'py, PyAny>>,
    threads: Option<i64>,
    allow_large: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let (src, raw) = raw_of(config, overrides)?;
    let reps = match repeats {
        None => Repeats::ONE,
        Some(r) => Repeats::parse(&r.str()?.to_string())
            .map_err(|e| to_py_err(nanomag::error::ConfigError { key: "repeats".into(), ..e }.into()))?,
    };
    let cfgs = repeats::validated(&raw, reps, &src.base_dir()).map_err(|e| to_py_err(e.into()))?;
    let estimate = repeats::estimate(&cfgs).map_err(|e| to_py_err(e.into()))?;
    nanomag::cost::check(&estimate, allow_large).map_err(|e| to_py_err(e.into()))?;
    let label = src.label();
    let (summary, outcomes) = blocking::run(py, progress, threads, |t| {
        t.total(cfgs[0].split.steps() as u64 * cfgs.len() as u64);
        let outcomes = repeats::run_all(&cfgs, states, &|k| t.inc(k))?;
        let summary = match &out {
            Some(dir) => nanomag::reservoir::output::write(&cfgs, &outcomes, &label, dir)?,
            None => nanomag::reservoir::output::summary_all(&cfgs, &outcomes, &label),
        };
        Ok((summary, outcomes))
    })?;
    let d = outcome_dict(py, &outcomes[0])?;
    d.set_item("summary", json(py, &summary)?)?;
    Ok(d)
}

/// The user's inputs as one series: shape [steps] or [steps, 1], finite.
fn inputs_of(inputs: &PyReadonlyArrayDyn<'_, f64>) -> PyResult<Vec<f64>> {
    let shape = inputs.shape().to_vec();
    let ok = match shape.as_slice() {
        [n] | [n, 1] => (1..=MAX_STEPS).contains(n),
        _ => false,
    };
    if !ok {
        let allowed = if shape.len() == 2 && shape[1] != 1 {
            "must have one input channel: shape [steps] or [steps, 1] (the encoders take one input)".to_string()
        } else {
            format!("must have shape [steps] or [steps, 1] with 1 to {MAX_STEPS} steps")
        };
        return Err(bad("inputs", format!("an array of shape {shape:?}"), allowed));
    }
    let u: Vec<f64> = inputs.as_array().iter().copied().collect();
    if let Some(i) = u.iter().position(|x| !x.is_finite()) {
        return Err(bad(&format!("inputs[{i}]"), u[i], "every input must be a finite number"));
    }
    Ok(u)
}

/// reservoir_states(config, inputs, overrides=None, input_range=None, progress=None, threads=None)
#[pyfunction]
#[pyo3(signature = (config, inputs, overrides=None, input_range=None, progress=None, threads=None))]
fn reservoir_states<'py>(
    py: Python<'py>,
    config: &Bound<'py, PyAny>,
    inputs: PyReadonlyArrayDyn<'py, f64>,
    overrides: Option<&Bound<'py, PyDict>>,
    input_range: Option<(f64, f64)>,
    progress: Option<&Bound<'py, PyAny>>,
    threads: Option<i64>,
) -> PyResult<Bound<'py, PyAny>> {
    let cfg = experiment_of(config, overrides)?;
    let u = inputs_of(&inputs)?;
    let (lo, hi) = input_range.unwrap_or_else(|| cfg.task.input_range());
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Err(bad("input_range", format!("({lo}, {hi})"), "must be two finite numbers (lo, hi) with lo < hi"));
    }
    let s = scale_inputs(&u, (lo, hi));
    let driven = blocking::run(py, progress, threads, |t| {
        t.total(s.len() as u64);
        experiment::drive(&cfg, &s, &mut |k| t.inc(k))
    })?;
    Ok(matrix(py, driven.states.rows, driven.states.width)?.into_any())
}

/// dataset(task, steps, seed=1, keys=None) -> dict
#[pyfunction]
#[pyo3(signature = (task, steps, seed=1, keys=None))]
fn dataset<'py>(
    py: Python<'py>,
    task: &str,
    steps: i64,
    seed: i64,
    keys: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut table = toml::Table::new();
    if let Some(k) = keys {
        table.insert("task".into(), convert::to_toml("task", k.as_any())?);
    }
    let (t, data) = nanomag::reservoir::tasks::dataset(task, table, steps, seed).map_err(|e| to_py_err(e.into()))?;
    let d = PyDict::new(py);
    d.set_item("task", t.name())?;
    d.set_item("input_range", t.input_range())?;
    d.set_item("u", vector(py, data.u))?;
    let k = data.y.len();
    let y: Vec<f64> = (0..steps as usize).flat_map(|r| data.y.iter().map(move |y| y[r])).collect();
    d.set_item("y", if k == 1 { vector(py, y).into_any() } else { matrix(py, y, k)?.into_any() })?;
    d.set_item("names", data.names)?;
    Ok(d)
}

/// sweep(file, out, resume=False, shard=None, threads=None, progress=None, figures=True) -> list
#[pyfunction]
#[pyo3(signature = (file, out, resume=false, shard=None, threads=None, progress=None, figures=true))]
#[allow(clippy::too_many_arguments)]
fn sweep<'py>(
    py: Python<'py>,
    file: PathBuf,
    out: PathBuf,
    resume: bool,
    shard: Option<&str>,
    threads: Option<i64>,
    progress: Option<&Bound<'py, PyAny>>,
    figures: bool,
) -> PyResult<Bound<'py, PyAny>> {
    use nanomag::sweep::{self as sw, Shard};
    let shard = shard.map(Shard::parse).transpose().map_err(|e| to_py_err(e.into()))?.unwrap_or(Shard::ALL);
    let spec = sw::spec::load(&file).map_err(|e| to_py_err(e.into()))?;
    let recs = blocking::run(py, progress, threads, |t| {
        sw::run(&spec, &out, resume, shard, &|n| t.total(n as u64), &|| t.inc(1))?;
        let recs = sw::results::read(&out)?;
        if figures {
            sw::figures::draw_all(&out, &recs)?;
        }
        Ok(recs)
    })?;
    json(py, &serde_json::to_value(&recs).map_err(|e| to_py_err(Error::io("results", e)))?)
}

/// optimise(file, out, repeats=None, resume=False, shard=None, threads=None, progress=None,
/// figures=True, base_dir=None) -> dict
#[pyfunction]
#[pyo3(signature = (file, out, repeats=None, resume=false, shard=None, threads=None, progress=None, figures=true, base_dir=None))]
#[allow(clippy::too_many_arguments)]
fn optimise<'py>(
    py: Python<'py>,
    file: &Bound<'py, PyAny>,
    out: PathBuf,
    repeats: Option<&str>,
    resume: bool,
    shard: Option<&str>,
    threads: Option<i64>,
    progress: Option<&Bound<'py, PyAny>>,
    figures: bool,
    base_dir: Option<PathBuf>,
) -> PyResult<Bound<'py, PyAny>> {
    use nanomag::optimise::{self as opt, Problem};
    use nanomag::sweep::Shard;
    let cfg = |e: nanomag::error::ConfigError| to_py_err(e.into());
    let shard = shard.map(Shard::parse).transpose().map_err(cfg)?.unwrap_or(Shard::ALL);
    let repeats = repeats
        .map(|r| Repeats::parse(r).map_err(|e| nanomag::error::ConfigError { key: "repeats".into(), ..e }))
        .transpose()
        .map_err(cfg)?;
    let problem = match file.cast::<PyDict>() {
        Ok(d) => {
            let toml::Value::Table(t) = convert::to_toml("file", d.as_any())? else {
                unreachable!("a dict converts to a table")
            };
            let dir = base_dir.unwrap_or_else(|| PathBuf::from("."));
            Problem::from_table(t, "<dict>", &dir, repeats).map_err(cfg)?
        }
        Err(_) => {
            let path: PathBuf = file
                .extract()
                .map_err(|_| bad("file", file, "must be a path to an optimise file or a dict of its tables"))?;
            Problem::load(&path, repeats).map_err(cfg)?
        }
    };
    let summary = blocking::run(py, progress, threads, |t| {
        t.total(problem.input_steps());
        let opts = opt::Options {
            out: &out,
            resume,
            shard,
            data: &experiment::task_data,
            tick: &|k| t.inc(k),
            compare: &[],
            baselines: &[],
            figures,
        };
        Ok(opt::optimise(&problem, &opts)?.summary)
    })?;
    json(py, &summary)
}

/// read_ovf(path) -> (array [nz, ny, nx, dim], dict)
#[pyfunction]
fn read_ovf<'py>(py: Python<'py>, path: PathBuf) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyDict>)> {
    let f = nanomag::io::ovf::read(Path::new(&path)).map_err(to_py_err)?;
    let [nx, ny, nz] = f.n;
    let a = ndarray::Array4::from_shape_vec((nz, ny, nx, f.dim), f.data)
        .map_err(|e| bad("file", path.display(), e.to_string()))?;
    let meta = PyDict::new(py);
    meta.set_item("title", f.title)?;
    meta.set_item("cell_size_m", f.d.to_vec())?;
    meta.set_item("origin_m", f.min.to_vec())?;
    meta.set_item("n", f.n.to_vec())?;
    Ok((numpy::IntoPyArray::into_pyarray(a, py).into_any(), meta))
}

#[pymodule]
fn _nanomag(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ConfigError", m.py().get_type::<convert::NanomagConfigError>())?;
    m.add("NumericalError", m.py().get_type::<convert::NanomagNumericalError>())?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(reservoir_states, m)?)?;
    m.add_function(wrap_pyfunction!(dataset, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(optimise, m)?)?;
    m.add_function(wrap_pyfunction!(read_ovf, m)?)?;
    Ok(())
}
