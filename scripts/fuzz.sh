#!/usr/bin/env bash
# Runs every fuzz target (func FuzzXxx in a package's *_test.go files) for a
# fixed number of executions each; does nothing when there is none.
#
# The budget is a count ("Nx"), not a duration: with a duration, Go's fuzzing
# coordinator can race its own deadline on a loaded machine and fail a target
# with a bare "context deadline exceeded" and no crasher (a known race in
# internal/fuzz; see e.g. ethereum-optimism/optimism#21516). A count has no
# deadline, so only a real finding fails the run, and every machine does the
# same work. Each default below is about five seconds on a 2-core machine.
#   FUZZTIME  overrides the budget of every target (e.g. 2000000x; a duration
#             such as 30s works too, with the race above)
set -euo pipefail
cd "$(dirname "$0")/.."

# budget prints the default execution count for fuzz target $1.
budget() {
	case "$1" in
	FuzzDecode) echo 150000x ;;           # ~30k execs/s (whole and byte-by-byte reads)
	FuzzVerify) echo 100000x ;;           # ~20k execs/s
	FuzzEncoder) echo 20000x ;;           # ~4k execs/s (builds a zip each)
	FuzzParseHourRequest) echo 15000x ;;  # ~3k execs/s
	FuzzRequest) echo 10000x ;;           # ~2-4k execs/s (whole GraphQL requests)
	*) echo 20000x ;;
	esac
}

pkgs=$(grep -rlE --include='*_test.go' --exclude-dir=vendor --exclude-dir=testdata --exclude-dir=.git \
	'^func Fuzz[A-Za-z0-9_]*\(' . | xargs -r -n 1 dirname | sort -u)
if [ -z "$pkgs" ]; then
	echo "fuzz: no fuzz targets"
	exit 0
fi
for pkg in $pkgs; do
	for name in $(grep -hoE '^func Fuzz[A-Za-z0-9_]*' "$pkg"/*_test.go | cut -c 6- | sort -u); do
		fuzztime="${FUZZTIME:-$(budget "$name")}"
		echo "fuzz: $name in $pkg for $fuzztime"
		go test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" "$pkg"
	done
done
