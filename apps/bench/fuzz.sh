#!/usr/bin/env bash
# Hostile inputs at scale: mutated configs, corrupted IDX, CSV, parameter and checkpoint files, through
# the same test the suite runs with 100 cases per kind (every @Test of HostileInputTest is one kind). Every
# case must end in success or in the documented error of its kind; the report lists the outcomes.
#   bash apps/bench/fuzz.sh [CASES_PER_KIND]     # default 3400: 3400 configs + 3400 IDX + 3400 CSV
#                                                #   + 680 parameter files + 3400 checkpoints
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cases="${1:-3400}"
cd "$root"
mvn -q -B install -DskipTests -pl framework-api,framework-core -am >/dev/null
mvn -B -pl framework-core test -Dtest=HostileInputTest -Dvi4j.fuzz.cases="$cases" 2>&1 \
  | grep -E "hostile inputs, outcomes|Tests run:|FAIL|ended in" | sed 's/^\[INFO\] //'
