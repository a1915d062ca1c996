#!/usr/bin/env bash
# Stage 4½ — per-account risk: label every account of the generated payments from the
# generator's planted patterns, train the LightGBM risk model on them (threshold chosen by
# cross-validation on these labels only), print its card, score every account and show the
# riskiest with the features that moved their score; alerts now carry their subject's risk.
set -euo pipefail
gen="$JALUR_HOME/generated"
art="$JALUR_HOME/artefacts"
for needed in "$gen/patterns.parquet" "$gen/transactions.parquet" "$JALUR_HOME/jalur.duckdb"; do
  if [ ! -s "$needed" ]; then
    echo "45-risk: missing $needed (stages 20-generate and 40-monitor must run first)" >&2
    exit 1
  fi
done
mkdir -p "$art"

echo "--- labels from the generator: 1 for an account in a planted pattern, 0 for the others"
python3 - "$gen" "$art/risk-labels.csv" <<'PY'
import csv, sys
import pyarrow.parquet as pq
gen, out = sys.argv[1], sys.argv[2]
planted = {a for p in pq.read_table(f"{gen}/patterns.parquet").to_pylist() for a in p["accounts"]}
paid = pq.read_table(f"{gen}/transactions.parquet", columns=["orig_account", "bene_account"])
accounts = (set(paid["orig_account"].to_pylist()) | set(paid["bene_account"].to_pylist())) - {None}
with open(out, "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["account", "label"])
    writer.writerows((a, int(a in planted)) for a in sorted(accounts))
print(f"{len(accounts)} accounts, {len(accounts & planted)} in planted patterns -> {out}")
PY

echo "--- train the risk model (LightGBM) and print its card"
jalur model train --labels "$art/risk-labels.csv" --json > "$art/risk-model-card.json"
jalur model show | head -12

echo "--- score every account; the riskiest, with what moved their score"
jalur model score --out "$art/risk-scores.csv" --top 10

echo "--- how many planted accounts are among the top-scored (K = planted accounts)?"
python3 - "$art/risk-labels.csv" "$art/risk-scores.csv" <<'PY'
import csv, sys
labels = {r["account"]: r["label"] for r in csv.DictReader(open(sys.argv[1]))}
scores = list(csv.DictReader(open(sys.argv[2])))
k = sum(1 for v in labels.values() if v == "1")
hits = sum(1 for r in scores[:k] if labels.get(r["account"]) == "1")
print(f"{hits} of the top {k} scored accounts are planted (the model saw these labels: "
      "this shows the pipeline, benchmarks/bench_risk.py measures on unseen data)")
if not hits:
    sys.exit("45-risk: no planted account among the top-scored")
PY

echo "--- alerts, riskiest subject first"
jalur alerts show --top 5
