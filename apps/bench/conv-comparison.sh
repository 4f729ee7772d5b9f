#!/usr/bin/env bash
# The convolutional VAE (examples/conv-vae-fashion-mnist.yaml) against the PyTorch reference
# (../shared/peers/vae_torch.py --arch conv), in one sitting on one machine:
#   1. quality: both trained for EPOCHS epochs with the IWAE (k = 1000, first 1000 test images), and the MLP
#      VAE (examples/vae-fashion-mnist.yaml) beside them;
#   2. speed: THROUGHPUT_ROUNDS rounds of 3 epochs each, IWAE off, alternated vi4j, PyTorch --threads 1,
#      PyTorch --threads 2, with the median-epoch samples/s of each run.
#   bash apps/bench/conv-comparison.sh [OUT_DIR] [EPOCHS=10] [THROUGHPUT_ROUNDS=2]
# Installs what it needs from Debian (as root): the dataset, python3-torch, OpenBLAS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/conv-comparison-$(date +%Y%m%d-%H%M%S)}"
epochs="${2:-10}"
rounds="${3:-2}"
source "$root/apps/bench/peer-setup.sh"
peer_setup "$out"
"$root/vi4j" --version >/dev/null # build first, outside the timings

echo "== quality: vi4j conv, $epochs epochs" | tee "$out/quality.log"
/usr/bin/time -v "$root/vi4j" train "$root/examples/conv-vae-fashion-mnist.yaml" --out "$out/vi4j-conv" --no-progress \
  --set training.epochs="$epochs" >>"$out/quality.log" 2>&1
echo "== quality: pytorch --arch conv --threads 1, $epochs epochs" | tee -a "$out/quality.log"
/usr/bin/time -v /usr/bin/python3 "$peer" "$data" "$epochs" "$out/torch-conv.json" --arch conv --threads 1 \
  >>"$out/quality.log" 2>&1
echo "== quality: vi4j MLP, $epochs epochs" | tee -a "$out/quality.log"
"$root/vi4j" train "$root/examples/vae-fashion-mnist.yaml" --out "$out/vi4j-mlp" --no-progress \
  --set training.epochs="$epochs" >>"$out/quality.log" 2>&1

for round in $(seq 1 "$rounds"); do
  echo "== speed round $round" | tee -a "$out/speed.log"
  "$root/vi4j" train "$root/examples/conv-vae-fashion-mnist.yaml" --out "$out/speed-vi4j-$round" --no-progress \
    --set training.epochs=3 --set evaluation.iwae_k=0 >>"$out/speed.log" 2>&1
  for threads in 1 2; do
    /usr/bin/python3 "$peer" "$data" 3 "$out/speed-torch-t$threads-$round.json" --arch conv --threads "$threads" \
      --iw-k 0 >>"$out/speed.log" 2>&1
  done
done

python3 - "$out" "$rounds" <<'PY'
import json, os, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
v = json.load(open(os.path.join(out, "vi4j-conv", "summary.json")))
m = json.load(open(os.path.join(out, "vi4j-mlp", "summary.json")))
p = json.load(open(os.path.join(out, "torch-conv.json")))
print(f"quality  vi4j conv:  test -ELBO {v['test_neg_elbo_nats']:.3f}  IWAE {v['test_log_likelihood_nats']:.3f}")
print(f"quality  torch conv: test -ELBO {p['final_test_neg_elbo']:.3f}  IWAE {p['test_iwae_loglik']:.3f}")
print(f"quality  vi4j MLP:   test -ELBO {m['test_neg_elbo_nats']:.3f}  IWAE {m['test_log_likelihood_nats']:.3f}")
vi = [json.load(open(os.path.join(out, f"speed-vi4j-{r}", "summary.json")))["train_samples_per_second"]
      for r in range(1, rounds + 1)]
t1 = [json.load(open(os.path.join(out, f"speed-torch-t1-{r}.json")))["samples_per_s_median"] for r in range(1, rounds + 1)]
t2 = [json.load(open(os.path.join(out, f"speed-torch-t2-{r}.json")))["samples_per_s_median"] for r in range(1, rounds + 1)]
print("speed    vi4j runs: " + ", ".join(f"{x:.0f}" for x in vi) + f"  median {statistics.median(vi):.0f} samples/s")
print("speed    torch t1:  " + ", ".join(f"{x:.0f}" for x in t1) + f"  median {statistics.median(t1):.0f}")
print("speed    torch t2:  " + ", ".join(f"{x:.0f}" for x in t2) + f"  median {statistics.median(t2):.0f}")
best = max(statistics.median(t1), statistics.median(t2))
print(f"ratio    vi4j / torch's best thread setting: {statistics.median(vi) / best:.2f}")
PY
