#!/usr/bin/env bash
# Makes sure the services the tests need are there: PostgreSQL answering on
# 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (used if they answer, else
# started, and installed with apt-get if missing), and the MinIO binary, which
# the tests start themselves (internal/testenv). Exports MINIO_BIN.
#
# Source it to export MINIO_BIN into the current shell, or give it a command
# to run with that environment:
#
#   . scripts/test-services.sh
#   scripts/test-services.sh go test -run TestX ./internal/blob/
#
# With TEST_DATABASE_URL or TEST_REDIS_ADDR set, that server is used as it is.

_test_services() (
	set -euo pipefail
	say() { echo "test-services: $*" >&2; }
	answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
	wait_for() { # name host port
		for _ in $(seq 30); do
			answers "$2" "$3" && { say "$1 answers on $2:$3"; return 0; }
			sleep 1
		done
		say "$1 does not answer on $2:$3"
		return 1
	}
	apt_install() {
		local sudo=""
		[ "$(id -u)" = 0 ] || sudo=sudo
		say "installing $* with apt-get"
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
	}

	postgres() {
		if [ -n "${TEST_DATABASE_URL:-}" ]; then say "PostgreSQL: using TEST_DATABASE_URL"; return; fi
		if answers 127.0.0.1 5432; then say "PostgreSQL answers on 127.0.0.1:5432"; return; fi
		if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
			apt_install postgresql
			# The tests connect over TCP as postgres without a password.
			sed -i '1i host all all 127.0.0.1/32 trust' /etc/postgresql/*/main/pg_hba.conf
		fi
		local version
		version=$(ls /etc/postgresql | sort -V | tail -n 1)
		say "starting PostgreSQL $version"
		pg_ctlcluster --skip-systemctl-redirect "$version" main start || say "pg_ctlcluster exited with $?"
		wait_for PostgreSQL 127.0.0.1 5432
	}

	redis() {
		if [ -n "${TEST_REDIS_ADDR:-}" ]; then say "Redis: using TEST_REDIS_ADDR=$TEST_REDIS_ADDR"; return; fi
		if answers 127.0.0.1 6379; then say "Redis answers on 127.0.0.1:6379"; return; fi
		command -v redis-server >/dev/null || apt_install redis-server
		if ! answers 127.0.0.1 6379; then
			say "starting Redis"
			redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
		fi
		wait_for Redis 127.0.0.1 6379
	}

	tools() { # command-line tools some tests use: unzip checks our zips with Info-ZIP;
		# Chromium runs the pages the service serves (internal/browsertest),
		# axe-core checks their accessibility; promtool (Debian's prometheus
		# package) checks the shipped alert rules, their tests and the
		# /metrics exposition (internal/ops); Node.js and npm run the webhook
		# receiver of the tests (internal/testenv, npm ci)
		command -v unzip >/dev/null || apt_install unzip
		{ command -v node >/dev/null && command -v npm >/dev/null; } || apt_install nodejs npm
		command -v curl >/dev/null || apt_install curl
		command -v promtool >/dev/null || apt_install prometheus
		command -v redis-server >/dev/null || apt_install redis-server
		command -v chromium >/dev/null || apt_install chromium
		# axe-core checks the console's pages (internal/console), at the
		# version its lockfile pins, from the npm registry
		command -v npm >/dev/null || apt_install npm
		local axe
		axe="$(dirname "${BASH_SOURCE[0]}")/../internal/console/testdata/axe"
		[ -f "$axe/node_modules/axe-core/axe.min.js" ] ||
			npm ci --prefix "$axe" --no-audit --no-fund --ignore-scripts --loglevel=error
	}

	{ postgres; redis; tools; } >&2
	"$(dirname "${BASH_SOURCE[0]}")/minio.sh"
)

if MINIO_BIN=$(_test_services); then
	export MINIO_BIN
	echo "test-services: MINIO_BIN=$MINIO_BIN" >&2
else
	echo "test-services: the test services are not ready" >&2
	return 1 2>/dev/null || exit 1
fi
unset -f _test_services

# Run as a command with arguments: run them with the environment.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
	exec "$@"
fi
