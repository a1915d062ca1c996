#!/usr/bin/env bash
# Stage 4 — monitoring: flag the accounts a narcotics investigation named, run every typology
# and the exposure measure over the generated payments, show the top alerts, trace the money
# from drug-linked to terror-linked accounts, write the channel graph for a UI and draw it.
set -euo pipefail
gen="$JALUR_HOME/generated"
art="$JALUR_HOME/artefacts"
for needed in "$gen/drug_investigation_accounts.csv" "$gen/patterns.parquet" "$JALUR_HOME/jalur.duckdb"; do
  if [ ! -s "$needed" ]; then
    echo "40-monitor: missing $needed (stages 20-generate and 30-screen must run first)" >&2
    exit 1
  fi
done
mkdir -p "$art"

echo "--- flag the narcotics investigation's accounts (drug exposure seeds)"
jalur accounts flag "$gen/drug_investigation_accounts.csv" --topic drug \
  --reason "narcotics investigation (demo): cash proceeds"

echo "--- a full monitoring pass (DuckDB), with its one-page summary"
jalur monitor run --top 12 --report "$art/run-summary.html"

echo "--- trace drug money to terror-linked accounts (screening hits + flags)"
jalur trace --from drug --to terror --top 10 --graph "$art/drug-to-terror-channels.json" \
  --graph "$art/drug-to-terror-channels.graphml" --graph "$art/drug-to-terror-channels.html" \
  --graph "$art/drug-to-terror-channels.png"

echo "--- is the planted drug-to-terror channel among them?"
python3 - "$gen/patterns.parquet" "$art/drug-to-terror-channels.json" <<'PY'
import json, sys
import pyarrow.parquet as pq
planted = [p for p in pq.read_table(sys.argv[1]).to_pylist() if p["type"] == "drug_to_terror"]
graph = json.load(open(sys.argv[2]))
traced = {a for ch in graph["channels"] for a in ch["path"]}
found = sum(1 for p in planted if len(set(p["accounts"]) & traced) * 2 >= len(p["accounts"]))
print(f"{found} of {len(planted)} planted drug-to-terror patterns lie on traced channels; "
      f"{len(graph['channels'])} channels, {graph['arrived']:,.0f} of {graph['emitted']:,.0f} traced")
if not found:
    sys.exit("40-monitor: no planted drug-to-terror channel was traced")
PY

jalur alerts export --out "$art/alerts.csv"
echo "graph files: $art/drug-to-terror-channels.json, $art/drug-to-terror-channels.graphml"
echo "pictures (open in a browser or image viewer):"
echo "  channel, interactive: $art/drug-to-terror-channels.html"
echo "  channel, still:       $art/drug-to-terror-channels.png"
echo "  run summary:          $art/run-summary.html"
