#!/usr/bin/env python3
"""flatspin reference run (flatspin 2.6, CPU path, T=0, no disorder): bit-identical ties.

nanomag's square ice of 11 x 11 cells (242 islands; horizontal islands at (i+1/2, j), then
vertical ones at (i, j+1/2), row by row, in lattice units) as a flatspin CustomSpinIce, with
nanomag's default switching field (the Stoner-Wohlfarth anisotropy field of its default
220 x 80 x 20 nm island, Ms = 860 kA/m), the Stoner-Wohlfarth astroid, coupling alpha = 2.792e-3 T
and neighbour distance 3, driven by a field of 0.55 hc rotating in 5 degree steps (77 steps).
The symmetric, disorder-free array makes several islands' margins bit-identical (recorded as
E_gap = 0 in flip_sequence.csv); flatspin then flips the lowest index (numpy's argmax).

Self-contained and deterministic: run with the Python of a venv made from requirements-freeze.txt
(see README.md beside this script).
Writes <this directory>/<NAME>/{params.json,spins.csv,neighbors.csv,steps.csv,states.csv,flip_sequence.csv}.

Protocol: a global field of amplitude H = 0.55 hc at angle 5k degrees, k = 0..76.
At every step: model.set_h_ext((hx, hy)); relax.

The relax is emulated exactly like SpinIce._relax (update_thermal_noise(); while step(): ...)
by calling model.step() repeatedly and diffing the spin state, so the order of flips
is recorded.  A deep copy of the model is driven with plain model.relax() in lock-step
and the states and relax() return values are asserted to be identical.
"""
# ---------------------------------------------------------------- config
NAME = "square_ties"
MODEL_CLASS = "CustomSpinIce"
CELLS = 11
HC = 0.13494236445304972  # T: mu0 Ms (N_w - N_l) of nanomag's default island
COORDS = ([[i + 0.5, j] for j in range(CELLS) for i in range(CELLS)]
          + [[i, j + 0.5] for j in range(CELLS) for i in range(CELLS)])
ANGLES = [0.0] * (CELLS * CELLS) + [90.0] * (CELLS * CELLS)
MODEL_KWARGS = dict(
    magnet_coords=COORDS, magnet_angles=ANGLES, labels=[[k] for k in range(2 * CELLS * CELLS)],
    lattice_spacing=1, hc=HC, alpha=2.792e-3, disorder=0,
    neighbor_distance=3, switching='sw',
    sw_b=1, sw_c=1, sw_beta=3, sw_gamma=3,
    temperature=0, flip_mode='max', init='polarized', spin_axis=None,
    random_seed=0, use_opencl=False, use_cuda=False,
)
H = 0.55 * HC      # rotating field amplitude [T]
STEP_DEG = 5.0     # rotation per field step [deg]
N_STEPS = 77       # field steps 0..76 at angles 0, 5, ..., 380 deg
MAX_ROUNDS = 200000  # safety cap on step() calls per relax
# ---------------------------------------------------------------- body
import copy
import json
import os
import sys
import time
import platform

import numpy as np
import scipy
import flatspin
import flatspin.model as fsm

F = "%.17g"  # round-trip exact float64 formatting


def fmt(x):
    return F % x


def field_protocol():
    k = np.arange(N_STEPS)
    theta = np.deg2rad(STEP_DEG * k)
    hx = H * np.cos(theta)
    hy = H * np.sin(theta)
    return theta, hx, hy


def main():
    outdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), NAME)
    os.makedirs(outdir, exist_ok=True)

    cls = getattr(fsm, MODEL_CLASS)
    model = cls(**MODEL_KWARGS)
    assert not model.cl and not model.cuda
    ref = copy.deepcopy(model)  # driven with the plain relax()
    N = model.spin_count
    mode = model.flip_mode

    # ---- geometry / initial state
    init = model.spin.copy()
    with open(os.path.join(outdir, "spins.csv"), "w") as f:
        f.write("index,x,y,angle_rad,init_spin,mx,my,label0,label1,threshold\n")
        for i in range(N):
            lab = np.atleast_1d(model.labels[i])
            l0 = int(lab[0]); l1 = int(lab[1]) if len(lab) > 1 else -1
            f.write(",".join([str(i), fmt(model.pos[i, 0]), fmt(model.pos[i, 1]),
                              fmt(model.angle[i]), str(int(init[i])),
                              fmt(model.m[i, 0]), fmt(model.m[i, 1]),
                              str(l0), str(l1), fmt(model.threshold[i])]) + "\n")

    # ---- neighbour list and unscaled dipolar cache (positive spins, spin-i frame)
    hd = model._h_dip
    with open(os.path.join(outdir, "neighbors.csv"), "w") as f:
        f.write("i,slot,j,hdip_par,hdip_perp\n")
        for i in range(N):
            for jj, j in enumerate(model.neighbors(i)):
                f.write(f"{i},{jj},{int(j)},{fmt(hd[i, jj, 0])},{fmt(hd[i, jj, 1])}\n")

    s, hx, hy = field_protocol()
    nsteps = len(s)

    steps_rows = []
    states_rows = []
    seq_rows = []
    gaps = []
    t0 = time.perf_counter()
    for k in range(nsteps):
        h = (hx[k], hy[k])
        model.set_h_ext(h)
        ref.set_h_ext(h)

        before = model.spin.copy()
        model.update_thermal_noise()  # first thing SpinIce._relax does (no-op at T=0)
        rounds = 0
        events = 0
        while True:
            E = model.switching_energy()
            flippable = np.nonzero(E > 0)[0]
            prev = model.spin.copy()
            if not model.step():
                assert len(flippable) == 0
                break
            changed = np.nonzero(model.spin != prev)[0]
            if mode == 'max':
                assert len(changed) == 1
                i = int(changed[0])
                Ef = E[flippable]
                assert i == flippable[np.argmax(Ef)]
                if len(Ef) > 1:
                    second = np.max(np.delete(Ef, np.argmax(Ef)))
                    gap = E[i] - second
                    gaps.append(gap)
                else:
                    gap = float('nan')
                seq_rows.append((k, events, rounds, i, E[i], gap, len(flippable), int(model.spin[i])))
                events += 1
            else:
                assert np.array_equal(changed, flippable), "unexpected flip set"
                for i in changed:
                    seq_rows.append((k, events, rounds, int(i), E[i], float('nan'), len(flippable), int(model.spin[i])))
                    events += 1
            rounds += 1
            if rounds > MAX_ROUNDS:
                sys.exit(f"step {k}: relax did not terminate after {MAX_ROUNDS} rounds")

        nref = ref.relax()
        assert nref == rounds, (k, nref, rounds)
        assert np.array_equal(ref.spin, model.spin), f"state mismatch at step {k}"

        vec = model.vectors
        mxy = vec.mean(axis=0)  # total_magnetization()/N
        n_changed = int(np.sum(model.spin != before))
        steps_rows.append((k, hx[k], hy[k], events, rounds, n_changed, mxy[0], mxy[1]))
        states_rows.append((k, model.spin.copy()))
    elapsed = time.perf_counter() - t0

    with open(os.path.join(outdir, "steps.csv"), "w") as f:
        f.write("step,hx_t,hy_t,flips,relax_steps,n_changed,m_x,m_y\n")
        for (k, a, b, ev, rd, nc, mx, my) in steps_rows:
            f.write(f"{k},{fmt(a)},{fmt(b)},{ev},{rd},{nc},{fmt(mx)},{fmt(my)}\n")
    with open(os.path.join(outdir, "states.csv"), "w") as f:
        f.write("step," + ",".join(f"s{i}" for i in range(N)) + "\n")
        for k, sp in states_rows:
            f.write(str(k) + "," + ",".join(str(int(v)) for v in sp) + "\n")
    with open(os.path.join(outdir, "flip_sequence.csv"), "w") as f:
        f.write("step,order,round,index,E,E_gap,n_flippable,spin_after\n")
        for (k, o, r, i, e, g, nf, sa) in seq_rows:
            f.write(f"{k},{o},{r},{i},{fmt(e)},{fmt(g)},{nf},{sa}\n")

    gaps = np.array(gaps)
    params = dict(
        name=NAME,
        model_class=MODEL_CLASS,
        model_kwargs={k: (list(v) if isinstance(v, tuple) else v) for k, v in MODEL_KWARGS.items()
                      if k not in ('magnet_coords', 'magnet_angles', 'labels')},
        effective=dict(spin_count=int(N), num_neighbors_max=int(model.num_neighbors),
                       sw_params=list(model.sw_params), flip_mode=mode,
                       lattice_spacing=model.lattice_spacing,
                       neighbor_distance=model.neighbor_distance,
                       alpha=model.alpha, hc=model.hc),
        protocol=dict(H=H, step_deg=STEP_DEG, nsteps=int(nsteps),
                      description="h_k = H*(cos(deg2rad(5k)), sin(deg2rad(5k))), k = 0..76; "
                                  "per step: set_h_ext(h); relax()"),
        verification="state after every step and relax() return value equal to a deep copy driven by plain relax()",
        total_flip_events=int(sum(r[3] for r in steps_rows)),
        max_mode_gap_stats=(dict(n=int(len(gaps)), min=float(gaps.min()),
                                 n_exact_ties=int(np.sum(gaps == 0)),
                                 exact_tie_steps=sorted({int(r[0]) for r in seq_rows if r[5] == 0}),
                                 n_below_1e_12=int(np.sum(gaps < 1e-12)),
                                 n_below_1e_9=int(np.sum(gaps < 1e-9)))
                            if len(gaps) else None),
        elapsed_s_instrumented=elapsed,
        versions=dict(python=platform.python_version(), flatspin=flatspin.__version__ if hasattr(flatspin, '__version__') else None,
                      numpy=np.__version__, scipy=scipy.__version__),
    )
    with open(os.path.join(outdir, "params.json"), "w") as f:
        json.dump(params, f, indent=2, default=float)
    print(json.dumps({k: params[k] for k in ('name', 'total_flip_events', 'max_mode_gap_stats', 'elapsed_s_instrumented')}, default=float))


if __name__ == "__main__":
    main()
