#!/usr/bin/env bash
# vi4j's baselines against scikit-learn on the same data, in one sitting, runs alternated (A B A B):
# the diagonal GMM (examples/gmm-fashion-mnist.yaml: K = 10, EM) against GaussianMixture(covariance_type=
# "diag"), and PPCA in closed form (examples/ppca-fashion-mnist.yaml: q = 20) against PCA(svd_solver="full")
# and PCA(svd_solver="randomized"). Prints each run's fit seconds, the medians, the ratios and the test
# log-likelihoods with their relative difference.
#   bash apps/bench/sklearn-baselines.sh [OUT_DIR] [ROUNDS=2]
# Installs what it needs from Debian (as root): the dataset and python3-sklearn (with OpenBLAS).
#
# Same data: apps/bench/sklearn_baselines.py rebuilds vi4j's dequantized Fashion-MNIST (same split, same
# noise: a port of java.util.SplittableRandom seeded as vi4j seeds it), so both fit and score the same
# float32 values in [0, 1]. Fit time is the fit alone: vi4j's fit_seconds (summary.json; no JVM or engine
# start, no data loading, no evaluation) and the wall time of sklearn's estimator.fit (no imports, no data
# loading; the data already in the dtype named). Each fit runs in a fresh process. sklearn keeps its
# default BLAS threads (one per core); sklearn-env.txt records numpy's BLAS. vi4j runs through its
# launcher, with the launcher's environment (engine threads, OMP_WAIT_POLICY, malloc settings, the MKL
# dispatch preload on AMD processors).
#
# What is matched, and what differs (docs/benchmarks.md, "Baselines against scikit-learn"):
#   GMM: 10 components, diagonal covariances, 1 initialization, at most 50 EM iterations, stop when the
#        mean log-likelihood per item gains less than 1e-4; initialization from k-means++ seeds (sklearn's
#        init_params="k-means++": seeding on all items, no Lloyd steps; vi4j: seeding on a 10,000-item
#        subsample plus up to 10 Lloyd steps on it); variance regularization 1e-3 (sklearn adds reg_covar
#        to every variance, vi4j floors every variance at 1e-3). sklearn's default init_params="kmeans"
#        (a full k-means on all items first) is run too. sklearn fits float64 (float32 input was slower).
#   PCA: 20 components; sklearn's variances divide by N - 1, vi4j's maximum-likelihood PPCA by N (the
#        report checks vi4j's figure against sklearn's fit rescaled to N). sklearn runs in float64 and in
#        float32 (its full SVD is faster in float32); vi4j accumulates in float64.
# OpenBLAS: an inherited OPENBLAS_CORETYPE is removed from sklearn's processes, so that OpenBLAS takes the
# kernels it detects for this processor (as vi4j's launcher makes MKL do): some machine images pin it to
# Haswell (AVX2), which ran numpy's dgemm ~1.5x slower than the AVX-512 kernels on an AMD EPYC (Zen 5).
# SKLEARN_OPENBLAS_CORETYPE=NAME pins it instead. sklearn-env.txt records the inherited value and the choice.
# Environment: VI4J_LAUNCHER (the vi4j command; default this checkout's ./vi4j).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/sklearn-baselines-$(date +%Y%m%d-%H%M%S)}"
rounds="${2:-2}"
vi4j="${VI4J_LAUNCHER:-$root/vi4j}"
py=/usr/bin/python3
helper="$root/apps/bench/sklearn_baselines.py"
gmm="$root/examples/gmm-fashion-mnist.yaml"
ppca="$root/examples/ppca-fashion-mnist.yaml"
source "$root/apps/bench/peer-setup.sh" # record_machine

need=()
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
"$py" -c 'import sklearn, threadpoolctl' 2>/dev/null || need+=(python3-sklearn)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$out"
record_machine "$out"
skl() { # sklearn's processes: OpenBLAS's own kernel choice unless SKLEARN_OPENBLAS_CORETYPE names one
  env -u OPENBLAS_CORETYPE ${SKLEARN_OPENBLAS_CORETYPE:+OPENBLAS_CORETYPE="$SKLEARN_OPENBLAS_CORETYPE"} \
    INHERITED_OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-}" "$py" "$helper" "$@"
}
skl env "$out"
skl prepare "$out" "$gmm" "$ppca"

vi4j_fit() { # NAME CONFIG
  "$vi4j" train "$2" --out "$out/$1" --force --no-progress >"$out/$1.log" 2>&1 \
    || { cat "$out/$1.log" >&2; exit 1; }
  grep -m1 'engine:' "$out/$1.log" >"$out/vi4j-engine.txt" || true
  "$py" - "$out/$1/summary.json" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"{sys.argv[2]}: fit {s['fit_seconds']:.2f} s  test log p(x) {s['test_log_likelihood_nats']:.3f}"
      + (f"  {s['iterations']} iterations" if s.get("iterations") else ""))
PY
}

for r in $(seq 1 "$rounds"); do
  echo "== round $r of $rounds"
  vi4j_fit "r$r-vi4j-gmm" "$gmm"
  skl fit "$out" "r$r-gmm-kmeans++-f64" gmm-kmeans++-f64
  skl fit "$out" "r$r-gmm-kmeans-f64" gmm-kmeans-f64
  vi4j_fit "r$r-vi4j-ppca" "$ppca"
  for config in pca-full-f64 pca-full-f32 pca-randomized-f64 pca-randomized-f32; do
    skl fit "$out" "r$r-$config" "$config"
  done
done

echo
cat "$out/machine.txt"
cat "$out/vi4j-engine.txt" 2>/dev/null || true
echo "sklearn: $(head -2 "$out/sklearn-env.txt" | tail -1)"
skl report "$out" | tee "$out/report.txt"
