#!/usr/bin/env bash
# Runs every benchmark script; each prints a table and writes JSON under benchmarks/results/.
# bench_cases.py starts (and stops) its own throwaway PostgreSQL with scripts/ensure-postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/results
for script in benchmarks/bench_*.py; do
  echo "== $script"
  .venv/bin/python "$script"
done
