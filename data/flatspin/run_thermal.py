#!/usr/bin/env python3
"""flatspin reference run (flatspin 2.6, CPU path): the thermal model's switching-field
distribution.

400 uncoupled islands (alpha = 0, far apart), all along x, start polarised along +x; a field of
growing magnitude H_k = k * DH (k = 0 .. N_STEPS - 1) is applied at ANGLE_DEG (pointing mostly
against the moments), the model relaxing after each step with flatspin's thermal model
(temperature > 0: a random field per island per relax, Arrhenius-distributed magnitude, directed
along the astroid normal). Each island's switching field is the H at which it first points
along -x. Repeated for SEEDS random seeds. Seed-independent statistics (mean, standard deviation,
quantiles of the switching field) are what tests/switching_thermal.rs compares with nanomag.

Writes <this directory>/thermal/{params.json,switching_fields.csv}.
"""
# ---------------------------------------------------------------- config
NAME = "thermal"
N_SIDE = 20
HC = 0.2            # T
T = 300.0           # K
M_THERM = 5e-18     # A m^2 (kT/m_therm = 0.83 mT at 300 K)
TIMESCALE = 1.0     # s per field step
ATTEMPT = 1e9       # Hz
DH = 5e-4           # T per field step
N_STEPS = 440
RUNS = [(0.0, [1, 2, 3]), (20.0, [4, 5, 6])]   # (field angle from -x in degrees, seeds)
# ---------------------------------------------------------------- body
import json, os, sys, platform
import numpy as np
import flatspin
from flatspin.model import CustomSpinIce

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, NAME)
os.makedirs(out, exist_ok=True)
coords = [[10.0 * i, 10.0 * j] for j in range(N_SIDE) for i in range(N_SIDE)]
rows = []
for angle, seeds in RUNS:
    phi = np.deg2rad(180.0 + angle)
    for seed in seeds:
        model = CustomSpinIce(magnet_coords=coords, magnet_angles=[0.0] * len(coords),
                              lattice_spacing=1, hc=HC, alpha=0.0, disorder=0, neighbor_distance=1,
                              switching='sw', sw_b=1, sw_c=1, sw_beta=3, sw_gamma=3,
                              temperature=T, m_therm=M_THERM, therm_timescale=TIMESCALE,
                              attempt_freq=ATTEMPT, flip_mode='max', init='polarized',
                              random_seed=seed, use_opencl=False, use_cuda=False)
        switched = np.full(model.spin_count, np.nan)
        for k in range(N_STEPS):
            h = k * DH
            model.set_h_ext((h * np.cos(phi), h * np.sin(phi)))
            model.relax()
            new = np.isnan(switched) & (model.spin < 0)
            switched[new] = h
        for i, b in enumerate(switched):
            rows.append((angle, seed, i, b))
        print(f"angle {angle} seed {seed}: mean {np.nanmean(switched):.5f} T, sd {np.nanstd(switched, ddof=1):.5f} T, unswitched {int(np.isnan(switched).sum())}", file=sys.stderr)
with open(os.path.join(out, "switching_fields.csv"), "w") as f:
    f.write("angle_deg,seed,island,b_switch_t\n")
    for a, s, i, b in rows:
        f.write(f"{a},{s},{i},{b:.6g}\n")
params = dict(n_islands=N_SIDE * N_SIDE, hc_t=HC, temperature_k=T, m_therm_am2=M_THERM,
              therm_timescale_s=TIMESCALE, attempt_freq_hz=ATTEMPT, dh_t=DH, n_steps=N_STEPS,
              runs=[dict(angle_from_minus_x_deg=a, seeds=s) for a, s in RUNS],
              astroid=dict(sw_b=1, sw_c=1, sw_beta=3, sw_gamma=3), alpha=0.0, disorder=0,
              flatspin=flatspin.__version__ if hasattr(flatspin, "__version__") else "2.6",
              python=platform.python_version(), numpy=np.__version__)
with open(os.path.join(out, "params.json"), "w") as f:
    json.dump(params, f, indent=2)
