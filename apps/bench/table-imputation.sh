#!/usr/bin/env bash
# Imputation on real tables with missing cells (issue 18): for each table, a VAE trained on the incomplete
# training rows (MIWAE: mixed-mlp likelihood over the observed cells, iwae bound), PPCA and a Gaussian mixture
# fitted by EM with missing values; then 20 % of the observed test cells are hidden (three seeds) and filled
# by each model beside column means / most frequent levels. Prints one line per table, model and seed.
#   bash apps/bench/table-imputation.sh [OUT_DIR]
# Tables: scripts/tables.sh exports them from Debian's r-cran-mlbench (installed there when missing).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/table-imputation-$(date +%Y%m%d-%H%M%S)}"
tables="${VI4J_DATA:-$root/data}/tables"
vi4j="${VI4J:-$root/vi4j}" # VI4J=/path/to/a/frozen/launcher keeps rebuilds of the checkout out of a running benchmark
bash "$root/scripts/tables.sh" "$tables" >/dev/null
mkdir -p "$out"
hide="${HIDE:-0.2}"
seeds="${SEEDS:-0 1 2}"

# table file, label column, id column (or -), VAE latent dimension, PPCA latent dimension
specs=(
  "PimaIndiansDiabetes2 diabetes - 4 3"
  "BreastCancer Class Id 4 3"
  "HouseVotes84 Class - 4 3"
)
for spec in "${specs[@]}"; do
  read -r name label id vae_latent ppca_latent <<<"$spec"
  data="data: {type: table, train: $tables/$name.csv, test_fraction: 0.3, seed: 0, label_column: $label"
  [ "$id" = "-" ] || data="$data, id_column: $id"
  data="$data, empty_rows: drop}"
  mkdir -p "$out/$name"
  cat >"$out/$name/vae.yaml" <<YAML
name: $name-miwae
seed: 0
$data
model:
  latent_dim: $vae_latent
  prior: {type: standard-normal}
  encoder: {type: gaussian-mlp, hidden: [${HIDDEN:-32}]}
  decoder: {type: mixed-mlp, hidden: [${HIDDEN:-32}]}
estimator: {type: iwae, samples: 20}
training: {epochs: ${EPOCHS:-300}, batch_size: 64, learning_rate: 1.0e-3}
evaluation: {iwae_k: 1000}
YAML
  cat >"$out/$name/ppca.yaml" <<YAML
name: $name-ppca
seed: 0
$data
baseline: {type: ppca, latent_dim: $ppca_latent}
YAML
  cat >"$out/$name/gmm.yaml" <<YAML
name: $name-gmm
seed: 0
$data
baseline: {type: gmm, components: 3, covariance: full, restarts: 3, max_iterations: 200}
YAML
  for model in vae ppca gmm; do
    run="$out/$name/$model-run"
    "$vi4j" train "$out/$name/$model.yaml" --out "$run" --no-progress >"$out/$name/$model-train.log" 2>&1
    for seed in $seeds; do
      "$vi4j" impute "$run" --hide "$hide" --seed "$seed" --k 1000 --out "$run/imputation-$seed" --no-progress \
        >"$run/impute-$seed.log" 2>&1
    done
  done
done
python3 - "$out" "$seeds" <<'PY'
import json, os, sys, statistics
out, seeds = sys.argv[1], sys.argv[2].split()
print("| table | model | method | continuous RMSE (sd units) | count RMSE | level accuracy | hidden cells |")
print("|---|---|---|---:|---:|---:|---:|")
for name in sorted(os.listdir(out)):
    for model in ("vae", "ppca", "gmm"):
        per = {}
        cells = None
        for seed in seeds:
            path = os.path.join(out, name, model + "-run", "imputation-" + seed, "imputation.json")
            if not os.path.exists(path):
                continue
            report = json.load(open(path))
            cells = report["hidden_cells"]
            for method, e in report["errors"].items():
                per.setdefault(method, []).append(e)
        for method, errors in per.items():
            def fmt(key):
                values = [e[key] for e in errors if e[key] is not None]
                if not values:
                    return "-"
                return "%.3f (%.3f-%.3f)" % (statistics.median(values), min(values), max(values))
            print(f"| {name} | {model} | {method} | {fmt('continuous_rmse')} | {fmt('count_rmse')} | {fmt('accuracy')} | {cells} |")
PY
