#!/usr/bin/env python3
"""Time flatspin (2.6, CPU) on a square-ice hysteresis protocol and export the array, so that
`nanomag bench --switching --flatspin PYTHON` runs nanomag's switching engine on the same array
and the same field steps and reports the ratio of the two times.

Usage: python flatspin_bench.py SIZE STEPS_PER_BRANCH OUTDIR
  SquareSpinIceClosed(size=(SIZE, SIZE)), lattice_spacing 1, hc 0.2 T, alpha 0.001,
  neighbor_distance 3, sw (0.41, 1, 1.5, 3.9), flip_mode "max", T = 0, polarized.
  Protocol: s = linspace(1, -1, N+1) then linspace(-1, 1, N+1)[1:]; h = 0.2 T * s at 30 deg;
  per step set_h_ext(h); relax().  Only the set_h_ext + relax loop is timed.
Writes OUTDIR/spins.csv, OUTDIR/params.json, OUTDIR/steps.csv (step,hx_t,hy_t,flips),
OUTDIR/timing.json.  Install flatspin with: python -m venv venv && venv/bin/pip install flatspin==2.6
"""
import json
import os
import sys
import time

import numpy as np
import flatspin.model as fsm


def main():
    size, n, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    kw = dict(size=(size, size), lattice_spacing=1, hc=0.2, alpha=0.001, disorder=0,
              neighbor_distance=3, switching='sw', sw_b=0.41, sw_c=1, sw_beta=1.5, sw_gamma=3.9,
              temperature=0, flip_mode='max', init='polarized', random_seed=0,
              use_opencl=False, use_cuda=False)
    t0 = time.perf_counter()
    model = fsm.SquareSpinIceClosed(**kw)
    t_build = time.perf_counter() - t0
    f = "%.17g"
    with open(os.path.join(outdir, "spins.csv"), "w") as fh:
        fh.write("index,x,y,mx,my,init_spin,threshold\n")
        for i in range(model.spin_count):
            fh.write(",".join([str(i), f % model.pos[i, 0], f % model.pos[i, 1], f % model.m[i, 0],
                               f % model.m[i, 1], str(int(model.spin[i])), f % model.threshold[i]]) + "\n")
    s = np.concatenate([np.linspace(1.0, -1.0, n + 1), np.linspace(-1.0, 1.0, n + 1)[1:]])
    th = np.deg2rad(30.0)
    hx, hy = 0.2 * s * np.cos(th), 0.2 * s * np.sin(th)
    flips = []
    t0 = time.perf_counter()
    for k in range(len(s)):
        model.set_h_ext((hx[k], hy[k]))
        flips.append(int(model.relax()))
    elapsed = time.perf_counter() - t0
    with open(os.path.join(outdir, "steps.csv"), "w") as fh:
        fh.write("step,hx_t,hy_t,flips\n")
        for k in range(len(s)):
            fh.write(f"{k},{f % hx[k]},{f % hy[k]},{flips[k]}\n")
    kw["size"] = list(kw["size"])
    with open(os.path.join(outdir, "params.json"), "w") as fh:
        json.dump(dict(model_class="SquareSpinIceClosed", model_kwargs=kw), fh, indent=2)
    with open(os.path.join(outdir, "timing.json"), "w") as fh:
        json.dump(dict(spins=int(model.spin_count), steps=int(len(s)), relax_seconds=elapsed,
                       build_seconds=t_build, final_spins=[int(x) for x in model.spin]), fh)


if __name__ == "__main__":
    main()
