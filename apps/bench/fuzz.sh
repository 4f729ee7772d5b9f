#!/usr/bin/env bash
# Hostile inputs at scale, through the same tests the suite runs with 100 cases per kind (every @Test of
# HostileInputTest is one kind; HostileSizesTest, in apps because it needs the real plugins, is one more):
# mutated configs (as trees, and as text and bytes), corrupted IDX, CSV, table, parameter and checkpoint files,
# parameter files of other architectures or with non-finite values and checkpoints with non-finite values
# or wrong shapes (both past their checksums), and size settings at extremes. Every case must end in
# success or in the documented error of its kind; the report lists the outcomes of each kind.
#   bash apps/bench/fuzz.sh [CASES_PER_KIND=3400] [CLI_CASES=250]
#     CASES_PER_KIND: configs, config texts, IDX, CSV, structured IDX/CSV, checkpoints, loaded models,
#                     checkpoint values, sizes (parameter-file corruption runs a fifth of it)
#     CLI_CASES: per CLI kind (damaged bytes; damaged run state)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cases="${1:-3400}"
cd "$root"
mvn -q -B install -DskipTests >/dev/null
mvn -B -pl framework-core test -Dtest='HostileInputTest,HostileConfigTextTest' -Dvi4j.fuzz.cases="$cases" 2>&1 \
  | grep -E "hostile (inputs|config text), outcomes|Tests run:|FAIL|ended in" | sed 's/^\[INFO\] //'
# Size settings at extremes through Experiment.run with the real plugins, and the command line end to end on
# damaged run directories (evaluate, sample, score, train --resume, train --force).
mvn -B -pl apps test -Dtest='HostileSizesTest,CliHostileRunTest' -Dvi4j.fuzz.cases="$cases" \
  -Dvi4j.fuzz.cli.cases="${2:-250}" 2>&1 \
  | grep -E "hostile inputs, outcomes|damaged run (directories|state), outcomes|Tests run:|FAIL|ended in|case [0-9]+:" \
  | sed 's/^\[INFO\] //'
