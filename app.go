package main

import (
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
