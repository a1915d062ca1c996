#!/usr/bin/env bash
# Stage 1: load the bundled watchlist excerpts and show what was loaded.
set -euo pipefail
for list in src/jalur/lists/bundled/*; do
  [ -e "$list" ] || continue
  jalur lists load "$list"
done
jalur lists show
