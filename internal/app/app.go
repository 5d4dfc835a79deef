// Package app assembles the service from its configuration: the clients
// every role shares, the HTTP handler of the API role, the worker and the
// scheduler. The binary and the end-to-end tests build it the same way.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/config"
	"github.com/dailyreports/dailyreports/internal/embedded"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/ops"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/store/migration"
	"github.com/dailyreports/dailyreports/internal/webhooks"
	"github.com/dailyreports/dailyreports/jobs"
)

// App holds the shared clients of one process.
type App struct {
	Config  config.Config
	Log     *slog.Logger
	Metrics *metrics.Metrics
	Store   *store.Store
	Blob    *blob.Store
	// Objects is the object store report builds use: Blob, unless a test
	// wraps it to inject faults.
	Objects reports.Objects
	Signer  *auth.Signer
	Redis   asynq.RedisConnOpt
	// Reports serves reports to REST and GraphQL; one per process, so live
	// builds are shared by all its requests.
	Reports *reports.Service
	// Webhooks registers webhooks, raises their events and delivers them.
	Webhooks *webhooks.Service
	// Embedded are the dependencies this process runs itself because the
	// configuration names none; its Config is the configuration in effect.
	Embedded *embedded.Services
	// Clock is the time the service runs at: report access, the REST and
	// GraphQL report services, ingestion's time checks, builds and jobs
	// read it. Nil means the system clock; tests set it (before serving) to
	// run on a day of their choosing.
	Clock func() time.Time
	// Nightly records the last nightly run that finished, in Redis.
	Nightly *jobs.NightlyLog

	// prepared is set once Prepare has seen the schema current; until then
	// the API answers 503 and /readyz the database unavailable.
	prepared atomic.Bool
	rdb      redis.UniversalClient
	closers  []func() error
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
	a.Store.SetLogger(log)
	if err := a.openWebhooks(); err != nil {
		a.Close()
		return nil, err
	}
	a.Reports = &reports.Service{
		Store: a.Store, Tenants: &reports.Tenants{Store: a.Store, Now: a.now}, Builder: a.Builder(),
		Objects: a.Blob, PresignTTL: cfg.PresignTTL, MaxLivePerTenant: cfg.LiveBuildsPerTenant, LiveWait: cfg.LiveWait, Now: a.now,
		Purge: a.Blob, Erasures: func(n int) { a.Webhooks.Metrics.Erasures.Add(float64(n)) },
	}
	return a, nil
}

// openWebhooks assembles the webhook service: secrets sealed under a key
// derived from WEBHOOK_SECRET_KEY, else from the signing key in effect;
// attempts queued on asynq (the client connects on first use).
func (a *App) openWebhooks() error {
	cfg := a.Embedded.Config
	material := cfg.Webhooks.SecretKey
	if material == "" {
		material = cfg.SigningKey
	}
	sealer, err := webhooks.NewSealer([]byte(material))
	if err != nil {
		return fmt.Errorf("WEBHOOK_SECRET_KEY: %w", err)
	}
	queue := asynq.NewClient(a.Redis)
	a.closers = append(a.closers, queue.Close)
	a.Webhooks = &webhooks.Service{
		Store: a.Store, Sealer: sealer, Queue: &jobs.WebhookQueue{Client: queue},
		PublicURL: cfg.PublicURL, RetryDelays: cfg.Webhooks.RetryDelays, AllowPrivate: cfg.Webhooks.AllowPrivate,
		Metrics: metrics.NewWebhooks(a.Metrics.Registry), Log: a.Log, Now: a.now,
	}
	return nil
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
		// Links are served by the API listener (Handler), at PUBLIC_URL.
		bc.LinkBase = cfg.PublicURL + embedded.LinksPath
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
func (a *App) Builder() *reports.Builder {
	return &reports.Builder{Store: a.Store, Blob: a.Objects, Metrics: a.Metrics, Log: a.Log, Now: a.now, Events: a.Webhooks}
}

// now reads the app's clock.
func (a *App) now() time.Time {
	if a.Clock != nil {
		return a.Clock()
	}
	return time.Now()
}

// Runner returns the generation runner over the shared clients.
func (a *App) Runner() *jobs.Runner {
	return &jobs.Runner{Store: a.Store, Builder: a.Builder(), Log: a.Log, PassDelay: a.Config.RetryPassDelay, Events: a.Webhooks}
}

// Prepare readies the storage, retrying until it answers or ctx ends: with
// migrate it applies the pending migrations (under the migration lock, so
// several processes may start at once), without it waits until another
// process has brought the schema to this binary's version, logging why it
// waits; then it creates the bucket. A schema newer than this binary, not
// one of dailyreports, or in a state it does not know, is not retried:
// Prepare returns the error.
func (a *App) Prepare(ctx context.Context, migrate bool) error {
	err := retry(ctx, a.Log, "prepare storage", func(ctx context.Context) error {
		check := a.Store.CheckSchema
		if migrate {
			check = a.Store.Migrate
		}
		if err := check(ctx); err != nil {
			if errors.Is(err, migration.ErrNewer) || errors.Is(err, migration.ErrForeign) || errors.Is(err, migration.ErrUnknown) {
				return permanent{err}
			}
			return err
		}
		return a.Blob.EnsureBucket(ctx)
	})
	if err == nil {
		a.prepared.Store(true)
	}
	return err
}

// databaseReady is the readiness check of the database: it answers, and
// Prepare has seen its schema current (until then /readyz says the
// database is unavailable, and logs why).
func (a *App) databaseReady(ctx context.Context) error {
	if !a.prepared.Load() {
		return errors.New("database schema not ready: migrating, or waiting for `dailyreports migrate`")
	}
	return a.Store.Ping(ctx)
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

// permanent marks an error retry must not retry.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// retry calls fn until it succeeds, fails permanently or ctx ends, backing
// off from 500ms to 10s.
func retry(ctx context.Context, log *slog.Logger, what string, fn func(context.Context) error) error {
	wait := 500 * time.Millisecond
	for {
		err := fn(ctx)
		var p permanent
		switch {
		case err == nil:
			return nil
		case errors.As(err, &p):
			return p.error
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
