"""The Python package against the CLI: same config, same numbers.

Run from the repository root after `pip install ./python`:  pytest python/tests
The CLI binary is NANOMAG_BIN or target/release/nanomag (`cargo build --release`).
"""

import _thread
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import nanomag

REPO = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("NANOMAG_BIN", REPO / "target" / "release" / "nanomag"))
NARMA = REPO / "experiments" / "narma10.toml"
SQUARE = REPO / "experiments" / "square.toml"
SP4 = REPO / "experiments" / "sp4_field1.toml"
# A short NARMA10 run (550 steps, ~3 s).
SHORT = {"task.washout": 50, "task.train": 300, "task.validation": 100, "task.test": 100}


def cli(*args):
    """Runs the CLI; returns the completed process."""
    assert BIN.exists(), f"{BIN} is missing: run `cargo build --release` first"
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, text=True, cwd=REPO)


def narma_dict(**replace):
    """narma10.toml as a dict, with whole tables replaced."""
    tomllib = pytest.importorskip("tomllib")
    d = tomllib.loads(NARMA.read_text())
    d.update(replace)
    return d


def sets(d):
    return [x for k, v in d.items() for x in ("--set", f"{k}={v}")]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli_run")
    p = cli("run", NARMA, "--out", out, "--states", "--quiet", *sets(SHORT))
    assert p.returncode == 0, p.stderr
    return out


@pytest.fixture(scope="module")
def py_run():
    return nanomag.run(NARMA, overrides=SHORT, states=True)


def test_run_equals_cli(cli_run, py_run):
    summary = json.loads((cli_run / "summary.json").read_text())
    for k in ("nrmse_test", "nrmse_validation", "nrmse_train", "lambda", "n_features"):
        assert py_run["summary"][k] == summary[k], k
    states = np.load(cli_run / "states.npy")
    assert py_run["states"].dtype == np.float64 and py_run["states"].shape == states.shape
    assert np.array_equal(py_run["states"], states)  # bit-identical
    rows = (cli_run / "predictions.csv").read_text().splitlines()[1:]
    p = np.array([float(r.split(",")[2]) for r in rows])
    assert np.array_equal(py_run["prediction"][:, 0], p)


def test_run_shapes(py_run):
    steps = sum(SHORT.values())
    rows = steps - SHORT["task.washout"]
    assert py_run["target"].shape == (rows, 1) and py_run["prediction"].shape == (rows, 1)
    assert py_run["t"][0] == SHORT["task.washout"] and len(py_run["t"]) == rows
    assert [py_run["split"].count(s) for s in ("train", "validation", "test")] == [300, 100, 100]
    assert py_run["u"].shape == (steps,)
    assert py_run["states"].shape[0] == steps
    r = py_run["readout"][0]
    assert r["weights"].shape == (py_run["summary"]["n_features"],) and r["lambda"] == py_run["summary"]["lambda"]
    masks = nanomag.splits(py_run)
    assert masks["test"].sum() == 100


def test_reservoir_states_equal_run_on_the_same_input(py_run):
    info = nanomag.validate(NARMA, overrides=SHORT)
    d = nanomag.dataset(info["task"], info["steps"], seed=info["task_seed"])
    assert np.array_equal(d["u"], py_run["u"])
    x = nanomag.reservoir_states(NARMA, d["u"], overrides=SHORT)
    assert x.dtype == np.float64 and x.shape == py_run["states"].shape and x.flags["C_CONTIGUOUS"]
    assert np.array_equal(x, py_run["states"])
    # [steps, 1] is the same input; an explicit range equal to the task's gives the same states.
    x2 = nanomag.reservoir_states(NARMA, d["u"][:, None], overrides=SHORT, input_range=tuple(info["input_range"]))
    assert np.array_equal(x2, x)


def test_simulate_equals_cli(tmp_path):
    out = tmp_path / "cli"
    p = cli("simulate", SQUARE, "--out", out, "--quiet", "--set", 'output.history="npy"')
    assert p.returncode == 0, p.stderr
    r = nanomag.simulate(str(SQUARE), overrides={"output.history": "npy"})
    table = nanomag.read_csv(out / "table.csv")
    assert list(r["table"]) == list(table)
    for k in table:
        assert r["table"][k].dtype == np.float64 and np.array_equal(r["table"][k], table[k]), k
    n = r["summary"]["n_islands"]
    assert r["m_final"].shape == (n, 3)
    assert np.array_equal(r["history_m"], np.load(out / "history_m.npy"))
    assert r["history_m"].shape == (len(r["history_t"]), n, 3)
    assert r["summary"]["final"] == json.loads((out / "summary.json").read_text())["final"]


def test_simulate_cells_and_kept_files(tmp_path):
    r = nanomag.simulate(SP4, out=tmp_path, overrides={"field.0.duration": 2e-11, "output.interval": 1e-11})
    assert (tmp_path / "m_final.ovf").exists() and (tmp_path / "table.csv").exists()
    nx, ny, nz = r["mesh"]["n"]
    assert r["cells_m"].shape == (nz, ny, nx, 3)
    norms = np.linalg.norm(r["cells_m"], axis=-1)
    assert np.allclose(norms, 1.0, atol=1e-6)  # Binary 4 OVF: float32 values
    # The cell history: one OVF snapshot every 1e-11 s from t = 0.
    r = nanomag.simulate(
        SP4, overrides={"field.0.duration": 3e-11, "output.interval": 1e-11, "output.snapshot_interval": 1e-11}
    )
    assert r["snapshots_m"].shape == (4, nz, ny, nx, 3)
    assert np.allclose(r["snapshots_t"], [0.0, 1e-11, 2e-11, 3e-11], rtol=1e-9, atol=1e-20)
    assert np.allclose(r["snapshots_m"][-1], r["cells_m"], atol=1e-7)


def test_dataset_shapes():
    d = nanomag.dataset("memory_capacity", 200, seed=4)
    assert d["u"].shape == (200,) and d["y"].ndim == 2 and d["y"].shape[0] == 200
    assert d["y"].shape[1] == len(d["names"])
    assert np.array_equal(d["y"][5:, 0], d["u"][4:-1])  # y_1(t) = u(t-1)
    a, b = nanomag.dataset("narma10", 100, seed=7), nanomag.dataset("narma10", 100, seed=7)
    assert np.array_equal(a["u"], b["u"]) and a["y"].shape == (100,)


@pytest.mark.parametrize(
    "call, key",
    [
        (lambda: nanomag.run(narma_dict(material={"alpha": -1.0})), "material.alpha"),
        (lambda: nanomag.run("[task]\nkind = \"narma99\"\n"), "task.kind"),
        (lambda: nanomag.run(NARMA, overrides={"task.train": -5}), "task.train"),
        (lambda: nanomag.simulate(SQUARE, overrides={"field.7.duration": 1e-9}), "field.7.duration"),
        (lambda: nanomag.run(NARMA, overrides={"input.hold": None}), "input.hold"),
        (lambda: nanomag.run(NARMA, repeats="0"), "repeats"),
        (lambda: nanomag.run(NARMA, threads=0), "threads"),
        (lambda: nanomag.run(REPO / "no_such.toml"), "config"),
        (lambda: nanomag.dataset("narma10", 0), "steps"),
        (lambda: nanomag.reservoir_states(NARMA, np.zeros((10, 2))), "inputs"),
        (lambda: nanomag.reservoir_states(NARMA, np.array([0.1, np.nan])), "inputs[1]"),
        (lambda: nanomag.reservoir_states(NARMA, np.zeros(5), input_range=(1.0, 1.0)), "input_range"),
        (lambda: nanomag.read_ovf(REPO / "README.md"), "file"),
        (lambda: nanomag.simulate(SQUARE, overrides={"lattice.nx": 300, "lattice.ny": 300, "coupling.cutoff": float("inf")}), "estimated cost"),
    ],
)
def test_bad_input_raises_config_error_naming_the_key(call, key):
    with pytest.raises(nanomag.ConfigError) as e:
        call()
    assert isinstance(e.value, ValueError)
    msg = str(e.value)
    assert msg.startswith(key + " = ") and "\n" not in msg, msg


def test_a_dict_config_equals_the_file(py_run):
    d = narma_dict()
    d["task"].update({k.split(".")[1]: v for k, v in SHORT.items()})
    r = nanomag.run(d, states=True)
    assert r["summary"]["nrmse_test"] == py_run["summary"]["nrmse_test"]
    assert np.array_equal(r["states"], py_run["states"])


def test_same_message_as_the_cli():
    p = cli("run", NARMA, "--set", "task.train=-5")
    assert p.returncode == 2
    with pytest.raises(nanomag.ConfigError) as e:
        nanomag.run(NARMA, overrides={"task.train": -5})
    assert str(e.value) in p.stderr


def test_progress_callback_and_gil_released():
    seen = []
    ticks = []
    stop = threading.Event()

    def python_work():  # runs only if the call released the GIL
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    t = threading.Thread(target=python_work)
    t.start()
    try:
        nanomag.run(NARMA, overrides=SHORT, progress=lambda d, n: seen.append((d, n)))
    finally:
        stop.set()
        t.join()
    assert len(ticks) > 20
    assert seen and seen[-1] == (550, 550)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))


def test_ctrl_c_interrupts_a_run():
    # 20 000 steps take ~2 minutes; Ctrl-C after 1 s must stop it within a few seconds.
    long = {**SHORT, "task.train": 20000}
    timer = threading.Timer(1.0, _thread.interrupt_main)
    start = time.time()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        nanomag.run(NARMA, overrides=long)
    assert time.time() - start < 10


def test_an_exception_in_the_callback_stops_the_run():
    def cb(done, total):
        if done > 0:
            raise RuntimeError("enough")

    start = time.time()
    with pytest.raises(RuntimeError, match="enough"):
        nanomag.run(NARMA, overrides={**SHORT, "task.train": 20000}, progress=cb)
    assert time.time() - start < 10


def test_sweep_returns_records(tmp_path):
    (tmp_path / "esn.toml").write_text((REPO / "experiments" / "narma10_esn.toml").read_text())
    (tmp_path / "sweep.toml").write_text(
        '[[group]]\nlabel = "ESN"\nbase = "esn.toml"\n'
        'set = { "task.washout" = 60, "task.train" = 150, "task.validation" = 50, "task.test" = 60 }\n'
        '[[group.axis]]\nkey = "reservoir.n"\nvalues = [10, 20]\n'
    )
    out = tmp_path / "out"
    recs = nanomag.sweep(tmp_path / "sweep.toml", out, figures=False)
    assert len(recs) == 2 and {r["params"]["reservoir.n"] for r in recs} == {10, 20}
    assert all(isinstance(r["nrmse_test"], float) for r in recs)
    # The same results file the CLI writes; a second sweep without resume is refused.
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == 2
    with pytest.raises(nanomag.ConfigError, match="^--out = "):
        nanomag.sweep(tmp_path / "sweep.toml", out, figures=False)
    assert len(nanomag.sweep(tmp_path / "sweep.toml", out, resume=True, figures=False)) == 2


def test_optimise_dict_matches_cli(tmp_path):
    """nanomag.optimise takes the optimise file as a dict; its journal equals the CLI's on the
    same file, and the chosen design is re-run on unseen seeds (task seeds > 1000)."""
    (tmp_path / "esn.toml").write_text((REPO / "experiments" / "narma10_esn.toml").read_text())
    problem = {
        "base": "esn.toml",
        "set": {"task.washout": 50, "task.train": 400, "task.validation": 100, "task.test": 100},
        "search": {"evaluations": 8, "initial": 5, "batch": 1, "seed": 3},
        "param": [
            {"key": "reservoir.spectral_radius", "range": [0.05, 2.0], "log": True},
            {"key": "reservoir.n", "int": [10, 60]},
        ],
    }
    summary = nanomag.optimise(problem, tmp_path / "py", base_dir=tmp_path, figures=False)
    assert len(summary["evaluations"]) == 8 and summary["final"][0]["label"] == "chosen"
    assert all(s > 1000 for s in summary["final"][0]["task_seeds"])
    text = "\n".join(
        [
            'base = "esn.toml"',
            'set = { "task.washout" = 50, "task.train" = 400, "task.validation" = 100, "task.test" = 100 }',
            "[search]\nevaluations = 8\ninitial = 5\nbatch = 1\nseed = 3",
            '[[param]]\nkey = "reservoir.spectral_radius"\nrange = [0.05, 2.0]\nlog = true',
            '[[param]]\nkey = "reservoir.n"\nint = [10, 60]\n',
        ]
    )
    (tmp_path / "opt.toml").write_text(text)
    done = cli("--quiet", "optimise", tmp_path / "opt.toml", "--out", tmp_path / "cli")
    assert done.returncode == 0, done.stderr

    def designs(d):
        rows = [json.loads(line) for line in (d / "journal.jsonl").read_text().splitlines()]
        return sorted((r["index"], r["params"], r["validation"]) for r in rows)

    assert designs(tmp_path / "py") == designs(tmp_path / "cli")
    with pytest.raises(nanomag.ConfigError, match="^search.evaluations = 0"):
        nanomag.optimise({**problem, "search": {"evaluations": 0}}, tmp_path / "bad", base_dir=tmp_path)
