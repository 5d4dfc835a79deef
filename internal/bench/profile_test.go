//go:build bench

package bench_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/dailyreports/dailyreports/internal/app"
	"github.com/dailyreports/dailyreports/internal/config"
	"github.com/dailyreports/dailyreports/internal/logging"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// profile writes CPU and heap profiles of the generate command's code path
// (the whole day, in this process), of the fetch route under wrk load
// (stored zips and JSON) and of ingestion (the NDJSON batches of the
// ingestion figure, posted in turn) into dir. Read them with
// `go tool pprof -top DIR/generate.cpu.pprof`.
func (b *bench) profile(dir string) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	cfg, err := config.FromEnv(func(k string) string { return b.vars[k] })
	if err != nil {
		b.t.Fatal(err)
	}
	// Quiet: wrk cuts requests short at its end, which the service logs.
	a, err := app.Open(cfg, logging.New(os.Stderr, slog.LevelError+4))
	if err != nil {
		b.t.Fatal(err)
	}
	defer a.Close()
	if err := a.Prepare(context.Background(), false); err != nil { // the API answers once the schema is current
		b.t.Fatal(err)
	}
	ctx := viewer.SystemContext(context.Background(), "cli:generate")
	generate := func() {
		r := a.Runner()
		p := jobs.RunPayload{RunID: "profile-" + strconv.FormatInt(time.Now().UnixNano(), 36), Day: b.day.Format("2006-01-02"), Force: true}
		p.Tenants = append(p.Tenants, b.tenant)
		if _, err := r.Run(ctx, p, &jobs.LocalExecutor{Runner: r, Parallel: jobs.DefaultParallel()}); err != nil {
			b.t.Fatal(err)
		}
	}
	generate() // warm
	b.cpuProfile(filepath.Join(dir, "generate.cpu.pprof"), func() {
		for range 3 {
			generate()
		}
	})
	b.heapProfile(filepath.Join(dir, "generate.heap.pprof"))
	b.generated = true

	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	token := b.run("token", "--scope", viewer.ScopeReportsRead, "--tenant", b.tenant.String(), "--ttl", "2h").out
	for _, compressed := range []bool{true, false} {
		var paths []string
		for h := range 24 {
			paths = append(paths, b.routePath(h, compressed))
		}
		name := map[bool]string{true: "fetch-zip", false: "fetch-json"}[compressed]
		b.wrk(srv.URL, paths, 1, "Authorization: Bearer "+token)
		b.cpuProfile(filepath.Join(dir, name+".cpu.pprof"), func() {
			r := b.wrk(srv.URL, paths, 5, "Authorization: Bearer "+token)
			fmt.Fprintf(os.Stderr, "bench: profile %s: %.0f req/s in process\n", name, r.rps)
		})
		b.heapProfile(filepath.Join(dir, name+".heap.pprof"))
	}

	batches, _ := b.ingestData()
	tenant := b.run("tenant", "create", "--name", "bench-profile-ingest", "--enable").out
	write := b.run("token", "--scope", viewer.ScopeConversationsWrite, "--tenant", tenant).out
	b.cpuProfile(filepath.Join(dir, "ingest.cpu.pprof"), func() {
		for _, body := range batches {
			b.post(srv.URL+"/api/external/conversations", write, body)
		}
	})
	b.heapProfile(filepath.Join(dir, "ingest.heap.pprof"))
}

func (b *bench) cpuProfile(path string, fn func()) {
	f, err := os.Create(path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		b.t.Fatal(err)
	}
	fn()
	pprof.StopCPUProfile()
}

func (b *bench) heapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		b.t.Fatal(err)
	}
}
