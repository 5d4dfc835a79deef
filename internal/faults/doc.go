// Package faults proves, against real processes, that report generation
// loses nothing and doubles nothing when its parts fail: a worker killed
// with SIGKILL or stopped with SIGTERM mid-run, MinIO down for one pass or
// for a whole run, Redis restarted without persistence, several schedulers
// and workers racing, and a scheduler that was down when the night came.
//
// The tests build the service binary once and run its roles as child
// processes (dailyreports serve --roles …) on a fresh PostgreSQL database,
// a MinIO server of their own (with bucket versioning on, so every upload
// can be counted) and an exclusive Redis database, or a redis-server of
// their own where they restart it. Children die with the test binary
// (Pdeathsig); their logs go to the test's temporary directory and their
// tails are printed when a test fails. The package holds tests only.
package faults
