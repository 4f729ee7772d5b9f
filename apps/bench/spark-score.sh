#!/usr/bin/env bash
# The Spark benchmark of docs/benchmarks.md: one million rows (Fashion-MNIST's test images, 100 perturbed
# copies: apps/bench/java/SparkBenchData.java) scored with the reference VAE by `vi4j score` (one process)
# and by `vi4j spark score` (local[2]), one after the other, ROUNDS times, with peak RSS from /usr/bin/time.
#   apps/bench/spark-score.sh RUN_DIR DATA_DIR OUT_DIR [K] [ROUNDS]
set -euo pipefail
run="$1" data="$2" out="$3" k="${4:-10}" rounds="${5:-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  echo "round $round: single process, $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$out/single-$round"
  VI4J_JAVA_OPTS=-Xmx8g /usr/bin/time -v "$here/vi4j" score "$run" --k "$k" --out "$out/single-$round" \
    --data "{type: idx, train_images: /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz, test_images: $data/bench-images-idx3-ubyte}" \
    > "$out/single-$round.log" 2>&1
  grep -E "Elapsed|Maximum resident" "$out/single-$round.log"
  echo "round $round: spark local[2], $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$out/spark-$round.parquet"
  VI4J_JAVA_OPTS=-Xmx4g /usr/bin/time -v "$here/vi4j" spark score "$run" --input "$data/bench.parquet" --features features \
    --k "$k" --output "$out/spark-$round.parquet" --master 'local[2]' > "$out/spark-$round.log" 2>&1
  grep -E "^score:|Elapsed|Maximum resident" "$out/spark-$round.log"
done
echo "done $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)"
