#!/usr/bin/env bash
# Real tables for the `table` data source (docs/data.md, "Tables"): exports data sets of R's mlbench package
# (Debian's r-cran-mlbench, which brings r-base-core) as CSV files, their NA cells written empty:
#   PimaIndiansDiabetes2.csv  768 rows: 8 measurements with 652 missing cells (0 recoded as NA), label diabetes (neg/pos)
#   BreastCancer.csv          699 rows: column Id, 9 ordinal scores 1-10 (16 missing in Bare.nuclei), label Class
#                             (benign/malignant)
#   HouseVotes84.csv          435 rows: 16 votes y/n with 392 missing cells, label Class (democrat/republican)
# Usage:
#   bash scripts/tables.sh [OUT_DIR]      # default: ${VI4J_DATA:-<checkout>/data}/tables, which examples/table-*.yaml read
# Installs r-cran-mlbench with apt-get when Rscript or the package is missing (through sudo when not root).
# The files are written again on every call (they are small); a file that exists is replaced whole.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-${VI4J_DATA:-$root/data}/tables}"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
if ! command -v Rscript >/dev/null || ! Rscript -e 'quit(status = !requireNamespace("mlbench", quietly = TRUE))' >/dev/null 2>&1; then
  echo "tables: installing r-cran-mlbench (with r-base-core) ..." >&2
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-cran-mlbench >/dev/null
fi

mkdir -p "$out"
Rscript --vanilla - "$out" <<'RSCRIPT'
suppressPackageStartupMessages(library(mlbench))
out <- commandArgs(trailingOnly = TRUE)[1]
export <- function(name) {
  env <- new.env()
  data(list = name, package = "mlbench", envir = env)
  table <- get(name, envir = env)
  file <- file.path(out, paste0(name, ".csv"))
  tmp <- paste0(file, ".part")
  write.csv(table, tmp, row.names = FALSE, na = "")
  file.rename(tmp, file)
  cat(sprintf("tables: %s: %d rows, %d columns, %d missing cells\n", file, nrow(table), ncol(table),
              sum(is.na(table))))
}
for (name in c("PimaIndiansDiabetes2", "BreastCancer", "HouseVotes84")) export(name)
RSCRIPT
