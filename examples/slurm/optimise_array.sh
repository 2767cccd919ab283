#!/bin/bash
# One shard of a nanomag design search (`nanomag optimise`, docs/optimise.md) per Slurm array
# task. Submit with optimise_submit.sh, or by hand:
#   sbatch --array=0-$((N-1)) examples/slurm/optimise_array.sh OPT.toml OUT N
# Every task works in the same OUT (on the cluster's shared filesystem) and writes only its own
# journal, OUT/journal.shard-K-of-N.jsonl (locked while it runs). Task K evaluates the designs
# of the first unfinished batch whose slot ≡ K (mod N), then calls again: when its share is
# journaled but another shard's is not, the call evaluates nothing and the task waits POLL
# seconds (default 10) before asking again; the next batch is proposed, identically in every
# task, once every share of the batch before is journaled. The task ends when the budget is
# spent. A cancelled or requeued task loses only the designs it was running: the next call
# replays the journals and evaluates exactly the missing ones.
#SBATCH --job-name=nanomag-optimise
#SBATCH --cpus-per-task=1
#SBATCH --requeue
#SBATCH --output=nanomag-optimise_%A_%a.out
set -euo pipefail
opt=${1:?usage: sbatch --array=0-(N-1) optimise_array.sh OPT.toml OUT N}
out=${2:?usage: sbatch --array=0-(N-1) optimise_array.sh OPT.toml OUT N}
n=${3:?usage: sbatch --array=0-(N-1) optimise_array.sh OPT.toml OUT N}
k=${SLURM_ARRAY_TASK_ID:?run as an array task: sbatch --array=0-(N-1)}
nanomag=${NANOMAG:-nanomag}
mkdir -p "$out"
echo "nanomag-optimise: shard $k/$n of $opt on $(hostname) with ${SLURM_CPUS_PER_TASK:-1} threads"
while :; do
    said=$("$nanomag" optimise "$opt" --out "$out" --shard "$k/$n" --threads "${SLURM_CPUS_PER_TASK:-1}" 2>&1 >/dev/null)
    echo "$said"
    case "$said" in
        *"(budget spent)"*) break ;;
        *" 0 evaluated here"*) sleep "${POLL:-10}" ;;
    esac
done
