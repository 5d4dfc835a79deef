package app

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dailyreports/dailyreports/internal/ops"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// openPostgres opens the database through the store's driver, or lib/pq's
// own when statements are not to be kept prepared, wrapped to trace
// queries when tracing is on.
func (a *App) openPostgres(url string) (*store.Store, error) {
	driver := store.PostgresDriver
	if !a.Config.DatabasePrepared {
		driver = "postgres"
	}
	if a.Config.Tracing {
		var err error
		if driver, err = ops.PostgresDriver(driver); err != nil {
			return nil, err
		}
	}
	return store.OpenPostgresDriver(driver, url, a.Config.DatabaseMaxConns)
}

// observeQueues adds what every process reads from Redis to its metrics:
// asynq's queues and the last finished night. Each process reports the
// same values, so any one of them tells; none contacts Redis before a
// scrape.
func (a *App) observeQueues() {
	inspector := asynq.NewInspector(a.Redis)
	a.closers = append(a.closers, inspector.Close)
	a.Metrics.Registry.MustRegister(&ops.QueueCollector{
		Inspector: inspector, Queues: []string{jobs.QueueControl, jobs.QueueChunks, jobs.QueueWebhooks}, Log: a.Log,
	})
	a.Nightly = &jobs.NightlyLog{Redis: a.redisClient()}
	a.Metrics.Nightly.SetNightlySource(a.Nightly.LastFinished)
}

// flush ends tracing, exporting the spans still buffered, within 5 s.
func flush(shutdown func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return shutdown(ctx)
}

// ObserveReadiness adds the readiness checks of roles to the metrics
// (dailyreports_dependency_up); serve calls it once.
func (a *App) ObserveReadiness(roles []string) {
	a.Metrics.Registry.MustRegister(&ops.ReadinessCollector{Checks: a.readiness(roles)})
}
