# The one entry point: build, run, test, generate and check dailyreports.
# Every recipe runs in one bash that stops at the first failing command.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:

.PHONY: build run test soak fuzz bench generate migration migration-hash vet lint up down

# A static, stripped binary; the Dockerfile builds with this same target.
build:
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/dailyreports .

# Every role in one process; with nothing configured, on the embedded
# defaults under ./data. Built first (not go run) so that Ctrl-C ends it
# with the server's own exit status.
run:
	go build -o bin/dailyreports .
	exec bin/dailyreports serve

# Every test, race detector on, against real PostgreSQL, Redis and MinIO
# (scripts/test-services.sh makes sure they are there), the one-minute soak
# among them, then each fuzz target for a fixed number of executions
# (scripts/fuzz.sh says why a count).
test:
	. scripts/test-services.sh
	go test -race -count=1 ./...
	scripts/fuzz.sh

# The release soak (internal/soak; README "Soak"): two full serve processes
# under ingestion, 700 zip fetches a second, checked JSON fetches and GraphQL
# queries for 3 minutes, on loopback. It fails on any duplicate object
# version, request error or stale answer, RSS growth over 50 % or goroutines
# over 2x; SOAK_FIGURES=file.json keeps its figures.
soak:
	. scripts/test-services.sh
	SOAK_DURATION=3m SOAK_ZIP_RATE=700 go test -count=1 -timeout 10m -run TestSoak -v ./internal/soak/

fuzz:
	scripts/fuzz.sh

# The performance benchmark: seeds the benchmark dataset into private
# services and prints a table of ratios to baselines measured in the same run
# (internal/bench; README "Performance"). A few minutes.
bench:
	scripts/bench.sh

generate:
	go generate ./...

# The next versioned migration of both dialects, from the difference between
# the migrations and ent/schema (README "Schema and upgrades"):
#   make generate && make migration NAME=add_something
migration:
	go run ./ent/migrate/main.go "$(NAME)"

# Rewrites atlas.sum after editing a migration that was not released yet.
migration-hash:
	go run ./ent/migrate/main.go -hash

vet:
	go vet ./...
	go vet -tags bench ./internal/bench/

lint: vet
	unformatted=$$(gofmt -l .)
	if [ -n "$$unformatted" ]; then echo "gofmt -w needed:"; echo "$$unformatted"; exit 1; fi

up:
	docker compose up -d --build

down:
	docker compose down
