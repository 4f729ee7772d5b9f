#!/usr/bin/env bash
# Times the exact fits of the baselines on the Fashion-MNIST training set (60,000 x 784):
# GMM (K = 10, diagonal, 1 restart, up to 50 EM iterations), PPCA (q = 20) in closed form and by EM.
#   bash apps/bench/baseline-fits.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/baseline-fits-$(date +%Y%m%d-%H%M%S)}"
[ -d /usr/share/datasets/fashion-mnist ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; }
mkdir -p "$out"
"$root/vi4j" train "$root/examples/gmm-fashion-mnist.yaml" --out "$out/gmm-10" --no-progress
"$root/vi4j" train "$root/examples/ppca-fashion-mnist.yaml" --out "$out/ppca-20" --no-progress
"$root/vi4j" train "$root/examples/ppca-fashion-mnist.yaml" --out "$out/ppca-20-em" --no-progress \
  --set baseline.method=em --set baseline.max_iterations=50
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
for run in ("gmm-10", "ppca-20", "ppca-20-em"):
    s = json.load(open(os.path.join(out, run, "summary.json")))
    print(f"{run:12s} fit {s['fit_seconds']:7.1f} s  iterations {s['iterations']:3d}  "
          f"test log p(x) {s['test_log_likelihood_nats']:9.2f} nats  {s.get('test_bits_per_dim', float('nan')):.4f} bits/dim")
PY
