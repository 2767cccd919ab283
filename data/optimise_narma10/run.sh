#!/bin/sh
# The NARMA10 (T = 0) design search of the README: three optimiser seeds of Bayesian
# optimisation and three of random search on experiments/narma10_optimise.toml (60
# evaluations each, initial design of BO in a deliberately poor corner), then the figures of
# seed 1 redrawn with every other search for comparison. Outputs go to out/; the files kept
# here are copied from there. NANOMAG names the binary (default: nanomag on PATH).
set -e
NANOMAG=${NANOMAG:-nanomag}
FILE=experiments/narma10_optimise.toml
for seed in 1 2 3; do
  for method in random bo; do
    $NANOMAG --quiet optimise $FILE --method $method --seed $seed --out out/narma10_${method}_$seed
  done
done
for method in random bo; do
  other=random; [ $method = random ] && other=bo
  $NANOMAG --quiet optimise $FILE --method $method --seed 1 --out out/narma10_${method}_1 --resume \
    --compare out/narma10_${method}_2 --compare out/narma10_${method}_3 \
    --compare out/narma10_${other}_1 --compare out/narma10_${other}_2 --compare out/narma10_${other}_3
done
