package main

import (
	"context"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/config"
	"github.com/dailyreports/dailyreports/internal/logging"
)

// openApp reads the configuration from the command's environment and opens
// the service's clients.
func openApp(e env) (*app.App, error) {
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return nil, err
	}
	return app.Open(cfg, logging.New(e.stderr, cfg.LogLevel))
}

// openMigrated opens the service's clients as openApp does and applies the
// database schema; it returns the app and ctx as the service acting for the
// command what (e.g. "cli:seed"). The caller closes the app.
func openMigrated(ctx context.Context, e env, what string) (*app.App, context.Context, error) {
	a, err := openApp(e)
	if err != nil {
		return nil, nil, err
	}
	ctx = systemCtx(ctx, what)
	if err := a.Store.Migrate(ctx); err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, ctx, nil
}
