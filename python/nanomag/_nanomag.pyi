"""Type hints of nanomag's native module (Rust, PyO3). Import from ``nanomag``, not from here.

Units are SI throughout (tesla for mu0*H, seconds, metres, joules). Every ``config`` is a path
to a TOML file, TOML text (a str holding a newline or ``=``), or a dict of the same tables;
``overrides`` sets dotted keys as the CLI's ``--set`` does. Long calls release the GIL, stop on
Ctrl-C at their next step, and call ``progress(done, total)`` from the calling thread at most
every 0.1 s. ``threads`` is the number of worker threads (1 to 1024; default one per core);
results do not depend on it.
"""

import os
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

Config = Union[str, "os.PathLike[str]", Dict[str, Any]]
Progress = Callable[[int, int], Any]
PathLike = Union[str, "os.PathLike[str]"]

__version__: str

class ConfigError(ValueError):
    """Bad input; the message is one line: ``key = value: what is allowed``."""

class NumericalError(ArithmeticError):
    """Numerical trouble during a run: where (time, s) and what to change."""

def validate(config: Config, overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Validates a config as the CLI would and describes it.

    Experiments (with [task], [reservoir], [input] or [readout]): ``kind`` = "experiment",
    ``task``, ``task_seed``, ``reservoir``, ``steps``, ``split`` (washout, train, validation,
    test: steps), ``include_input``, ``input_range`` ([lo, hi] of u, mapped to [0, 1]) and
    ``resolved`` (the config with every default filled in). Otherwise ``kind`` = "simulate",
    ``engine``, ``resolved``. Raises ConfigError naming the key.
    """

def simulate(
    config: Config,
    out: PathLike,
    overrides: Optional[Dict[str, Any]] = None,
    progress: Optional[Progress] = None,
    threads: Optional[int] = None,
    allow_large: bool = False,
) -> Dict[str, Any]:
    """Native ``simulate``: writes the CLI's files into ``out`` and returns summary.json as a
    dict. ``nanomag.simulate`` wraps it and returns the arrays."""

def run(
    config: Config,
    out: Optional[PathLike] = None,
    overrides: Optional[Dict[str, Any]] = None,
    repeats: Optional[Union[int, str]] = None,
    states: bool = False,
    progress: Optional[Progress] = None,
    threads: Optional[int] = None,
    allow_large: bool = False,
) -> Dict[str, Any]:
    """Trains and tests a reservoir (``nanomag run``). Returns a dict:

    - ``summary``: summary.json as a dict (test/validation/train NRMSE, lambda, energy, seeds;
      with ``repeats`` > 1 also ``repeats``: mean, std and values over the runs);
    - ``t`` (list of int, [rows]) and ``split`` (list of "train"/"validation"/"test"): the rows
      after the washout;
    - ``target``, ``prediction``: float64 arrays [rows, outputs]; ``outputs``: their names;
    - ``readout``: per output a dict ``name``, ``lambda``, ``weights`` (float64 [features], on
      the raw features), ``intercept``;
    - ``u``: the task's input series, float64 [steps];
    - ``states`` (with ``states=True``): float64 [steps, width], what states.npy holds.

    ``repeats``: R (every seed shifted by 0..R) or "TxD"; the arrays are run 0's. With ``out``
    the CLI's files are written there too. A run whose cost estimate exceeds the soft limits
    (docs/cost.md) raises ConfigError unless ``allow_large``.
    """

def reservoir_states(
    config: Config,
    inputs: npt.NDArray[np.float64],
    overrides: Optional[Dict[str, Any]] = None,
    input_range: Optional[Tuple[float, float]] = None,
    progress: Optional[Progress] = None,
    threads: Optional[int] = None,
) -> npt.NDArray[np.float64]:
    """Drives the experiment's reservoir with your own input series and returns its sensed
    states, float64 [steps, features] (C order): the state columns ``run`` feeds its readout
    (without the input column and with every step, washout included).

    ``inputs``: float64, shape [steps] or [steps, 1], finite. Inputs are scaled by
    s = (u - lo)/(hi - lo) with ``input_range`` = (lo, hi), by default the config's task range
    (so the task's own series gives exactly ``run``'s states); the encoder maps s in [0, 1]
    onto its field range.
    """

def dataset(task: str, steps: int, seed: int = 1, keys: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A task's series (``nanomag dataset``): ``u`` float64 [steps], ``y`` float64 [steps]
    (one target) or [steps, K] (memory capacity: y_k(t) = u(t - k)), ``names`` of the targets,
    ``task``, ``input_range``. ``keys``: the task's other keys, e.g. ``{"delays": 20}``."""

def sweep(
    file: PathLike,
    out: PathLike,
    resume: bool = False,
    shard: Optional[str] = None,
    threads: Optional[int] = None,
    progress: Optional[Progress] = None,
    figures: bool = True,
) -> List[Dict[str, Any]]:
    """Runs a sweep file (``nanomag sweep``): each point is appended to out/results.jsonl as it
    finishes; returns every record in that file as a dict. ``shard``: "K/N". Without
    ``resume`` a folder that already holds results is refused (ConfigError on ``--out``)."""

def optimise(
    file: Union[PathLike, Dict[str, Any]],
    out: PathLike,
    repeats: Optional[str] = None,
    resume: bool = False,
    shard: Optional[str] = None,
    threads: Optional[int] = None,
    progress: Optional[Progress] = None,
    figures: bool = True,
    base_dir: Optional[PathLike] = None,
) -> Dict[str, Any]:
    """Runs a design search (``nanomag optimise``, docs/optimise.md): ``file`` is an optimise
    file or a dict of the same tables (its ``base`` then resolves against ``base_dir``, default
    the working directory). Every evaluation is appended to out/journal.jsonl as it finishes;
    returns summary.json as a dict (``evaluations``, ``final``: the chosen designs re-run on
    unseen seeds with ``test_mean`` and ``test_std``). ``repeats``: runs per design, "R" or
    "TxD". Without ``resume`` a folder that already holds a search is refused (ConfigError on
    ``--out``); ``shard``: "K/N" evaluates this shard's share of the next batch and returns."""

def read_ovf(path: PathLike) -> Tuple[npt.NDArray[np.float64], Dict[str, Any]]:
    """Reads an OVF 1.0/2.0 file: values as float64 [nz, ny, nx, dim], and ``title``,
    ``n`` ([nx, ny, nz]), ``cell_size_m``, ``origin_m``."""
