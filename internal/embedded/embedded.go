// Package embedded runs the service's dependencies inside the process when
// the configuration names none (README, Configuration): an SQLite file instead of
// PostgreSQL, an in-process Redis (miniredis) instead of Redis, and an
// in-process S3 server (gofakes3 over the filesystem) instead of MinIO, all
// kept under DATA_DIR. The service reaches them through the same clients as
// the real ones: ent, asynq over go-redis, and minio-go.
//
// What differs from the real services, and how it is handled:
//   - SQLite allows one writer at a time: write transactions take the lock
//     when they begin and wait for it (internal/store.OpenSQLite).
//   - miniredis keeps everything in memory and expires keys only when told
//     time has passed: a ticker tells it the real elapsed time. Its data does
//     not survive a restart; only queued work lives there, and the database
//     says what is missing, so the reconcile rebuilds it.
//   - gofakes3 stores aws-chunked upload framing as data over plain HTTP, so
//     uploads are sent unsigned; it has no lifecycle API and checks no
//     signatures, so lifecycle rules are skipped and a small front checks the
//     access key and the expiry of presigned links.
package embedded

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/dailyreports/dailyreports/internal/config"
)

// DatabaseFile is the name of the SQLite database under DATA_DIR.
const DatabaseFile = "dailyreports.db"

// Services are the embedded dependencies of one process.
type Services struct {
	// Config is the configuration with every embedded dependency filled in:
	// REDIS_URL, S3_ENDPOINT and its credentials, AUTH_SIGNING_KEY.
	Config config.Config
	// SQLitePath is the database file when DATABASE_URL is unset, else "".
	SQLitePath string
	// Redis and S3 are the servers started here, nil when configured.
	Redis *Redis
	S3    *S3
	// KeyGenerated reports whether the signing key was created by this start.
	KeyGenerated bool

	closers []func() error
}

// Start starts the embedded dependencies cfg leaves unset, with their files
// under cfg.DataDir. With every dependency configured it starts nothing.
func Start(cfg config.Config, log *slog.Logger) (svc *Services, err error) {
	svc = &Services{Config: cfg}
	if !cfg.Embedded() {
		return svc, nil
	}
	defer func() {
		if err != nil {
			_ = svc.Close()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded: data dir: %w", err)
	}
	if cfg.DatabaseURL == "" {
		svc.SQLitePath = filepath.Join(cfg.DataDir, DatabaseFile)
		if cfg.SigningKey == "" {
			key, created, err := SigningKey(cfg.DataDir)
			if err != nil {
				return nil, err
			}
			svc.Config.SigningKey, svc.KeyGenerated = key, created
		}
	}
	if cfg.RedisURL == "" {
		if svc.Redis, err = StartRedis(log); err != nil {
			return nil, err
		}
		svc.closers = append(svc.closers, svc.Redis.Close)
		svc.Config.RedisURL = svc.Redis.URL()
	}
	if cfg.S3Endpoint == "" {
		if svc.S3, err = StartS3(filepath.Join(cfg.DataDir, "objects"), log); err != nil {
			return nil, err
		}
		svc.closers = append(svc.closers, svc.S3.Close)
		svc.Config.S3Endpoint = svc.S3.Endpoint()
		svc.Config.S3AccessKey, svc.Config.S3SecretKey = svc.S3.AccessKey, svc.S3.SecretKey
		svc.Config.S3Secure = false
	}
	return svc, nil
}

// Close stops the servers, last started first.
func (s *Services) Close() error {
	var errs []error
	for i := len(s.closers) - 1; i >= 0; i-- {
		errs = append(errs, s.closers[i]())
	}
	s.closers = nil
	return errors.Join(errs...)
}
