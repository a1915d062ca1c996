#!/usr/bin/env bash
# The end-to-end demo, offline: each stage under demo/stages/ runs in name order
# against one fresh workspace (bundled list excerpts and generated data only).
set -euo pipefail
cd "$(dirname "$0")/.."
export JALUR_HOME="${JALUR_HOME:-$PWD/demo-home}"
rm -rf "$JALUR_HOME"
mkdir -p -m 700 "$JALUR_HOME"  # the workspace holds RESTRICTED data: private to the user
export PATH="$PWD/.venv/bin:$PATH"
for stage in demo/stages/*.sh; do
  echo
  echo "=== demo stage: $(basename "$stage" .sh)"
  bash "$stage"
done
