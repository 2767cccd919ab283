"""Train scikit-learn's Ridge and a ReservoirPy readout on nanomag's reservoir states, and
compare them with `nanomag run`'s own readout on the same split and the same lambda.

    pip install ./python scikit-learn reservoirpy      # once, from the repository root
    python examples/python/sklearn_readout.py           # ~15 s on 2 cores

The magnet array of experiments/narma10.toml (50 islands of square ice, T = 0, ideal reads:
the idealised bound) is driven with the NARMA10 input series; `reservoir_states` returns the
sensed state of every step, [steps, features]. nanomag's readout standardises the features on
its fit rows (population std) and minimises (1/n)*||X_s w - y_c||^2 + lambda*||w||^2
(docs/readout.md), which is scikit-learn's Ridge on the same standardised features with
alpha = n*lambda, and ReservoirPy's Ridge with ridge = n*lambda. Exits 1 if scikit-learn's test
NRMSE differs from run's by more than 1e-6.
"""

import sys
from pathlib import Path

import numpy as np

import nanomag

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "experiments" / "narma10.toml"
# A shorter split than the file's, so the example runs in seconds.
OVERRIDES = {"task.washout": 100, "task.train": 1000, "task.validation": 300, "task.test": 500}


def nrmse(y, p):
    return float(np.sqrt(np.mean((y - p) ** 2)) / np.std(y))


def main():
    info = nanomag.validate(CONFIG, overrides=OVERRIDES)
    ours = nanomag.run(CONFIG, overrides=OVERRIDES)  # lambda chosen on the validation split
    lam = ours["readout"][0]["lambda"]

    # The same input series, through the same reservoir, as a plain feature matrix.
    data = nanomag.dataset(info["task"], info["steps"], seed=info["task_seed"])
    states = nanomag.reservoir_states(CONFIG, data["u"], overrides=OVERRIDES)
    lo, hi = info["input_range"]
    features = np.column_stack([(data["u"] - lo) / (hi - lo), states]) if info["include_input"] else states
    sp = info["split"]
    x, y = features[sp["washout"]:], data["y"][sp["washout"]:]
    fit = slice(0, sp["train"] + sp["validation"])  # the final model is fitted on train + validation
    test = slice(sp["train"] + sp["validation"], None)

    # Standardise on the fit rows; constant columns get no weight (as nanomag does).
    mu, sigma = x[fit].mean(axis=0), x[fit].std(axis=0)
    keep = sigma > 1e-12 * (1 + np.abs(mu))
    xs = (x[:, keep] - mu[keep]) / sigma[keep]
    n = fit.stop

    from sklearn.linear_model import Ridge

    sk = Ridge(alpha=n * lam, solver="svd").fit(xs[fit], y[fit])
    sk_nrmse = nrmse(y[test], sk.predict(xs[test]))
    print(f"lambda = {lam:g} (chosen by nanomag on the validation split), {xs.shape[1]} features, {n} fit rows")
    print(f"nanomag run readout  test NRMSE = {ours['summary']['nrmse_test']:.10f}")
    print(f"scikit-learn Ridge   test NRMSE = {sk_nrmse:.10f}")

    try:
        from reservoirpy.nodes import Ridge as RpyRidge

        rp = RpyRidge(ridge=n * lam).fit(xs[fit], y[fit][:, None])
        print(f"ReservoirPy Ridge    test NRMSE = {nrmse(y[test], rp.run(xs[test])[:, 0]):.10f}")
    except ImportError:
        print("ReservoirPy Ridge    (not installed: pip install reservoirpy)")

    diff = abs(sk_nrmse - ours["summary"]["nrmse_test"])
    print(f"|scikit-learn - nanomag| = {diff:.2e} (must be <= 1e-6)")
    return 0 if diff <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
