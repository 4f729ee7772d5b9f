#!/usr/bin/env bash
# A/B: training throughput of the quick start under two builds, alternated (A B A B).
#   OLD_CP and NEW_CP: class paths of the two builds (vi4j.jar and lib/*); defaults: a build of commit ef71baa
#   checked out in /tmp/old-vi4j, and this checkout.
set -euo pipefail
new_cp="${NEW_CP:-$(cd "$(dirname "$0")/../.." && pwd)/apps/target/vi4j.jar:$(cd "$(dirname "$0")/../.." && pwd)/apps/target/lib/*}"
old_cp="${OLD_CP:-/tmp/old-vi4j/apps/target/vi4j.jar:/tmp/old-vi4j/apps/target/lib/*}"
for round in 1 2 3 4; do
  for which in old new; do
    cp_var="${which}_cp"
    out="/tmp/ab-$which-$round"
    rm -rf "$out"
    java -Xmx4g -Dai.djl.offline=true -cp "${!cp_var}" io.vi4j.apps.Main train "$(cd "$(dirname "$0")/../.." && pwd)/examples/quickstart.yaml" \
      --set training.epochs=5 --set evaluation.iwae_k=0 --out "$out" --no-progress >/dev/null 2>&1
    rate=$(python3 -c "import json;print(json.load(open('$out/summary.json'))['train_samples_per_second'])")
    echo "$which round $round: $rate"
  done
done
