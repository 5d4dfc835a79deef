#!/usr/bin/env bash
# Runs every fuzz target (func FuzzXxx in a package's *_test.go files) for a
# short time each; does nothing when there is none.
#   FUZZTIME  time per target (default 5s)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-5s}"

pkgs=$(grep -rlE --include='*_test.go' --exclude-dir=vendor --exclude-dir=testdata --exclude-dir=.git \
	'^func Fuzz[A-Za-z0-9_]*\(' . | xargs -r -n 1 dirname | sort -u)
if [ -z "$pkgs" ]; then
	echo "fuzz: no fuzz targets"
	exit 0
fi
for pkg in $pkgs; do
	for name in $(grep -hoE '^func Fuzz[A-Za-z0-9_]*' "$pkg"/*_test.go | cut -c 6- | sort -u); do
		echo "fuzz: $name in $pkg for $fuzztime"
		go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" "$pkg"
	done
done
