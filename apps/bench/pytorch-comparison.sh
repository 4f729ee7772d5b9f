#!/usr/bin/env bash
# Trains the reference Fashion-MNIST VAE with vi4j and with the PyTorch peer script
# (../shared/peers/vae_torch.py), one after the other on the same machine, and prints both results.
#   bash apps/bench/pytorch-comparison.sh [OUT_DIR] [EPOCHS]
# Installs what it needs from Debian (as root): the dataset, python3-torch, and OpenBLAS (without it
# Debian's torch falls back to the reference BLAS and runs ~30x slower).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/pytorch-comparison-$(date +%Y%m%d-%H%M%S)}"
epochs="${2:-10}"
source "$root/apps/bench/peer-setup.sh"
peer_setup "$out"
echo "== vi4j" | tee "$out/vi4j.log"
/usr/bin/time -v "$root/vi4j" train "$root/examples/vae-fashion-mnist.yaml" --out "$out/vi4j-run" \
  --set training.epochs="$epochs" >>"$out/vi4j.log" 2>&1
for threads in 1 2; do
  echo "== pytorch --threads $threads" | tee "$out/torch-t$threads.log"
  /usr/bin/time -v /usr/bin/python3 "$peer" /usr/share/datasets/fashion-mnist "$epochs" "$out/torch-t$threads.json" \
    --threads "$threads" >>"$out/torch-t$threads.log" 2>&1
done
python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
v = json.load(open(os.path.join(out, "vi4j-run", "summary.json")))
print(f"vi4j:          test -ELBO {v['test_neg_elbo_nats']:.3f}  IWAE {v['test_log_likelihood_nats']:.3f}  "
      f"{v['train_samples_per_second']:.0f} samples/s (median epoch)")
for t in (1, 2):
    p = json.load(open(os.path.join(out, f"torch-t{t}.json")))
    print(f"pytorch t={t}:   test -ELBO {p['final_test_neg_elbo']:.3f}  IWAE {p['test_iwae_loglik']:.3f}  "
          f"{p['samples_per_s_median']:.0f} samples/s (median epoch, compute only)")
PY
