#!/usr/bin/env bash
# The exact-resume experiment: trains a small VAE in a child JVM, kills it with SIGKILL at random steps
# (KILLS per round), resumes it with `vi4j train --resume` each time, and checks the final parameters are
# byte-identical to an uninterrupted run's. Prints a line per kill and per round, then "N/N identical";
# exits 1 unless every round is identical.
#   bash apps/bench/kill-resume.sh [ROUNDS=20] [KILLS=3] [SEED=time] [WORK_DIR=temp]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/vi4j" --version >/dev/null   # builds on first use
exec java -Xmx512m -Dai.djl.offline=true -cp "$root/apps/target/vi4j.jar:$root/apps/target/lib/*" \
  io.vi4j.apps.bench.KillAndResume "$@"
