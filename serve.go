package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/rest"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// cmdServe runs the given roles in one process until SIGTERM, then shuts
// them down in order: HTTP drained, worker and scheduler stopped, clients
// closed.
func cmdServe(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	rolesFlag := fs.String("roles", "api,worker,scheduler", "comma-separated roles: api, worker, scheduler")
	noMigrate := fs.Bool("no-migrate", false, "do not migrate the database: wait, unready, until its schema is current")
	noDemo := fs.Bool("no-demo", false, "on a fresh embedded database, do not create the demo tenant")
	if err := fs.Parse(args); err != nil {
		return errSilent
	}
	roles, err := parseRoles(*rolesFlag)
	if err != nil {
		return err
	}
	a, err := openApp(e)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Log.Info("starting", "roles", roles, "config", a.Config)
	setMemoryLimit(a)
	return serve(ctx, a, roles, serveOptions{migrate: !*noMigrate, demo: !*noDemo, stdout: e.stdout})
}

// serveOptions are the choices of one serve command.
type serveOptions struct {
	migrate bool
	// demo welcomes a newcomer on the embedded database: the demo tenant on
	// first start, then the banner with ready-to-paste requests.
	demo   bool
	stdout io.Writer
}

func parseRoles(s string) ([]string, error) {
	var roles []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		if !slices.Contains([]string{"api", "worker", "scheduler"}, r) {
			return nil, fmt.Errorf("unknown role %q (want api, worker or scheduler)", r)
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	return roles, nil
}

// serve starts the roles and blocks until ctx ends or a role fails. A
// process without the API role still listens on HTTP_ADDR, for its health,
// readiness and metrics. With OPS_ADDR set, a second listener serves the
// metrics and probes there, and stops last.
func serve(ctx context.Context, a *app.App, roles []string, o serveOptions) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	prepared := make(chan error, 1)
	go func() { prepared <- a.Prepare(ctx, o.migrate) }()

	var stops []func(context.Context)
	fail := make(chan error, 3)
	api := slices.Contains(roles, "api")
	a.ObserveReadiness(roles)
	if a.Config.OpsAddr != "" {
		stop, _, err := startHTTP(a, "ops", a.Config.OpsAddr, a.OpsHandler(roles), fail)
		if err != nil {
			return err
		}
		defer stopNow(stop)
	}
	handler := a.ProbeHandler(roles)
	if api {
		handler = a.Handler()
	}
	stop, addr, err := startHTTP(a, "http", a.Config.HTTPAddr, handler, fail)
	if err != nil {
		return err
	}
	stops = append(stops, stop)
	// The worker and scheduler start, and the API answers, once the schema
	// is current and the bucket exists.
	select {
	case err := <-prepared:
		if err != nil {
			if ctx.Err() != nil {
				err = nil // stopped while waiting
			}
			return shutdown(a, stops, err)
		}
	case err := <-fail:
		return shutdown(a, stops, err)
	}
	if slices.Contains(roles, "worker") {
		stop, err := a.StartWorker()
		if err != nil {
			return shutdown(a, stops, err)
		}
		stops = append(stops, func(context.Context) { stop() })
	}
	if slices.Contains(roles, "scheduler") {
		stop, err := a.StartScheduler()
		if err != nil {
			return shutdown(a, stops, err)
		}
		stops = append(stops, func(context.Context) { stop() })
	}
	a.Log.Info("ready", "roles", roles)
	if o.demo && api && a.Embedded.SQLitePath != "" {
		if err := welcome(ctx, a, addr, o.stdout); err != nil && ctx.Err() == nil {
			a.Log.Warn("demo data and banner", "err", err)
		}
	}
	select {
	case <-ctx.Done():
		return shutdown(a, stops, nil)
	case err := <-fail:
		return shutdown(a, stops, err)
	}
}

// shutdown stops the roles in the order they started (HTTP first) and
// returns cause.
func shutdown(a *app.App, stops []func(context.Context), cause error) error {
	a.Log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout+5*time.Second)
	defer cancel()
	for _, stop := range stops {
		stop(ctx)
	}
	a.Log.Info("stopped")
	return cause
}

// setMemoryLimit gives the Go runtime the configured soft memory limit
// unless GOMEMLIMIT, which the runtime has read itself, is set.
func setMemoryLimit(a *app.App) {
	if os.Getenv("GOMEMLIMIT") != "" {
		a.Log.Info("memory limit from GOMEMLIMIT", "bytes", debug.SetMemoryLimit(-1))
		return
	}
	debug.SetMemoryLimit(a.Config.MemoryLimit)
}

// startHTTP listens on addr and serves h; it returns the stop function
// and the address it listens on. name ("http", "ops") names the listener
// in logs and errors.
func startHTTP(a *app.App, name, addr string, h http.Handler, fail chan<- error) (func(context.Context), net.Addr, error) {
	srv := rest.NewServer(h, rest.DefaultServerOptions())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen %s: %w", addr, err)
	}
	a.Log.Info(name+" listening", "addr", ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fail <- fmt.Errorf("%s: %w", name, err)
		}
	}()
	return func(ctx context.Context) {
		if err := srv.Shutdown(ctx); err != nil {
			a.Log.Warn(name+" shutdown", "err", err)
			_ = srv.Close()
		}
	}, ln.Addr(), nil
}

// stopNow stops a listener within a few seconds.
func stopNow(stop func(context.Context)) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stop(ctx)
}

// systemCtx is the context commands run in: the service acting for itself.
func systemCtx(ctx context.Context, what string) context.Context {
	return viewer.SystemContext(ctx, what)
}
