#!/usr/bin/env bash
# Makes the SQLite upgrade fixture with the release binary ($BIN, built from
# the release before versioned migrations) on its embedded defaults: two
# tenants, the conversations of ../upgrade-release1 (ingested through the
# REST API), the hours built with `generate`, the documents the release
# served, then an SQL dump of the database (text, so it can be reviewed).
# Run from this directory: BIN=/path/to/old/dailyreports ./make-fixture.sh
set -euo pipefail
BIN=${BIN:?set BIN to the release binary}
DAY=2026-11-28
WORK=$(mktemp -d)
trap 'kill $SERVE_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATA_DIR=$WORK/data HTTP_ADDR=127.0.0.1:18391 LOG_LEVEL=warn RATE_LIMIT=0
A=$($BIN tenant create --name "Acme Ünïcode" --enable --retention-months 3)
B=$($BIN tenant create --name "Beta" --enable)
$BIN serve --no-demo --roles api >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do curl -sf "http://$HTTP_ADDR/readyz" >/dev/null && break; sleep 0.2; done
ingest() { # tenant file
  curl -sf -H "Authorization: Bearer $($BIN token --scope conversations.write --tenant "$1")" \
    -H 'Content-Type: application/json' --data-binary "@$2" "http://$HTTP_ADDR/api/external/conversations"; echo
}
ingest "$A" conversations-a1.json
ingest "$A" conversations-a2.json
ingest "$B" conversations-b1.json
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
$BIN generate --day $DAY >/dev/null
$BIN serve --no-demo --roles api >>"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do curl -sf "http://$HTTP_ADDR/readyz" >/dev/null && break; sleep 0.2; done
rm -rf documents && mkdir documents
for t in "$A" "$B"; do
  tok=$($BIN token --scope dataservice_external --tenant "$t")
  for h in 0 1 2 3 4 5; do
    curl -sf -H "Authorization: Bearer $tok" \
      "http://$HTTP_ADDR/api/external/conversations/daily-report/$DAY/$h?compressed=false" >"documents/$t-$h.json"
  done
done
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true; SERVE_PID=
sqlite3 "$DATA_DIR/dailyreports.db" .dump >dailyreports.sql
echo "A=$A B=$B" >tenants.txt
