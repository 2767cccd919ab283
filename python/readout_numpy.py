"""The ridge readout in numpy (OpenBLAS), for `nanomag bench --readout --numpy PYTHON`.

Usage: python readout_numpy.py DIR RUNS
Reads DIR/x.npy [rows, p], DIR/y.npy [rows, 1] and DIR/split.json {"train", "lambdas"}; runs the
same readout as nanomag (standardise on the training rows, a path of λ scored by validation
NRMSE, refit on train + validation at the chosen λ) in two textbook forms, and writes
DIR/numpy.json with the median wall time of RUNS runs of each, the chosen λ and validation
NRMSE.
  solve: the Gram matrix XᵀX (p ≤ n) or kernel XXᵀ (p > n), np.linalg.solve per λ;
  eigh:  one symmetric eigendecomposition of it serving the whole λ path.
"""
import json
import sys
import time

import numpy as np


def standardise(x, y):
    mean, std = x.mean(0), x.std(0)
    keep = std > 1e-12 * (1 + np.abs(mean))
    return keep, mean[keep], std[keep], y.mean(0)


def nrmse(y, p):
    return float(np.sqrt(np.mean((y - p) ** 2)) / y.std())


def weights(xs, yc, lam, form, gram, how):
    n = xs.shape[0]
    m = gram.shape[0]
    if how == "solve":
        z = np.linalg.solve(gram + n * lam * np.eye(m), xs.T @ yc if form == "primal" else yc)
    else:
        e, v = how
        b = v.T @ (xs.T @ yc if form == "primal" else yc)
        z = v @ (b / (e + n * lam)[:, None])
    return z if form == "primal" else xs.T @ z


def system(x, y):
    keep, mean, std, ym = standardise(x, y)
    xs = (x[:, keep] - mean) / std
    yc = y - ym
    form = "primal" if xs.shape[1] <= xs.shape[0] else "dual"
    gram = xs.T @ xs if form == "primal" else xs @ xs.T
    return keep, mean, std, ym, xs, yc, form, gram


def ridge(x, y, train, lambdas, method):
    xt, yt, xv, yv = x[:train], y[:train], x[train:], y[train:]
    keep, mean, std, ym, xs, yc, form, gram = system(xt, yt)
    how = np.linalg.eigh(gram) if method == "eigh" else "solve"
    xvs = (xv[:, keep] - mean) / std
    best = (lambdas[0], np.inf)
    for lam in lambdas:
        w = weights(xs, yc, lam, form, gram, how)
        e = nrmse(yv[:, 0], (xvs @ w)[:, 0] + ym[0])
        if e < best[1]:
            best = (lam, e)
    keep, mean, std, ym, xs, yc, form, gram = system(x, y)
    how = np.linalg.eigh(gram) if method == "eigh" else "solve"
    w = weights(xs, yc, best[0], form, gram, how)
    return best, form


def main():
    d, runs = sys.argv[1], int(sys.argv[2])
    x = np.load(f"{d}/x.npy")
    y = np.load(f"{d}/y.npy")
    split = json.load(open(f"{d}/split.json"))
    out = {}
    for method in ["solve", "eigh"]:
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            best, form = ridge(x, y, split["train"], split["lambdas"], method)
            times.append(time.perf_counter() - t)
        out[method] = {"seconds": float(np.median(times)), "lambda": best[0], "nrmse_validation": best[1], "form": form}
    out["numpy"] = np.__version__
    json.dump(out, open(f"{d}/numpy.json", "w"))


if __name__ == "__main__":
    main()
