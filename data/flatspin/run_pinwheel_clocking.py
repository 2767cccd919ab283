#!/usr/bin/env python3
"""flatspin reference run (flatspin 2.6, CPU path, T = 0): astroid clocking of pinwheel ice.

nanomag's experiments/pinwheel_clocking.toml as a flatspin CustomSpinIce: its 200 islands
(10 x 10 cells, positions in lattice units and long-axis angles from nanomag's magnets.csv,
in pinwheel_clocking/islands.csv, with the initial state: every moment along its axis with
m.x < 0), flatspin's default astroid (b = 0.41, c = 1, beta = 1.5, gamma = 3.9), hc and alpha
as nanomag reports them in summary.json (hc_mean_t, alpha_t), neighbour distance 10 (nanomag's
coupling.cutoff), flip_mode 'max'. Protocol: relax at zero field, then 12 clock pulses of
13.7 mT alternating A (+22 deg) and B (-22 deg), one relax each (Jensen et al., Nat. Commun.
15, 964 (2024)). Writes pinwheel_clocking/{params.json,states.csv}: every spin (+-1 along the
island's angle) after each step.
"""
HC = 0.034600000000000124       # T (nanomag's summary.json hc_mean_t)
ALPHA = 0.00022528000000000004  # T (nanomag's summary.json alpha_t)
NEIGHBOR_DISTANCE = 10
PULSES = [(0.012702419, 0.005132110), (0.012702419, -0.005132110)] * 6
import csv, json, os, platform
import numpy as np
import flatspin
from flatspin.model import CustomSpinIce

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "pinwheel_clocking")
rows = list(csv.DictReader(open(os.path.join(out, "islands.csv"))))
coords = [[float(r["x"]), float(r["y"])] for r in rows]
angles = [float(r["angle_deg"]) for r in rows]
model = CustomSpinIce(magnet_coords=coords, magnet_angles=angles, lattice_spacing=1, hc=HC,
                      alpha=ALPHA, disorder=0, neighbor_distance=NEIGHBOR_DISTANCE, switching='sw',
                      sw_b=0.41, sw_c=1, sw_beta=1.5, sw_gamma=3.9, temperature=0,
                      flip_mode='max', init='polarized', use_opencl=False, use_cuda=False)
model.spin[:] = np.array([int(r["init_spin"]) for r in rows], dtype=np.int8)
states = []
model.set_h_ext((0.0, 0.0))
flips = [model.relax()]
states.append(model.spin.copy())
for hx, hy in PULSES:
    model.set_h_ext((hx, hy))
    flips.append(model.relax())
    states.append(model.spin.copy())
with open(os.path.join(out, "states.csv"), "w") as f:
    f.write("step,flips," + ",".join(f"s{i}" for i in range(len(rows))) + "\n")
    for k, (s, n) in enumerate(zip(states, flips)):
        f.write(f"{k},{n}," + ",".join(str(int(v)) for v in s) + "\n")
json.dump(dict(hc_t=HC, alpha_t=ALPHA, neighbor_distance=NEIGHBOR_DISTANCE, pulses_t=PULSES,
               astroid=dict(sw_b=0.41, sw_c=1, sw_beta=1.5, sw_gamma=3.9), flip_mode="max",
               flatspin=getattr(flatspin, "__version__", "2.6"), python=platform.python_version(),
               numpy=np.__version__), open(os.path.join(out, "params.json"), "w"), indent=2)
print("flips per step:", flips)
