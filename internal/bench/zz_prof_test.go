//go:build bench

package bench_test

import (
	"context"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/config"
	"github.com/dailyreports/dailyreports/internal/logging"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

func TestZZProf(t *testing.T) {
	cfg, _ := config.FromEnv(os.Getenv)
	a, err := app.Open(cfg, logging.New(os.Stderr, slog.LevelWarn))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := viewer.SystemContext(context.Background(), "cli:generate")
	tenant := uuid.MustParse(os.Getenv("ZZ_TENANT"))
	gen := func() time.Duration {
		start := time.Now()
		r := a.Runner()
		p := jobs.RunPayload{RunID: "zz-" + strconv.FormatInt(time.Now().UnixNano(), 36), Day: "2026-11-28", Force: true, Tenants: []uuid.UUID{tenant}}
		if _, err := r.Run(ctx, p, &jobs.LocalExecutor{Runner: r, Parallel: jobs.DefaultParallel()}); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	gen()
	f, _ := os.Create("/tmp/gx/gen.cpu")
	pprof.StartCPUProfile(f)
	for i := 0; i < 10; i++ {
		gen()
	}
	pprof.StopCPUProfile()
	f.Close()
}
