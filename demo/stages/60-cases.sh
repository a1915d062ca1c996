#!/usr/bin/env bash
# Stage 6 — from alert to FIU: the planted drug-to-terror channel's alert becomes a case, an
# analyst proposes a report on terrorist financing (PPATK's LTKMT), the analyst cannot approve it
# herself, a supervisor does, and the goAML report is written (validated against PPATK's XSD
# before a byte is written, its hash recorded in the case). The audit trail holds every step.
set -euo pipefail
gen="$JALUR_HOME/generated"
art="$JALUR_HOME/artefacts"
for needed in "$gen/patterns.parquet" "$JALUR_HOME/jalur.duckdb"; do
  if [ ! -s "$needed" ]; then
    echo "60-cases: missing $needed (stages 20-generate and 40-monitor must run first)" >&2
    exit 1
  fi
done
mkdir -p -m 700 "$art"

# Demo-only passwords (10+ characters); in real use the terminal asks for them.
declare -A PASSWORDS=([admin]="demo-admin-secret" [ana]="demo-analyst-secret"
  [sari]="demo-supervisor-secret")
as() {  # as USER jalur ARGS…: sign in as USER for one command
  local who=$1; shift
  JALUR_USER="$who" JALUR_PASSWORD="${PASSWORDS[$who]}" "$@"
}

echo "--- users: the first is an admin; the admin adds an analyst and a supervisor"
JALUR_NEW_PASSWORD="${PASSWORDS[admin]}" jalur users add admin --role admin
JALUR_NEW_PASSWORD="${PASSWORDS[ana]}" as admin jalur users add ana --role analyst
JALUR_NEW_PASSWORD="${PASSWORDS[sari]}" as admin jalur users add sari --role supervisor

echo "--- the reporting entity's goAML identity goes into jalur.toml (a fictional bank)"
cat >> "$JALUR_HOME/jalur.toml" <<'EOF'

[reporting]
rentity_id = 90210
name = "PT Bank Contoh Nusantara"
branch = "Bank Contoh Nusantara, Jakarta Head Office"
profile = "ppatk-4.0.2"

[reporting.person]
first_name = "Dewi"
last_name = "Kartika"
email = "kepatuhan@bank-contoh.test"
phone = "+62 21 555 0199"
occupation = "Compliance officer (MLRO)"

[reporting.location]
address = "Jl. Jenderal Sudirman 99"
city = "Jakarta"
country = "ID"
EOF

echo "--- the planted drug-to-terror channel's alert (terror exposure on a drug-exposed account)"
jalur alerts show --json --top 100000 > "$art/all-alerts.json"
ALERT=$(python3 - "$gen/patterns.parquet" "$art/all-alerts.json" <<'PY'
import json, sys
import pyarrow.parquet as pq
planted = {a for p in pq.read_table(sys.argv[1]).to_pylist() if p["type"] == "drug_to_terror"
           for a in p["accounts"]}
alerts = json.load(open(sys.argv[2]))
drug = {a["account"] for a in alerts if a["typology"] == "drug_exposure"}
channel = [a for a in alerts if a["typology"] == "terror_exposure" and a["account"] in planted]
best = max(channel, key=lambda a: (a["account"] in drug, a["score"]), default=None)
if best is None:
    sys.exit("60-cases: no terror-exposure alert lies on a planted drug-to-terror channel")
print(f"{best['alert_id']} ({best['typology']}, score {best['score']:.2f}): "
      f"{best['explanation'][:150]}…", file=sys.stderr)
print(best["alert_id"])
PY
)

echo "--- ana (analyst) opens a case from it: the alert, its accounts and payments come along"
CASE=$(as ana jalur cases open --alert "$ALERT" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["case_id"])')
echo "opened $CASE"
as ana jalur cases comment "$CASE" "Funds from drug-linked accounts move on to terror-linked accounts."
as ana jalur cases propose "$CASE" --decision report --report-type LTKMT \
  --reason "Funds from a narcotics investigation's accounts reach terror-linked accounts (drug-to-terror channel)."

echo "--- ana tries to approve her own proposal: refused (four eyes: nobody approves their own"
echo "    proposal, and an analyst may not approve at all); nothing changes"
if as ana jalur cases approve "$CASE"; then
  echo "ERROR: the proposer's own approval was accepted" >&2
  exit 1
fi

echo "--- sari (supervisor) approves"
as sari jalur cases approve "$CASE"

echo "--- the goAML report for PPATK (demo exchange rates to IDR, approximate)"
as ana jalur report goaml --case "$CASE" --out "$art/$CASE-ltkmt.xml" \
  --rate AED=4420 --rate MYR=3650 --rate TRY=470 --rate RUB=180 --rate USD=16250 --rate SGD=12100
python3 - "$art/$CASE-ltkmt.xml" <<'PY'
import sys
from lxml import etree
root = etree.parse(sys.argv[1]).getroot()
tx = root.findall("transaction")
print(f"{root.findtext('report_code')} for rentity {root.findtext('rentity_id')}, "
      f"case {root.findtext('entity_reference')}: {len(tx)} transaction(s), "
      f"{sum(float(t.findtext('amount_local')) for t in tx):,.2f} {root.findtext('currency_code_local')}")
PY

echo "--- PPATK acknowledges the report: its reference closes the case"
as ana jalur cases mark-reported "$CASE" --reference "PPATK-DEMO-0001"
as sari jalur cases show "$CASE" --json > "$art/$CASE.json"
python3 - "$art/$CASE.json" <<'PY'
import json, sys
case = json.load(open(sys.argv[1]))
d = case["decision"]
kinds = [e["kind"] for e in case["evidence"]]
counts = ", ".join(f"{kinds.count(k)} {k}" for k in dict.fromkeys(kinds))
print(f"{case['case_id']} [{case['status']}] evidence: {counts}")
print(f"  proposed by {d['proposed_by']} ({d['report_type']}), approved by {d['approved_by']}, "
      f"report sha256 {d['report_sha256'][:16]}…, FIU reference {d['report_reference']}")
PY

echo "--- the audit trail: every step above, hash-chained"
jalur audit verify
