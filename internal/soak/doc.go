// Package soak runs the service as an operator measures it before a
// release, for a bounded time on loopback: two full serve processes (roles
// api, worker and scheduler) on one PostgreSQL database, Redis database and
// versioned MinIO bucket, scheduled runs every 20 seconds, 30 tenants, and
// at the same time ingestion of late updates and new conversations into the
// previous UTC day, REST fetches of hourly zips, JSON fetches (REST and
// GraphQL inline) that check every acknowledged conversation is in the
// answer, and GraphQL dailyReport queries.
//
// TestSoak fails on any duplicate object version (one key and data version
// stored twice), any request error, any stale answer, RSS growth of a serve
// process over 50 % or its goroutines more than doubling; it prints its
// figures and writes them as JSON to $SOAK_FIGURES when set. SOAK_DURATION
// sets its length (60s by default, `make soak` runs 3m), SOAK_ZIP_RATE the
// zip fetches a second (200 by default). The package holds tests only.
package soak
