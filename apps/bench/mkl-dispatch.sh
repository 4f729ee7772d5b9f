#!/usr/bin/env bash
# The reference VAE's matrix products (batch 128, 784 -> 400) on one thread, alternated in one sitting:
# DJL's libtorch with MKL as it is, DJL's libtorch with the launcher's MKL dispatch library preloaded, and
# the Debian PyTorch (OpenBLAS). docs/performance.md explains why they differ on AMD processors.
#   bash apps/bench/mkl-dispatch.sh [OUT_DIR] [ROUNDS=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/mkl-dispatch-$(date +%Y%m%d-%H%M%S)}"
rounds="${2:-3}"
source "$root/apps/bench/peer-setup.sh"
peer_setup "$out" # the Debian PyTorch and OpenBLAS; the machine record
"$root/vi4j" --version >/dev/null # builds the jar and, on AMD, the dispatch library
lib="$root/apps/target/native/libvi4j-mkl-dispatch.so"
[ -f "$lib" ] || { echo "no $lib: not an AMD processor, or no C compiler" >&2; exit 1; }
bench() {
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "$root/apps/target/vi4j.jar:$root/apps/target/lib/*" "$root/apps/bench/java/MatmulBench.java" 2>/dev/null \
    | grep -v "^engine"
}
for round in $(seq 1 "$rounds"); do
  echo "round $round: MKL as it is";     bench
  echo "round $round: MKL by features";  LD_PRELOAD="$lib" bench
  echo "round $round: PyTorch $(/usr/bin/python3 -c "import torch; print(torch.__version__)") (OpenBLAS, its own kernels)"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$root/apps/bench/matmul.py" | grep -v "^torch"
done
