#!/bin/bash
# Submits a design search as an N-task job array (optimise_array.sh) and the finish — the
# final runs of the chosen designs on unseen seeds, summary.json and the figures — as a job
# that waits for it (`nanomag optimise OPT.toml --out OUT --resume`, unsharded).
#   examples/slurm/optimise_submit.sh OPT.toml OUT N [extra sbatch options]
# N at most the search's batch size (search.batch; larger N leaves tasks idle). Logs go to
# OUT/logs. Prints the two job ids.
set -euo pipefail
opt=${1:?usage: optimise_submit.sh OPT.toml OUT N [sbatch options]}
out=${2:?usage: optimise_submit.sh OPT.toml OUT N [sbatch options]}
n=${3:?usage: optimise_submit.sh OPT.toml OUT N [sbatch options]}
shift 3
here=$(dirname "$(realpath "$0")")
nanomag=${NANOMAG:-nanomag}
mkdir -p "$out/logs"
array=$(sbatch --parsable --array=0-$((n - 1)) --output="$out/logs/%A_%a.out" "$@" \
    "$here/optimise_array.sh" "$opt" "$out" "$n")
finish=$(sbatch --parsable --dependency=afterok:"$array" --output="$out/logs/finish_%j.out" "$@" \
    --wrap "\"$nanomag\" optimise \"$opt\" --out \"$out\" --resume --quiet")
echo "array $array finish $finish"
