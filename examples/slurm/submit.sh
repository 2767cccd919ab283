#!/bin/bash
# Submits a sweep as an N-task job array and the merge as a job that waits for it.
#   examples/slurm/submit.sh SWEEP.toml OUT N [extra sbatch options, e.g. --cpus-per-task=4]
# Logs go to OUT/logs. Prints the two job ids.
set -euo pipefail
sweep=${1:?usage: submit.sh SWEEP.toml OUT N [sbatch options]}
out=${2:?usage: submit.sh SWEEP.toml OUT N [sbatch options]}
n=${3:?usage: submit.sh SWEEP.toml OUT N [sbatch options]}
shift 3
here=$(dirname "$(realpath "$0")")
mkdir -p "$out/logs"
array=$(sbatch --parsable --array=0-$((n - 1)) --output="$out/logs/%A_%a.out" "$@" \
    "$here/sweep_array.sh" "$sweep" "$out" "$n")
merge=$(sbatch --parsable --dependency=afterok:"$array" --output="$out/logs/merge_%j.out" \
    "$here/merge.sh" "$out" "$n")
echo "array $array merge $merge"
