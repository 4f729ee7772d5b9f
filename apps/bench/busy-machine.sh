#!/usr/bin/env bash
# Training throughput on an idle machine and beside one CPU-bound process, for several engine thread
# settings, alternated in one sitting:
#   bash apps/bench/busy-machine.sh [OUT_DIR] [ROUNDS=2] [CONFIG=examples/quickstart.yaml] [EPOCHS=3]
# Each setting is "LABEL|ENVIRONMENT|VI4J ARGUMENTS"; the busy load is one `python3` busy loop.
# Prints each run's median-epoch items/s, then the median per setting and the busy/idle ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$root/runs/busy-machine-$(date +%Y%m%d-%H%M%S)}"
rounds="${2:-2}"
config="${3:-$root/examples/quickstart.yaml}"
epochs="${4:-3}"
settings=(
  "default||"
  "threads-1||--threads 1"
  "passive-wait|OMP_WAIT_POLICY=PASSIVE|"
)
if [ -n "${VI4J_BENCH_SETTINGS:-}" ]; then
  IFS=';' read -r -a settings <<<"$VI4J_BENCH_SETTINGS"
fi
source "$root/apps/bench/peer-setup.sh"
record_machine "$out"
"$root/vi4j" --version >/dev/null # build first, outside the timings

busy_pid=""
stop_busy() { [ -n "$busy_pid" ] && kill "$busy_pid" 2>/dev/null; busy_pid=""; }
trap stop_busy EXIT

for round in $(seq 1 "$rounds"); do
  for load in idle busy; do
    [ "$load" = busy ] && { python3 -c 'while True: pass' & busy_pid=$!; }
    for setting in "${settings[@]}"; do
      IFS='|' read -r label environment arguments <<<"$setting"
      run="$out/$label-$load-$round"
      # shellcheck disable=SC2086
      env $environment "$root/vi4j" train "$config" --out "$run" --force --no-progress $arguments \
        --set training.epochs="$epochs" --set evaluation.iwae_k=0 >"$run.log" 2>&1
      echo "$label $load round $round: $(grep -o '[0-9]* items/s' "$run.log" | tr '\n' ' ')"
    done
    stop_busy
  done
done

python3 - "$out" <<'PY'
import glob, json, os, re, statistics, sys
out = sys.argv[1]
runs = {}
for path in glob.glob(os.path.join(out, "*", "metrics.jsonl")):
    name = os.path.basename(os.path.dirname(path))
    label, load, _ = name.rsplit("-", 2)
    speeds = [json.loads(line)["train_samples_per_second"] for line in open(path)]
    runs.setdefault((label, load), []).append(statistics.median(speeds))
for label in sorted({k[0] for k in runs}):
    idle = statistics.median(runs.get((label, "idle"), [float("nan")]))
    busy = statistics.median(runs.get((label, "busy"), [float("nan")]))
    print(f"{label:16s} idle {idle:8.0f} items/s   busy {busy:8.0f} items/s   busy/idle {busy / idle:.2f}"
          f"   (runs: idle {', '.join(f'{x:.0f}' for x in runs.get((label, 'idle'), []))};"
          f" busy {', '.join(f'{x:.0f}' for x in runs.get((label, 'busy'), []))})")
PY
