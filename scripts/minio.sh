#!/usr/bin/env bash
# Installs the MinIO server the integration tests run, unless it is already
# there, and prints its path on stdout (messages go to stderr).
#   MINIO_VERSION      module version to build (default below)
#   DAILYREPORTS_CACHE cache root (default ~/.cache/dailyreports); the binary goes to its bin/
set -euo pipefail

version="${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
bindir="${DAILYREPORTS_CACHE:-$HOME/.cache/dailyreports}/bin"
bin="$bindir/minio"

say() { echo "minio.sh: $*" >&2; }

if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -qE "^\s+mod\s+github.com/minio/minio\s+$version(\s|$)"; then
	say "using $bin ($version)"
else
	say "building github.com/minio/minio@$version into $bindir (a cold build takes about 3 minutes)"
	mkdir -p "$bindir"
	start=$SECONDS
	GOBIN="$bindir" GOFLAGS=-buildvcs=false go install "github.com/minio/minio@$version"
	say "built $bin in $((SECONDS - start))s"
fi
echo "$bin"
