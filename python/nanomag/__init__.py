"""nanomag: nanomagnetic reservoir computing, from Python.

The functions here run the same Rust code as the ``nanomag`` command line: configs are
validated by the same rules with the same messages, and results are numpy arrays (float64)
and plain dicts. Units are SI (fields in tesla as mu0*H, times in seconds, energies in
joules). Long calls release the GIL, stop on Ctrl-C (KeyboardInterrupt) at their next step,
and take an optional ``progress(done, total)`` callback, called from the calling thread at
most every 0.1 s.

Configs are a path to a TOML file, TOML text, or a dict of the same tables; ``overrides``
sets dotted keys as ``--set`` does: ``{"input.hold": 2e-10, "field.0.duration": 1e-9}``.

Errors: bad input raises :class:`ConfigError` (a ``ValueError``) whose message is one line,
``key = value: what is allowed``; numerical trouble raises :class:`NumericalError` (an
``ArithmeticError``); file system trouble raises ``OSError``.

Full reference: docs/python.md in the repository.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Union

import numpy as np

from ._nanomag import (  # noqa: F401  (re-exported)
    ConfigError,
    NumericalError,
    __version__,
    dataset,
    optimise,
    read_ovf,
    reservoir_states,
    run,
    sweep,
    validate,
)
from ._nanomag import simulate as _simulate

__all__ = [
    "ConfigError",
    "NumericalError",
    "__version__",
    "dataset",
    "optimise",
    "read_csv",
    "read_ovf",
    "reservoir_states",
    "run",
    "simulate",
    "sweep",
    "validate",
]

Config = Union[str, "os.PathLike[str]", Dict[str, Any]]


def read_csv(path: Union[str, "os.PathLike[str]"]) -> Dict[str, np.ndarray]:
    """Reads a numeric CSV file written by nanomag (table.csv, magnets.csv, ...) as a dict of
    float64 columns keyed by the header's names (``pandas.DataFrame(d)`` takes it directly).
    Values are parsed exactly: the files hold shortest round-trip decimals."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ConfigError(f"csv = {path}: is empty (a header line is required)")
    header, body = rows[0], rows[1:]
    data = np.array([[float(x) for x in r] for r in body], dtype=np.float64).reshape(len(body), len(header))
    return {name: data[:, j].copy() for j, name in enumerate(header)}


def _title_time(title: str) -> float:
    """The time of an OVF snapshot from its title ("m (unit magnetisation) at t = 1e-10 s")."""
    try:
        return float(title.split("t = ")[1].split()[0])
    except (IndexError, ValueError):
        return float("nan")


def _collect(out: Path, summary: Dict[str, Any]) -> Dict[str, Any]:
    """The arrays of a simulate output directory."""
    result: Dict[str, Any] = {"summary": summary, "table": read_csv(out / "table.csv")}
    if (out / "magnets.csv").exists():
        islands = read_csv(out / "magnets.csv")
        result["islands"] = islands
        result["m_final"] = np.stack([islands["mx"], islands["my"], islands["mz"]], axis=1)
    if (out / "history_m.npy").exists():
        result["history_t"] = np.load(out / "history_t.npy")
        result["history_m"] = np.load(out / "history_m.npy")
    elif (out / "history_m.csv").exists():
        h = read_csv(out / "history_m.csv")
        n = int(h["island"].max()) + 1 if len(h["island"]) else 0
        rows = len(h["island"]) // max(n, 1)
        result["history_t"] = h["t_s"][::n] if n else h["t_s"]
        result["history_m"] = np.stack([h["mx"], h["my"], h["mz"]], axis=1).reshape(rows, n, 3)
    snaps = sorted(out.glob("m[0-9][0-9][0-9][0-9][0-9][0-9].ovf"))
    if snaps:
        fields = [read_ovf(p) for p in snaps]
        result["snapshots_m"] = np.stack([f[0] for f in fields])
        result["snapshots_t"] = np.array([_title_time(f[1]["title"]) for f in fields])
    if (out / "m_final.ovf").exists():
        cells, mesh = read_ovf(out / "m_final.ovf")
        result["cells_m"] = cells
        result["mesh"] = mesh
    return result


def simulate(
    config: Config,
    out: Optional[Union[str, "os.PathLike[str]"]] = None,
    overrides: Optional[Dict[str, Any]] = None,
    progress: Optional[Callable[[int, int], Any]] = None,
    threads: Optional[int] = None,
    allow_large: bool = False,
) -> Dict[str, Any]:
    """Runs a field protocol on a lattice or a box (``nanomag simulate``).

    Returns a dict:

    - ``summary``: summary.json as a dict;
    - ``table``: the time table, dict of 1-d arrays [rows] (``t_s``, ``mx``, ``my``, ``mz``,
      energies ``*_j`` ...), one row per ``output.interval``;
    - ``islands``: magnets.csv as a dict of 1-d arrays [islands] (positions in m, final m);
    - ``m_final``: final island magnetisations, array [islands, 3];
    - ``history_t`` [rows] and ``history_m`` [rows, islands, 3], with ``output.history``;
    - ``cells_m`` [nz, ny, nx, 3] and ``mesh`` (a dict), for engines with cells, and with
      ``output.snapshot_interval`` the cell history ``snapshots_t`` [snapshots] and
      ``snapshots_m`` [snapshots, nz, ny, nx, 3] (from the OVF snapshots, t = 0 first).

    With ``out`` the files stay there (as the CLI writes them); without, they are written to a
    temporary folder that is removed. A run whose cost estimate (docs/cost.md) exceeds the soft
    limits raises ConfigError unless ``allow_large``.
    """
    if out is not None:
        outp = Path(out)
        return _collect(outp, _simulate(config, outp, overrides, progress, threads, allow_large))
    with tempfile.TemporaryDirectory(prefix="nanomag-") as tmp:
        outp = Path(tmp)
        return _collect(outp, _simulate(config, outp, overrides, progress, threads, allow_large))


def splits(result: Dict[str, Any]) -> Dict[str, np.ndarray]:
    """Boolean row masks ``train``, ``validation``, ``test`` of a :func:`run` result's rows."""
    s = np.asarray(result["split"])
    return {k: s == k for k in ("train", "validation", "test")}


__all__.append("splits")
