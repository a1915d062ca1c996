#!/usr/bin/env bash
# Stage 5 — exchange between two FIUs, each with its own workspace under $JALUR_HOME:
# PPATK (Indonesia) and Rosfinmonitoring (Russia) exchange public cards, find the subjects
# they have in common without showing each other their lists (match-offer / match), then
# exchange signed, encrypted packages about those subjects; tampering and replay are refused.
set -euo pipefail
DEMO="$JALUR_HOME/exchange"
PPATK=(jalur --home "$DEMO/ppatk")
ROSFIN=(jalur --home "$DEMO/rosfinmonitoring")
export JALUR_PASSPHRASE="demo only: use a real passphrase (asked at the terminal when unset)"
rm -rf "$DEMO" && mkdir -p "$DEMO"

echo "--- each agency creates its keys and exports its public card"
"${PPATK[@]}" agency init --name PPATK --country ID
"${ROSFIN[@]}" agency init --name Rosfinmonitoring --country RU
"${PPATK[@]}" agency card --out "$DEMO/ppatk.card.json"
"${ROSFIN[@]}" agency card --out "$DEMO/rosfinmonitoring.card.json"
echo "--- cards are exchanged (fingerprints checked by phone in real life)"
"${PPATK[@]}" agency add-partner "$DEMO/rosfinmonitoring.card.json"
"${ROSFIN[@]}" agency add-partner "$DEMO/ppatk.card.json"
"${PPATK[@]}" agency list

echo "--- PPATK's subjects: the DTTOT-style national list; Rosfinmonitoring's: its own list (Cyrillic)"
BUNDLED=src/jalur/lists/bundled/dttot-sample.csv
if [ -f "$BUNDLED" ]; then
  "${PPATK[@]}" lists load "$BUNDLED" --format csv --mapping dttot
else  # the bundled sample is missing: a small list of the same people in FtM form
  cat > "$DEMO/dttot.ftm.json" <<'EOF'
{"id": "dttot-1", "schema": "Person", "properties": {"name": ["ABU RUSDAN"], "alias": ["THORIQUDDIN"], "birthDate": ["1960-08-16"], "topics": ["crime.terror"]}}
{"id": "dttot-2", "schema": "Person", "properties": {"name": ["NURJAMAN RIDUAN ISAMUDDIN"], "alias": ["HAMBALI"], "birthDate": ["1964-04-04"], "topics": ["crime.terror"]}}
{"id": "dttot-3", "schema": "Person", "properties": {"name": ["UMAR PATEK"], "birthDate": ["1966-07-20"], "topics": ["crime.terror"]}}
EOF
  "${PPATK[@]}" lists load "$DEMO/dttot.ftm.json" --name id-dttot
fi
echo "--- PPATK also holds a few payments (canonical Parquet, loaded by \`jalur tx load\`)"
python - "$DEMO/ppatk-payments.parquet" <<'EOF'
import sys
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from jalur.model import TRANSACTION_SCHEMA

def pay(tx_id, day, orig, bene, amount, channel, **extra):
    return {"tx_id": tx_id, "timestamp": datetime(2025, 3, day, tzinfo=UTC), "orig_name": orig,
            "bene_name": bene, "amount": amount, "currency": "IDR", "channel": channel, **extra}

rows = [
    pay("PPATK-T1", 1, "ABU RUSDAN", "Yayasan Amal Contoh", 50_000_000.0, "wire", orig_country="ID"),
    pay("PPATK-T2", 9, "Yayasan Amal Contoh", "UMAR PATEK", 20_000_000.0, "wire", bene_country="PH"),
    pay("PPATK-T3", 9, "Budi Santoso", "Sari Dewi", 1_000_000.0, "cash"),
]
pq.write_table(pa.Table.from_pylist(rows, TRANSACTION_SCHEMA), sys.argv[1])
EOF
"${PPATK[@]}" tx load "$DEMO/ppatk-payments.parquet" --format parquet
cat > "$DEMO/perechen.ftm.json" <<'EOF'
{"id": "rfm-101", "schema": "Person", "properties": {"name": ["Русдан Абу"], "birthDate": ["1960-08-16"], "nationality": ["id"], "topics": ["crime.terror"]}}
{"id": "rfm-102", "schema": "Person", "properties": {"name": ["Хамбали"], "alias": ["Нурджаман Ридуан Исамуддин"], "birthDate": ["1964"], "topics": ["crime.terror"]}}
{"id": "rfm-103", "schema": "Person", "properties": {"name": ["Умар Патек"], "birthDate": ["1966-07-20"], "topics": ["crime.terror"]}}
{"id": "rfm-104", "schema": "Person", "properties": {"name": ["Сергей Иванович Волков"], "birthDate": ["1975-02-11"], "topics": ["crime.terror"]}}
{"id": "rfm-105", "schema": "Organization", "properties": {"name": ["Фонд Ансар"], "topics": ["crime.terror"]}}
EOF
"${ROSFIN[@]}" lists load "$DEMO/perechen.ftm.json" --name rfm-perechen

echo "--- PPATK offers its subjects as keyed Bloom-filter encodings (no names leave PPATK)"
"${PPATK[@]}" exchange match-offer --to Rosfinmonitoring --out "$DEMO/ppatk.offer"
echo "--- Rosfinmonitoring matches the offer against its own list: candidate hits only"
"${ROSFIN[@]}" exchange match "$DEMO/ppatk.offer" --out "$DEMO/hits.json"

echo "--- Rosfinmonitoring sends PPATK a package about its matched subjects"
"${ROSFIN[@]}" exchange export --to ppatk --entities "hits:$DEMO/hits.json" \
  --purpose "Common subjects found by matching PPATK offer; CTF analysis" \
  --caveat "for PPATK financial-intelligence analysts only" \
  --in-reply-to "$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["offer_id"])' "$DEMO/hits.json")" \
  --out "$DEMO/rosfin-to-ppatk.pkg"
"${PPATK[@]}" exchange import "$DEMO/rosfin-to-ppatk.pkg"

echo "--- PPATK answers about the references Rosfinmonitoring matched"
REFS=$(python -c 'import json,sys; print(",".join(h["ref"] for h in json.load(open(sys.argv[1]))["hits"]))' "$DEMO/hits.json")
"${PPATK[@]}" exchange export --to rosfinmonitoring --entities "ref:$REFS" \
  --purpose "Answer to Rosfinmonitoring on matched subjects; CTF analysis" \
  --classification CONFIDENTIAL --out "$DEMO/ppatk-to-rosfin.pkg"
"${ROSFIN[@]}" exchange import "$DEMO/ppatk-to-rosfin.pkg"
PKG=$("${ROSFIN[@]}" exchange packages --json | python -c 'import json,sys; print([p for p in json.load(sys.stdin) if p["direction"] == "in"][-1]["package_id"])')
"${ROSFIN[@]}" exchange show "$PKG"
echo "--- the imported terror-listed subjects are now a watchlist screening reads, with caveats"
"${ROSFIN[@]}" lists show
"${ROSFIN[@]}" screen name "Umar Patek"
echo "--- passing PPATK's subjects on is refused without PPATK's consent (Egmont: no onward dissemination)"
if "${ROSFIN[@]}" lists export --format ftm --out "$DEMO/rosfin-lists.ftm.json"; then
  echo "ERROR: a partner's list left without its consent" >&2; exit 1
fi
"${ROSFIN[@]}" lists export --format ftm --out "$DEMO/rosfin-lists.ftm.json" \
  --consent "PPATK=PPATK letter S-123/2026: onward use to Rosfinmonitoring's own units agreed"
python - "$DEMO/rosfin-lists.ftm.json" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    entity = json.loads(line)
    origin = entity.get("exchange")
    if origin and entity["schema"] == "Person":
        name = entity["properties"]["name"][0]
        print(f"{name:<30} from {origin['agency']} [{origin['classification']}], "
              f"package {origin['package_id'][:8]}…, caveats: {'; '.join(origin['caveats'][:1])} …")
EOF

echo "--- a tampered copy and a replay are refused; nothing is stored"
python - "$DEMO/ppatk-to-rosfin.pkg" "$DEMO/tampered.pkg" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-10] ^= 0x01
open(sys.argv[2], "wb").write(bytes(data))
EOF
for bad in tampered.pkg ppatk-to-rosfin.pkg; do
  if "${ROSFIN[@]}" exchange import "$DEMO/$bad"; then
    echo "ERROR: $bad was accepted" >&2
    exit 1
  fi
done
echo "--- the exchange log of each agency, hash chain verified"
"${ROSFIN[@]}" exchange log --verify
"${PPATK[@]}" exchange log --verify
