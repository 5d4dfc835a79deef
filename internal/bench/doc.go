// Package bench is the performance harness behind `make bench`. Its files
// build only with the bench tag (`go test -tags bench`), so `make test` never
// sees it. Its test
// TestBench starts private services (a fresh PostgreSQL database, a Redis
// database, a MinIO server), builds the real binary, seeds the benchmark
// dataset with `seed`, then measures generation, memory, serving, the live
// fallback, a night of many tenants and ingestion, each against a baseline
// measured in the same run, and prints a table of ratios.
//
// Every figure is a ratio because absolute times on a shared machine are
// noise: each measurement is repeated (BENCH_REPS, default 3), interleaved
// with its baseline, and the median ratio is reported.
//
// Environment:
//
//	BENCH_REPS                repetitions of each paired measurement (default 3)
//	BENCH_WRK_SECONDS         duration of each wrk run (default 4)
//	BENCH_SCALE_TENANTS       tenants of the night (default 1000)
//	BENCH_SCALE_COMPARE       tenants of the 1-vs-2-worker comparison (default 100)
//	BENCH_PROFILE=DIR         also write CPU and heap profiles of generate and
//	                          of the fetch route under load into DIR
//	BENCH_ONLY                comma-separated phases to run (gen,rss,serve,live,scale,ingest,graphql,ingestmem)
//	BENCH_TRACING=1           run the service with tracing on: every span
//	                          sampled and exported over OTLP/HTTP to a
//	                          receiver in the test process
//
// It needs psql, gzip and wrk (scripts/bench.sh installs wrk when missing).
package bench
