#!/usr/bin/env bash
# Trains a small VAE for 100,000 steps (batch 16, dynamic binarization) and prints the process RSS and
# Java heap every 10,000 steps: both stay flat when every step scopes its native memory.
#   bash apps/bench/memory-soak.sh [STEPS] [EVERY] [SHARDS]   (SHARDS: training.shards, 0 = chosen; 2 soaks sliced steps)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/vi4j" --version >/dev/null   # builds on first use
exec java -Xmx1g -Dai.djl.offline=true -cp "$root/apps/target/vi4j.jar:$root/apps/target/lib/*" \
  io.vi4j.apps.bench.MemorySoak "${1:-100000}" "${2:-10000}" "${3:-0}"
