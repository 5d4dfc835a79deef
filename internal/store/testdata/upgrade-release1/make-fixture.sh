#!/usr/bin/env bash
# Builds a database and bucket with the release binary ($BIN) and dumps them
# into $OUT; dump-bucket.go (go run dump-bucket.go "$OUT/objects") wrote
# objects/ and objects/metadata.json from the bucket before it stopped.
# Kept as the record of how the fixture was made.
set -euo pipefail
BIN=${BIN:?set BIN to the release binary}
OUT=${OUT:-$PWD/out}
DAY=${DAY:-2026-11-28}
WORK=$(mktemp -d)
MINIO_BIN=${MINIO_BIN:-$HOME/.cache/dailyreports/bin/minio}
rm -rf "$OUT"; mkdir -p "$OUT/objects" "$WORK/minio-data"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS upgrade_src" -c "CREATE DATABASE upgrade_src"
MINIO_ROOT_USER=fixtureadmin MINIO_ROOT_PASSWORD=fixtureadmin-secret "$MINIO_BIN" server "$WORK/minio-data" --address 127.0.0.1:9500 --console-address 127.0.0.1:9501 >$WORK/minio.log 2>&1 &
MINIO_PID=$!
trap 'kill $MINIO_PID $SERVE_PID 2>/dev/null || true' EXIT
SERVE_PID=
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/upgrade_src?sslmode=disable
export REDIS_URL=redis://127.0.0.1:6379/14
export S3_ENDPOINT=127.0.0.1:9500 S3_ACCESS_KEY=fixtureadmin S3_SECRET_KEY=fixtureadmin-secret S3_BUCKET=fixture
export AUTH_SIGNING_KEY=fixture-signing-key-0123456789abcdef0123
export HTTP_ADDR=127.0.0.1:18090 LOG_LEVEL=warn RATE_LIMIT=0 RETRY_PASS_DELAY=50ms
redis-cli -n 14 flushdb >/dev/null
sleep 2
$BIN migrate
A=$($BIN tenant create --name "Acme Ünïcode" --enable --retention-months 3)
B=$($BIN tenant create --name "Beta" --enable)
C=$($BIN tenant create --name "Gamma (disabled)")
$BIN serve --roles api,worker >$WORK/serve.log 2>&1 &
SERVE_PID=$!
for i in $(seq 50); do curl -sf http://127.0.0.1:18090/readyz >/dev/null && break; sleep 0.2; done
HOST=$($BIN token --scope host_admin --subject "admin@example.com")
gql() { curl -sf -H "Authorization: Bearer $HOST" -H 'Content-Type: application/json' --data "$1" http://127.0.0.1:18090/graphql; echo; }
gql '{"query":"mutation{updateTenantReportSettings(input:{tenantId:\"'$B'\",enabled:true,retentionMonths:2}){id}}"}'
gql '{"query":"mutation{updateTenantReportSettings(input:{tenantId:\"'$C'\",enabled:true,retentionMonths:1}){id}}"}'
gql '{"query":"mutation{updateTenantReportSettings(input:{tenantId:\"'$C'\",enabled:false,retentionMonths:1}){id}}"}'
gql '{"query":"mutation{createApiClient(input:{tenantId:\"'$A'\",name:\"acme reader\",scopes:[\"dataservice_external\"]}){clientId}}"}'
gql '{"query":"mutation{createApiClient(input:{name:\"host automation\",scopes:[\"host_admin\"]}){clientId}}"}'
R=$(gql '{"query":"mutation{createApiClient(input:{tenantId:\"'$B'\",name:\"revoked one\",scopes:[\"conversations.write\"]}){clientId}}"}' | sed -E 's/.*"clientId":"([^"]+)".*/\1/')
gql '{"query":"mutation{revokeApiClient(clientId:\"'$R'\")}"}'
ingest() { # tenant body
  local tok; tok=$($BIN token --scope conversations.write --tenant "$1")
  curl -sf -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' --data-binary "@$2" http://127.0.0.1:18090/api/external/conversations; echo
}
cat >$WORK/a1.json <<JSON
[
 {"Id":"c-b","SessionId":"s-1","Channel":"webchat","Language":"tr-TR","ProjectName":"destek","StartedAt":"${DAY}T00:05:00Z","EndedAt":"${DAY}T00:09:30.5+00:00","Status":"completed",
  "Messages":[{"Id":"m-2","SentAt":"${DAY}T00:05:02.123Z","Sender":"bot","Text":"Merhaba! Size nasıl yardımcı olabilirim? 🤖","Intent":"greeting","Confidence":0.97},
              {"Id":"m-1","SentAt":"${DAY}T00:05:00Z","Sender":"user","Text":"selam \"quoted\" back\\\\slash </script> \u2028 line\nnew\ttab \u0001 ctl","Intent":null,"Confidence":null},
              {"Id":"m-3","SentAt":"${DAY}T00:05:02.123Z","Sender":"agent","Text":"same time, later id","Intent":"handover","Confidence":1}]},
 {"Id":"c-a","SessionId":"s-2","Channel":"whatsapp","Language":"en-US","ProjectName":"support","StartedAt":"${DAY}T00:05:00Z","EndedAt":null,"Status":"active",
  "Messages":[]},
 {"Id":"c-c","SessionId":"s-3","Channel":"voice","Language":"de-DE","ProjectName":"support","StartedAt":"2026-11-28T01:59:59.999999+01:00","EndedAt":"${DAY}T01:10:00Z","Status":"abandoned",
  "Messages":[{"Id":"m-1","SentAt":"${DAY}T00:59:59.999999Z","Sender":"system","Text":"","Intent":"","Confidence":0},
              {"Id":"m-2","SentAt":"${DAY}T01:00:00.01Z","Sender":"user","Text":"Größe ünd Straße — 日本語 ✓","Intent":"shipping.status","Confidence":0.123456789}]},
 {"Id":"c-d","SessionId":"s-4","Channel":"webchat","Language":"en-US","ProjectName":"sales","StartedAt":"${DAY}T02:30:00Z","EndedAt":"${DAY}T02:31:00Z","Status":"completed",
  "Messages":[{"Id":"m-1","SentAt":"${DAY}T02:30:00Z","Sender":"user","Text":"price?","Intent":"pricing","Confidence":0.5}]},
 {"Id":"c-e","SessionId":"s-5","Channel":"webchat","Language":"en-US","ProjectName":"sales","StartedAt":"${DAY}T03:00:00Z","EndedAt":null,"Status":"completed",
  "Messages":[{"Id":"m-1","SentAt":"${DAY}T03:00:01Z","Sender":"user","Text":"hello","Intent":null,"Confidence":null}]}
]
JSON
ingest "$A" $WORK/a1.json
$BIN generate --day "$DAY" --tenant "$A"
cat >$WORK/a2.json <<JSON
[{"Id":"c-late","SessionId":"s-9","Channel":"webchat","Language":"en-US","ProjectName":"sales","StartedAt":"${DAY}T02:45:00Z","EndedAt":null,"Status":"completed",
  "Messages":[{"Id":"m-1","SentAt":"${DAY}T02:45:00Z","Sender":"user","Text":"late data","Intent":null,"Confidence":null}]},
 {"Id":"c-e","SessionId":"s-5","Channel":"webchat","Language":"en-US","ProjectName":"sales","StartedAt":"${DAY}T04:10:00Z","EndedAt":null,"Status":"completed",
  "Messages":[{"Id":"m-1","SentAt":"${DAY}T04:10:01Z","Sender":"user","Text":"moved to hour 4","Intent":null,"Confidence":null}]}]
JSON
ingest "$A" $WORK/a2.json
cat >$WORK/b1.json <<JSON
[{"Id":"b-1","SessionId":"s-1","Channel":"sms","Language":"fr-FR","ProjectName":"billing","StartedAt":"${DAY}T05:00:00Z","EndedAt":"${DAY}T05:01:00Z","Status":"completed",
  "Messages":[{"Id":"x","SentAt":"${DAY}T05:00:00Z","Sender":"user","Text":"facture ?","Intent":"billing","Confidence":0.8}]}]
JSON
ingest "$B" $WORK/b1.json
ingest "$C" $WORK/b1.json
$BIN generate --day "$DAY" --tenant "$B" --hour 5
S=$($BIN seed --tenants 1 --day "$DAY" --conversations-per-hour 1 --messages-per-conversation 3 --seed 7)
$BIN generate --day "$DAY" --tenant "$S"
kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true; SERVE_PID=
# One failed chunk, as a run that gave up leaves it.
psql -q -h 127.0.0.1 -U postgres -d upgrade_src -c "UPDATE report_chunks SET status='failed', attempts=3, last_error='storage unavailable' WHERE tenant_id='$A' AND hour=7"
pg_dump -h 127.0.0.1 -U postgres --schema-only --no-owner --no-privileges upgrade_src >"$OUT/schema.sql"
pg_dump -h 127.0.0.1 -U postgres --data-only --column-inserts --no-owner --no-privileges upgrade_src >"$OUT/data.sql"
echo "A=$A B=$B C=$C S=$S" >"$OUT/tenants.txt"
