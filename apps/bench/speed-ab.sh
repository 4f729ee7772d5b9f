#!/usr/bin/env bash
# vi4j against the PyTorch reference script (../shared/peers/vae_torch.py), alternated A B A B in one
# sitting: training throughput of the reference VAE at several batch sizes (median-epoch samples/s per
# run, IWAE off), then IWAE evaluation throughput (k = 1000), and the ratio of medians for each.
#   bash apps/bench/speed-ab.sh [OUT_DIR] [ROUNDS=2] [EPOCHS=3] [BATCHES="32 128 1024"] [IWAE_ITEMS=200]
# Set VI4J_BENCH_ARCH=conv for the convolutional VAE. PyTorch runs with --threads 1 (its best setting on
# the 2-core machine, docs/benchmarks.md), with OpenBLAS choosing its own kernels (OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE, which some machines here set, are removed for its runs: they pin slower kernels); vi4j
# with the launcher's defaults and with --threads 1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/speed-ab-$(date +%Y%m%d-%H%M%S)}"
rounds="${2:-2}"
epochs="${3:-3}"
batches="${4:-32 128 1024}"
iwae_items="${5:-200}"
arch="${VI4J_BENCH_ARCH:-mlp}"
source "$root/apps/bench/peer-setup.sh"
peer_setup "$out"
config="$root/examples/vae-fashion-mnist.yaml"
[ "$arch" = conv ] && config="$root/examples/conv-vae-fashion-mnist.yaml"
"$root/vi4j" --version >/dev/null # build first, outside the timings
torch_env="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE"
echo "inherited OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} OPENBLAS_L2_SIZE=${OPENBLAS_L2_SIZE:-unset} (removed for PyTorch)" \
  | tee "$out/openblas.txt"

for round in $(seq 1 "$rounds"); do
  for batch in $batches; do
    "$root/vi4j" train "$config" --out "$out/vi4j-b$batch-$round" --force --no-progress \
      --set training.epochs="$epochs" --set training.batch_size="$batch" --set evaluation.iwae_k=0 \
      >"$out/vi4j-b$batch-$round.log" 2>&1
    $torch_env /usr/bin/python3 "$peer" "$data" "$epochs" "$out/torch-b$batch-$round.json" --arch "$arch" --threads 1 \
      --batch "$batch" --iw-k 0 >"$out/torch-b$batch-$round.log" 2>&1
    "$root/vi4j" train "$config" --out "$out/vi4j1-b$batch-$round" --force --no-progress --threads 1 \
      --set training.epochs="$epochs" --set training.batch_size="$batch" --set evaluation.iwae_k=0 \
      >"$out/vi4j1-b$batch-$round.log" 2>&1
    echo "round $round batch $batch done"
  done
  # IWAE throughput: one epoch of training, then k = 1000 on the first IWAE_ITEMS test images
  "$root/vi4j" train "$config" --out "$out/vi4j-iwae-$round" --force --no-progress --set training.epochs=1 \
    --set evaluation.iwae_k=1000 --set evaluation.iwae_items="$iwae_items" >"$out/vi4j-iwae-$round.log" 2>&1
  $torch_env /usr/bin/python3 "$peer" "$data" 1 "$out/torch-iwae-$round.json" --arch "$arch" --threads 1 \
    --iw-k 1000 --iw-n "$iwae_items" >"$out/torch-iwae-$round.log" 2>&1
  echo "round $round IWAE done"
done

python3 - "$out" "$rounds" "$batches" "$iwae_items" <<'PY'
import json, os, statistics, sys
out, rounds, batches, items = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), int(sys.argv[4])
def vi4j_epochs(run):
    return [json.loads(l)["train_samples_per_second"] for l in open(os.path.join(out, run, "metrics.jsonl"))]
def test_elbo(run):
    return [json.loads(l) for l in open(os.path.join(out, run, "metrics.jsonl"))][-1]["test_neg_elbo_nats"]
for b in batches:
    t = [json.load(open(os.path.join(out, f"torch-b{b}-{r}.json")))["samples_per_s_median"] for r in range(1, rounds + 1)]
    te = json.load(open(os.path.join(out, f"torch-b{b}-1.json")))["final_test_neg_elbo"]
    print(f"batch {b:>5}: pytorch {', '.join(f'{x:.0f}' for x in t)} (median {statistics.median(t):.0f}, test -ELBO {te:.3f})")
    for label, prefix in (("vi4j (defaults)", "vi4j"), ("vi4j --threads 1", "vi4j1")):
        v = [statistics.median(vi4j_epochs(f"{prefix}-b{b}-{r}")) for r in range(1, rounds + 1)]
        ve = test_elbo(f"{prefix}-b{b}-1")
        print(f"    {label:17s} {', '.join(f'{x:.0f}' for x in v)} (median {statistics.median(v):.0f}, "
              f"test -ELBO {ve:.3f}, {100 * (ve - te) / te:+.2f} %)   ratio {statistics.median(v) / statistics.median(t):.2f}")
v = [items / json.load(open(os.path.join(out, f"vi4j-iwae-{r}", "summary.json")))["iwae_seconds"] for r in range(1, rounds + 1)]
t = [items / json.load(open(os.path.join(out, f"torch-iwae-{r}.json")))["iwae_s"] for r in range(1, rounds + 1)]
print(f"IWAE k=1000: vi4j {', '.join(f'{x:.1f}' for x in v)} items/s (median {statistics.median(v):.1f})   "
      f"pytorch {', '.join(f'{x:.1f}' for x in t)} (median {statistics.median(t):.1f})   "
      f"ratio {statistics.median(v) / statistics.median(t):.2f}")
PY
