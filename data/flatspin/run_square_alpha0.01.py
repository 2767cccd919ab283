#!/usr/bin/env python3
"""flatspin reference run (flatspin 2.6, CPU path, T=0, no disorder).

Self-contained and deterministic: run with the Python of a venv made from requirements-freeze.txt
(see README.md beside this script).
Writes <this directory>/<NAME>/{params.json,spins.csv,neighbors.csv,steps.csv,states.csv,flip_sequence.csv}.

Protocol: global field at fixed angle PHI_DEG, amplitude H*s with
  s = linspace(+1, -1, N+1)  (steps 0..N, falling branch; step 0 is +H)
  then linspace(-1, +1, N+1)[1:] (steps N+1..2N, rising branch).
At every step: model.set_h_ext((hx, hy)); relax.

The relax is emulated exactly like SpinIce._relax (update_thermal_noise(); while step(): ...)
by calling model.step() repeatedly and diffing the spin state, so the order of flips
is recorded.  A deep copy of the model is driven with plain model.relax() in lock-step
and the states and relax() return values are asserted to be identical.
"""
# ---------------------------------------------------------------- config
NAME = "square_alpha0.01"
MODEL_CLASS = "SquareSpinIceClosed"
MODEL_KWARGS = dict(
    size=(4, 4), lattice_spacing=1, hc=0.2, alpha=0.01, disorder=0,
    neighbor_distance=1, switching='sw',
    sw_b=0.41, sw_c=1, sw_beta=1.5, sw_gamma=3.9,
    temperature=0, flip_mode='max', init='polarized', spin_axis=None,
    random_seed=0, use_opencl=False, use_cuda=False,
)
H = 0.2            # field amplitude [T]
PHI_DEG = 30.0     # field angle from +x [deg]
N_PER_BRANCH = 80  # field steps per branch
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
    down = np.linspace(1.0, -1.0, N_PER_BRANCH + 1)
    up = np.linspace(-1.0, 1.0, N_PER_BRANCH + 1)[1:]
    s = np.concatenate([down, up])
    theta = np.deg2rad(PHI_DEG)
    amp = H * s
    hx = amp * np.cos(theta)
    hy = amp * np.sin(theta)
    return s, hx, hy


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
        model_kwargs={k: (list(v) if isinstance(v, tuple) else v) for k, v in MODEL_KWARGS.items()},
        effective=dict(spin_count=int(N), num_neighbors_max=int(model.num_neighbors),
                       sw_params=list(model.sw_params), flip_mode=mode,
                       lattice_spacing=model.lattice_spacing,
                       neighbor_distance=model.neighbor_distance,
                       alpha=model.alpha, hc=model.hc),
        protocol=dict(H=H, phi_deg=PHI_DEG, n_per_branch=N_PER_BRANCH, nsteps=int(nsteps),
                      description="s = concat(linspace(1,-1,N+1), linspace(-1,1,N+1)[1:]); "
                                  "h = H*s*(cos(deg2rad(phi)), sin(deg2rad(phi))); "
                                  "per step: set_h_ext(h); relax()"),
        verification="state after every step and relax() return value equal to a deep copy driven by plain relax()",
        total_flip_events=int(sum(r[3] for r in steps_rows)),
        max_mode_gap_stats=(dict(n=int(len(gaps)), min=float(gaps.min()),
                                 n_exact_ties=int(np.sum(gaps == 0)),
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
