#!/usr/bin/env bash
# Stage 1 — watchlists: load the bundled lists, show them, then load a newer version of the
# national list and show the delta that would trigger re-screening (FATF R.6 "without delay").
set -euo pipefail
BUNDLED=src/jalur/lists/bundled

echo "--- OFAC SDN excerpt (US public domain; SDGT terrorists, SDNTK/SDNT narcotics traffickers)"
jalur lists load "$BUNDLED/ofac_sdn_excerpt" --json
echo "--- DTTOT-style national list (CSV + shipped column mapping 'dttot')"
jalur lists load "$BUNDLED/dttot-sample.csv" --format csv --mapping dttot --json

echo "--- a newer DTTOT version: one entry removed, one fictional entry added"
NEXT="$JALUR_HOME/dttot-next.csv"
grep -v "OFAC-9614" "$BUNDLED/dttot-sample.csv" > "$NEXT"
echo 'CONTOH TERDUGA FIKTIF alias CONTOH,Entri fiktif untuk demo,Orang,DEMO-0001,"Jakarta, 01 Januari 1990",WNI,Jakarta,' >> "$NEXT"
jalur lists load "$NEXT" --format csv --mapping dttot
jalur lists diff id-dttot
echo "--- the same file again: reported unchanged, no new version"
jalur lists load "$NEXT" --format csv --mapping dttot

echo "--- what is loaded"
jalur lists show

echo "--- one listed party as FollowTheMoney (Abu Rusdan, OFAC SDGT)"
jalur lists export --format ftm | python3 -c '
import json, sys
for line in sys.stdin:
    entity = json.loads(line)
    if entity["id"] == "ofac-8885":
        print(json.dumps(entity, ensure_ascii=False, indent=1))
'
