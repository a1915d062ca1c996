#!/usr/bin/env bash
# Stage 7 — real time: the generated payments streamed through NATS JetStream one by one. A
# throwaway nats-server (scripts/ensure-nats.sh) is started and stopped here; `jalur stream
# run` decides each payment (screening of every party, agent and identifier, the windowed
# typologies with the batch's parameters) and publishes decisions and alerts; `jalur stream
# watch` prints the held and reviewed ones as they come, then the held payments to listed
# parties first. A demo slice: every planted pattern's payments and the 20,000 before them.
set -euo pipefail
gen="$JALUR_HOME/generated"
if [ ! -s "$gen/transactions.parquet" ]; then
  echo "70-stream: missing $gen/transactions.parquet (stage 20-generate must run first)" >&2
  exit 1
fi
exports=$(bash scripts/ensure-nats.sh start)
if [ -z "$exports" ]; then
  echo "70-stream: no nats-server here (see scripts/ensure-nats.sh)" >&2
  exit 1
fi
eval "$exports"
consumer=""
cleanup() {
  if [ -n "$consumer" ]; then kill "$consumer" 2>/dev/null || true; fi
  bash scripts/ensure-nats.sh stop "$JALUR_TEST_NATS_DIR"
}
trap cleanup EXIT
url="$JALUR_TEST_NATS_URL"

slice="$JALUR_HOME/stream-slice.parquet"
python3 - "$gen/transactions.parquet" "$slice" <<'PY'
import sys
import pyarrow.compute as pc
import pyarrow.parquet as pq
payments = pq.read_table(sys.argv[1]).sort_by([("timestamp", "ascending"), ("tx_id", "ascending")])
planted = pc.is_valid(payments["pattern_id"])
ordinary = pc.invert(planted)
keep = pc.or_(planted, pc.and_(ordinary, pc.less(pc.cumulative_sum(pc.cast(ordinary, "int64")), 20_001)))
chosen = payments.filter(keep)
pq.write_table(chosen, sys.argv[2])
open(sys.argv[2] + ".count", "w").write(str(chosen.num_rows))
print(f"demo slice: {chosen.num_rows:,} payments ({pc.sum(planted).as_py():,} of planted patterns)")
PY

echo "--- publish the slice to the stream (each payment with its Nats-Msg-Id)"
jalur stream publish "$slice" --format parquet --nats "$url"
echo "--- the same file again: the broker drops every copy within its duplicate window"
jalur stream publish "$slice" --format parquet --nats "$url" --json

echo "--- decide them as they come (consumer in the background; held and reviewed printed live)"
jalur stream run --nats "$url" --idle-exit 8 > "$JALUR_HOME/stream-consumer.log" 2>&1 &
consumer=$!
jalur stream watch --nats "$url" --count "$(cat "$slice.count")" --idle-exit 120 | awk '
  /^HOLD/ { print; next }
  /^REVIEW/ { if (++reviews <= 15) print; else if (reviews == 16) print "REVIEW … (more reviews not shown)"; next }
  { print }'
wait "$consumer"
consumer=""
tail -n 1 "$JALUR_HOME/stream-consumer.log"
