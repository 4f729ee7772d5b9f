#!/usr/bin/env bash
# Hostile inputs at scale: mutated configs (as trees, and as text and bytes), corrupted IDX, CSV, parameter and checkpoint files, through
# the same test the suite runs with 100 cases per kind (every @Test of HostileInputTest is one kind). Every
# case must end in success or in the documented error of its kind; the report lists the outcomes.
#   bash apps/bench/fuzz.sh [CASES_PER_KIND] [CLI_CASES=250]     # default 3400: 3400 configs + 3400 IDX + 3400 CSV
#                                                #   + 680 parameter files + 3400 checkpoints
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cases="${1:-3400}"
cd "$root"
mvn -q -B install -DskipTests >/dev/null
mvn -B -pl framework-core test -Dtest='HostileInputTest,HostileConfigTextTest' -Dvi4j.fuzz.cases="$cases" 2>&1 \
  | grep -E "hostile (inputs|config text), outcomes|Tests run:|FAIL|ended in" | sed 's/^\[INFO\] //'
# The command line end to end on damaged run directories (evaluate, sample, train --resume).
mvn -B -pl apps test -Dtest=CliHostileRunTest -Dvi4j.fuzz.cli.cases="${2:-250}" 2>&1 \
  | grep -E "damaged run directories, outcomes|Tests run:|FAIL|case [0-9]+:" | sed 's/^\[INFO\] //'
