#!/usr/bin/env bash
# Stage 8 — the service: `jalur serve` on the demo workspace for a moment. ana (the analyst of
# stage 6) signs in for a bearer token, screens a name the way a bank's yente client would
# (POST /match/default), lists the best alerts and reads the case she worked; then the server
# stops. To keep it running: `jalur serve` and open http://127.0.0.1:8000/ui (README).
set -euo pipefail
if [ ! -s "$JALUR_HOME/jalur.sqlite" ]; then
  echo "80-service: missing $JALUR_HOME/jalur.sqlite (stage 60-cases must run first)" >&2
  exit 1
fi
log="$JALUR_HOME/artefacts/service.log"
mkdir -p -m 700 "$(dirname "$log")"

# A free port on the loopback (the kernel picks it; 127.0.0.1 only).
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
jalur serve --host 127.0.0.1 --port "$PORT" >"$log" 2>&1 &
SERVER=$!
stop() {  # always stop the server, whatever happened above
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap stop EXIT

echo "--- jalur serve on 127.0.0.1:$PORT (pid $SERVER; log in $log)"
python3 - "$PORT" "$SERVER" <<'PY'
import json, os, sys, time
import httpx

port, pid = sys.argv[1], int(sys.argv[2])
base = f"http://127.0.0.1:{port}"
with httpx.Client(base_url=base, timeout=30) as http:
    for _ in range(300):  # wait until it is ready (30 s at most)
        try:
            if http.get("/readyz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("80-service: the server stopped before it was ready (see its log)")
        time.sleep(0.1)
    else:
        sys.exit("80-service: the server was not ready within 30 s")

    def show(label, response, keep=None):
        body = response.json()
        print(f"{label} -> {response.status_code}")
        print("   ", json.dumps(keep(body) if keep else body, ensure_ascii=False)[:600])
        if response.status_code >= 400:
            sys.exit(f"80-service: {label} failed")
        return body

    token = show("POST /v1/auth/token (ana)",
                 http.post("/v1/auth/token",
                           data={"username": "ana", "password": "demo-analyst-secret"}),
                 lambda b: {**b, "access_token": b["access_token"][:8] + "…"})["access_token"]
    http.headers["Authorization"] = f"Bearer {token}"
    show("GET /v1/auth/me", http.get("/v1/auth/me"))
    query = {"queries": {"q1": {"schema": "Person", "properties": {
        "name": ["Abu Bakar Baasyir"], "nationality": ["id"]}}}}
    show("POST /match/default?limit=2 (yente's request shape)",
         http.post("/match/default", params={"limit": 2}, json=query),
         lambda b: {k: [{f: r[f] for f in ("id", "caption", "datasets", "score", "match")}
                        for r in v["results"]] for k, v in b["responses"].items()})
    alerts = show("GET /v1/alerts?limit=3", http.get("/v1/alerts", params={"limit": 3}),
                  lambda b: {"total": b["total"], "alerts": [
                      {f: a.get(f) for f in ("alert_id", "typology", "account", "score")}
                      for a in b["alerts"]]})
    cases = show("GET /v1/cases", http.get("/v1/cases"),
                 lambda b: [{f: c.get(f) for f in ("case_id", "status", "title")} for c in b])
    if cases:
        case_id = cases[0]["case_id"]
        show(f"GET /v1/cases/{case_id}", http.get(f"/v1/cases/{case_id}"),
             lambda b: {"case_id": b["case_id"], "status": b["status"],
                        "decision": b.get("decision"),
                        "evidence": len(b.get("evidence", [])),
                        "timeline": len(b.get("timeline", []))})
    http.post("/v1/auth/revoke")
    print("(signed out: the token is revoked)")
PY
echo "--- the server stops (kept running: jalur serve, then open http://127.0.0.1:8000/ui)"
