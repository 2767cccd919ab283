#!/bin/bash
# One shard of a nanomag sweep per Slurm array task. Submit unchanged:
#   sbatch --array=0-$((N-1)) examples/slurm/sweep_array.sh SWEEP.toml OUT N
# Task K runs the points with index mod N = K into OUT/shard_K (its own directory: two tasks
# never write the same results file, and nanomag also locks it). `--resume` skips the points a
# cancelled, preempted or timed-out run of the same shard already wrote, so a task that is
# requeued (--requeue below) or simply resubmitted (`sbatch --array=K ... SWEEP.toml OUT N`)
# completes its shard without repeating or losing a point. A point that fails numerically is
# recorded with its `error` and the task still succeeds. N is an argument, not the array's
# size, so a single resubmitted task still knows it.
#SBATCH --job-name=nanomag-sweep
#SBATCH --cpus-per-task=1
#SBATCH --requeue
#SBATCH --output=nanomag-sweep_%A_%a.out
set -euo pipefail
sweep=${1:?usage: sbatch --array=0-(N-1) sweep_array.sh SWEEP.toml OUT N}
out=${2:?usage: sbatch --array=0-(N-1) sweep_array.sh SWEEP.toml OUT N}
n=${3:?usage: sbatch --array=0-(N-1) sweep_array.sh SWEEP.toml OUT N}
k=${SLURM_ARRAY_TASK_ID:?run as an array task: sbatch --array=0-(N-1)}
nanomag=${NANOMAG:-nanomag}
mkdir -p "$out"
echo "nanomag-sweep: shard $k/$n of $sweep on $(hostname) with ${SLURM_CPUS_PER_TASK:-1} threads (restart ${SLURM_RESTART_COUNT:-0})"
exec "$nanomag" sweep "$sweep" --out "$out/shard_$k" --shard "$k/$n" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet
