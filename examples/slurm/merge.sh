#!/bin/bash
# The job that runs after the array: merges the shards and draws the figures.
#   sbatch --dependency=afterok:ARRAY_JOB_ID examples/slurm/merge.sh OUT N
# Refuses (exit 1) if a shard directory is missing, so a merge never silently drops a shard.
#SBATCH --job-name=nanomag-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=nanomag-merge_%j.out
set -euo pipefail
out=${1:?usage: sbatch merge.sh OUT N}
n=${2:?usage: sbatch merge.sh OUT N}
nanomag=${NANOMAG:-nanomag}
shards=()
for ((k = 0; k < n; k++)); do
    [[ -f "$out/shard_$k/results.jsonl" ]] || { echo "nanomag-merge: $out/shard_$k has no results" >&2; exit 1; }
    shards+=("$out/shard_$k")
done
"$nanomag" merge "${shards[@]}" --out "$out/merged" --quiet
echo "nanomag-merge: $(wc -l < "$out/merged/results.jsonl") points in $out/merged"
