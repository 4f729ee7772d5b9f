#!/usr/bin/env bash
# The reference VAE's matrix products (batch 128, 784 -> 400), alternated in one sitting: DJL's libtorch
# with MKL as it is and with the launcher's MKL dispatch library preloaded, and the Debian PyTorch
# (OpenBLAS), each on one thread and on two. docs/performance.md explains why they differ on AMD
# processors. torch.set_num_threads does not reach Debian's OpenBLAS, so its thread count is set through
# OPENBLAS_NUM_THREADS (the PyTorch script's --threads 1 leaves it at one thread per core).
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
bench() { # THREADS
  java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$1" -Dai.djl.pytorch.num_interop_threads=1 \
    -cp "$root/apps/target/vi4j.jar:$root/apps/target/lib/*" "$root/apps/bench/java/MatmulBench.java" 2>/dev/null \
    | grep -v "^engine"
}
torch_version="$(/usr/bin/python3 -c "import torch; print(torch.__version__)")"
for round in $(seq 1 "$rounds"); do
  for threads in 1 2; do
    echo "round $round, $threads thread(s): MKL as it is";     OMP_WAIT_POLICY=PASSIVE bench "$threads"
    echo "round $round, $threads thread(s): MKL by features";  OMP_WAIT_POLICY=PASSIVE LD_PRELOAD="$lib" bench "$threads"
    echo "round $round, $threads thread(s): PyTorch $torch_version (OpenBLAS, its own kernels)"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$threads" \
      /usr/bin/python3 "$root/apps/bench/matmul.py" | grep -v "^torch"
  done
done
