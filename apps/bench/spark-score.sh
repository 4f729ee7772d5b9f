#!/usr/bin/env bash
# The Spark benchmark of docs/benchmarks.md: one million rows (Fashion-MNIST's test images, 100 perturbed
# copies: apps/bench/java/SparkBenchData.java) scored with the reference VAE by `vi4j score` (one process)
# and by `vi4j spark score` (local[2]), one after the other, ROUNDS times (odd rounds the single process
# first, even rounds Spark first), with CPU time and peak RSS from /usr/bin/time.
#   apps/bench/spark-score.sh RUN_DIR DATA_DIR OUT_DIR [K] [ROUNDS] [FIRST_ROUND]
set -euo pipefail
run="$1" data="$2" out="$3" k="${4:-10}" rounds="${5:-1}" first="${6:-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$out"
single() {
  echo "round $1: single process, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$out/single-$1"
  VI4J_JAVA_OPTS=-Xmx8g /usr/bin/time -v "$here/vi4j" score "$run" --k "$k" --out "$out/single-$1" \
    --data "{type: idx, train_images: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz, test_images: $data/bench-images-idx3-ubyte}" \
    > "$out/single-$1.log" 2>&1
  grep -E "User time|System time|Percent|Elapsed|Maximum resident" "$out/single-$1.log"
}
spark() {
  echo "round $1: spark local[2], $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$out/spark-$1.parquet"
  VI4J_JAVA_OPTS=-Xmx4g /usr/bin/time -v "$here/vi4j" spark score "$run" --input "$data/bench.parquet" --features features \
    --k "$k" --output "$out/spark-$1.parquet" --master 'local[2]' > "$out/spark-$1.log" 2>&1
  grep -E "^score:|User time|System time|Percent|Elapsed|Maximum resident" "$out/spark-$1.log"
}
for round in $(seq "$first" $((first + rounds - 1))); do
  if [ $((round % 2)) = 1 ]; then single "$round"; spark "$round"; else spark "$round"; single "$round"; fi
done
echo "done $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
