// Package testenv gives tests real backing services: a fresh PostgreSQL
// database, an exclusive Redis logical database and a private or shared MinIO
// server, each torn down when the test ends, and child processes: the
// service binary built once (BuildService) and run as a child (StartChild)
// that dies with the test binary.
//
// It is imported only by tests. The helpers fail the test (never skip it) when
// a service does not answer: run `make test`, which starts PostgreSQL and Redis
// when they are not running and installs the MinIO binary.
//
// Environment:
//
//	TEST_DATABASE_URL  PostgreSQL server URL (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)
//	TEST_REDIS_ADDR    Redis host:port (default 127.0.0.1:6379)
//	MINIO_BIN          MinIO server binary (default $HOME/.cache/dailyreports/bin/minio)
//
// A package that uses SharedMinIO must stop the shared server after its tests:
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
package testenv
