#!/usr/bin/env bash
# Outliers in a real table (issue 18): the Wisconsin breast cancer table (R's mlbench BreastCancer: 699 rows,
# 9 cytology scores 1-10, 16 missing cells) with the malignant rows as the rare class. A VAE, PPCA and a
# Gaussian mixture are trained on the benign training rows only (exclude_train_labels) and score the test
# rows, benign and malignant; prints AUROC and AUPRC per model and score.
#   bash apps/bench/table-outliers.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/table-outliers-$(date +%Y%m%d-%H%M%S)}"
tables="${VI4J_DATA:-$root/data}/tables"
vi4j="${VI4J:-$root/vi4j}" # VI4J=/path/to/a/frozen/launcher keeps rebuilds of the checkout out of a running benchmark
bash "$root/scripts/tables.sh" "$tables" >/dev/null
mkdir -p "$out"
data="data: {type: table, train: $tables/BreastCancer.csv, test_fraction: 0.3, seed: 0, id_column: Id, label_column: Class, label_levels: [benign, malignant]}"
cat >"$out/vae.yaml" <<YAML
name: breast-cancer-vae
seed: 0
$data
exclude_train_labels: [1]
model:
  latent_dim: 4
  prior: {type: standard-normal}
  encoder: {type: gaussian-mlp, hidden: [32]}
  decoder: {type: mixed-mlp, hidden: [32]}
estimator: {type: iwae, samples: 20}
training: {epochs: ${EPOCHS:-300}, batch_size: 64, learning_rate: 1.0e-3}
evaluation: {iwae_k: 1000}
YAML
cat >"$out/ppca.yaml" <<YAML
name: breast-cancer-ppca
seed: 0
$data
exclude_train_labels: [1]
baseline: {type: ppca, latent_dim: 3}
YAML
cat >"$out/gmm.yaml" <<YAML
name: breast-cancer-gmm
seed: 0
$data
exclude_train_labels: [1]
baseline: {type: gmm, components: 3, covariance: full, restarts: 3, max_iterations: 200}
YAML
for model in vae ppca gmm; do
  "$vi4j" train "$out/$model.yaml" --out "$out/$model-run" --no-progress >"$out/$model-train.log" 2>&1
  k=(); [ "$model" = vae ] && k=(--k 1000) # a baseline's score is exact
  "$vi4j" score "$out/$model-run" --outlier-classes malignant "${k[@]}" --train-items 1000 --no-progress \
    >"$out/$model-score.log" 2>&1
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
print("| model | score | AUROC | AUPRC | outliers flagged | inliers flagged |")
print("|---|---|---:|---:|---:|---:|")
for model in ("vae", "ppca", "gmm"):
    report = json.load(open(os.path.join(out, model + "-run", "scores", "scores.json")))
    for name, s in report["scores"].items():
        print(f"| {model} | {name} | {s['auroc']:.3f} | {s['auprc']:.3f} | {s['flagged_outliers']:.3f} | {s['flagged_inliers']:.3f} |")
    print(f"<!-- {model}: {report['items']} test rows -->")
PY
