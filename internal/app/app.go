// Package app assembles the service from its configuration: the clients
// every role shares, the HTTP handler of the API role, the worker and the
// scheduler. The binary and the end-to-end tests build it the same way.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dailyreports/dailyreports/internal/access"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/chunk"
	"github.com/dailyreports/dailyreports/internal/config"
	"github.com/dailyreports/dailyreports/internal/embedded"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/ops"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// App holds the shared clients of one process.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	Metrics *metrics.Metrics
	Store   *store.Store
	Blob    *blob.Store
	// Objects is the object store chunk builds use: Blob, unless a test
	// wraps it to inject faults.
	Objects chunk.Objects
	Signer  *auth.Signer
	Redis   asynq.RedisConnOpt
	// Access and Reports are the API's report access checks and server; one
	// per process, so live builds are shared by all its requests.
	Access  *access.Checker
	Reports *chunk.Server
	// Embedded are the dependencies this process runs itself because the
	// configuration names none; its Config is the configuration in effect.
	Embedded *embedded.Services
	// Nightly records the last nightly run that finished, in Redis.
	Nightly *jobs.NightlyLog

	rdb     redis.UniversalClient
	closers []func() error
}

// Open creates the clients of cfg, starting the embedded dependencies cfg
// leaves unset. It contacts no external service: roles wait for their
// dependencies rather than fail, so services may start in any order.
func Open(cfg config.Config, log *slog.Logger) (*App, error) {
	a := &App{Config: cfg, Log: log, Metrics: metrics.New()}
	if cfg.Tracing {
		shutdown, err := ops.StartTracing(context.Background(), log)
		if err != nil {
			return nil, err
		}
		a.closers = append(a.closers, func() error { return flush(shutdown) })
	}
	if err := a.open(); err != nil {
		a.Close()
		return nil, err
	}
	a.observeQueues()
	a.Objects = a.Blob
	a.Access = &access.Checker{Store: a.Store}
	a.Reports = &chunk.Server{Builder: a.Builder(), MaxLivePerTenant: cfg.LiveBuildsPerTenant}
	return a, nil
}

// open opens the clients, first starting the embedded dependencies the
// configuration leaves unset (an SQLite file, in-process Redis and S3).
func (a *App) open() error {
	svc, err := embedded.Start(a.Config, a.Log)
	if err != nil {
		return err
	}
	a.Embedded = svc
	a.closers = append(a.closers, svc.Close)
	cfg := svc.Config
	if svc.SQLitePath != "" {
		a.Store, err = store.OpenSQLite(svc.SQLitePath)
	} else {
		a.Store, err = a.openPostgres(cfg.DatabaseURL)
	}
	if err != nil {
		return err
	}
	a.closers = append(a.closers, a.Store.Close)
	bc := blob.Config{
		Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		Bucket: cfg.S3Bucket, Region: cfg.S3Region, Secure: cfg.S3Secure,
	}
	if svc.S3 != nil {
		bc.UnsignedPayload, bc.NoLifecycle, bc.Transport = true, true, svc.S3.Transport()
	}
	if a.Config.Tracing {
		bc.WrapTransport = ops.ObjectStoreTransport
	}
	if a.Blob, err = blob.New(bc); err != nil {
		return err
	}
	if a.Redis, err = asynq.ParseRedisURI(cfg.RedisURL); err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	a.Signer, err = auth.NewSigner(auth.Config{
		SigningKey: []byte(cfg.SigningKey), Issuer: cfg.AuthIssuer, Audience: cfg.AuthAudience,
	})
	return err
}

// Close releases the clients, last opened first.
func (a *App) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](); err != nil {
			a.Log.Warn("close", "err", err)
		}
	}
	a.closers = nil
}

// Builder returns the chunk builder over the shared clients.
func (a *App) Builder() *chunk.Builder {
	return &chunk.Builder{Store: a.Store, Blob: a.Objects, Metrics: a.Metrics, Log: a.Log}
}

// Runner returns the generation runner over the shared clients.
func (a *App) Runner() *jobs.Runner {
	return &jobs.Runner{Store: a.Store, Builder: a.Builder(), Log: a.Log, PassDelay: a.Config.RetryPassDelay}
}

// Prepare migrates the schema (when migrate) and creates the bucket,
// retrying until both answer or ctx ends.
func (a *App) Prepare(ctx context.Context, migrate bool) error {
	return retry(ctx, a.Log, "prepare storage", func(ctx context.Context) error {
		if migrate {
			if err := a.Store.Migrate(ctx); err != nil {
				return err
			}
		}
		return a.Blob.EnsureBucket(ctx)
	})
}

// redisClient returns the Redis client of health checks and the nightly
// log, created once and closed with the app.
func (a *App) redisClient() redis.UniversalClient {
	if a.rdb == nil {
		a.rdb = a.Redis.MakeRedisClient().(redis.UniversalClient)
		a.closers = append(a.closers, a.rdb.Close)
	}
	return a.rdb
}

// retry calls fn until it succeeds or ctx ends, backing off from 500ms to 10s.
func retry(ctx context.Context, log *slog.Logger, what string, fn func(context.Context) error) error {
	wait := 500 * time.Millisecond
	for {
		err := fn(ctx)
		if err == nil {
			return nil
		}
		log.WarnContext(ctx, what+": retrying", "err", err, "in", wait.String())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 10*time.Second)
	}
}
