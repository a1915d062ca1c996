#!/usr/bin/env bash
# Stage 2: generate a labelled synthetic economy whose listed-looking parties come from the
# watchlists loaded in stage 1, then load it as payments and show what is in the workspace.
set -euo pipefail
out="$JALUR_HOME/generated"
jalur generate --transactions 200000 --seed 42 --out "$out"
echo "load $out/transactions.parquet:"
jalur tx load "$out/transactions.parquet" --format parquet --json
echo "load it again (idempotent, everything is a duplicate):"
jalur tx load "$out/transactions.parquet" --format parquet --json
jalur tx show
