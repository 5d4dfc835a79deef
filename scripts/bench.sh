#!/usr/bin/env bash
# Runs the performance benchmark (internal/bench, see its package doc) and
# prints its table: every figure a ratio to a baseline measured in the same
# run. Starts PostgreSQL and Redis when needed (scripts/test-services.sh),
# installs wrk and the PostgreSQL client from Debian's packages when missing;
# the benchmark starts a MinIO server of its own.
#
#   scripts/bench.sh                      # the whole run, a few minutes
#   BENCH_ONLY=serve,live scripts/bench.sh
#   BENCH_PROFILE=/tmp/prof scripts/bench.sh   # also write pprof profiles
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "bench: installing ${missing[*]} with apt-get" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

. scripts/test-services.sh
go test -tags bench -count=1 -timeout 30m -run '^TestBench$' ./internal/bench/ -v 2>&1 |
	grep --line-buffered -v '^{' # the services' JSON logs (warnings of requests cut short at the end of wrk runs)
