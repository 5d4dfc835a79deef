package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// cmdGenerate builds and stores a day's reports now, through the nightly
// job's code path, and fails when chunks still fail after the retry passes.
func cmdGenerate(ctx context.Context, args []string, e env) error {
	fs := newFlags("generate", e)
	dayFlag := fs.String("day", "", "UTC day, YYYY-MM-DD")
	tenant := fs.String("tenant", "", "only this tenant (default: every enabled tenant)")
	hour := fs.Int("hour", -1, "only this hour, 0 to 23")
	if err := fs.Parse(args); err != nil {
		return errSilent
	}
	day, err := parseDay(*dayFlag)
	if err != nil {
		return err
	}
	p := jobs.RunPayload{RunID: runID("generate"), Day: day.Format("2006-01-02"), Force: true, Trigger: jobs.TriggerCommand}
	if *tenant != "" {
		id, err := uuid.Parse(*tenant)
		if err != nil {
			return fmt.Errorf("--tenant: %w", err)
		}
		p.Tenants = []uuid.UUID{id}
	}
	if *hour != -1 {
		if *hour < 0 || *hour > 23 {
			return fmt.Errorf("--hour must be 0 to 23")
		}
		p.Hours = []int{*hour}
	}
	if e.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(commandGCPercent))
	}
	a, err := openApp(e)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx = systemCtx(ctx, "cli:generate")
	conns := a.Store.LimitConns(commandConns())
	// While the schema is checked on one connection, the others open and
	// the bucket is checked.
	go a.Store.Warm(ctx, conns-1)
	bucket := make(chan error, 1)
	go func() { bucket <- a.Blob.EnsureBucket(ctx) }()
	if err := a.Store.Migrate(ctx); err != nil {
		return err
	}
	if err := <-bucket; err != nil {
		// Not fatal: the chunks fail, are retried, and are reported below.
		a.Log.Warn("object storage not ready", "err", err)
	}
	parallel := jobs.DefaultParallel()
	total, err := chunkCount(ctx, a.Store, p)
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, total, a.Log)
	exec := &jobs.LocalExecutor{Runner: a.Runner(), Parallel: parallel, OnChunk: prog.chunk}
	sum, err := a.Runner().Run(ctx, p, exec)
	prog.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "chunks %d, stored %d, failed %d, conversations %d, messages %d, bytes %d, time %s\n",
		sum.Chunks, sum.Stored, len(sum.Failed), sum.Conversations, sum.Messages, sum.Bytes, sum.Elapsed.Round(time.Millisecond))
	if len(sum.Failed) > 0 {
		for _, f := range sum.Failed {
			fmt.Fprintf(e.stderr, "failed: tenant %s hour %s\n", f.TenantID, f.Hour)
		}
		return errSilent
	}
	return nil
}

// chunkCount is the number of chunks run p covers: its hours of each of its
// tenants, or of every enabled tenant.
func chunkCount(ctx context.Context, s *store.Store, p jobs.RunPayload) (int, error) {
	tenants := len(p.Tenants)
	if tenants == 0 {
		ids, err := s.EnabledTenants(ctx)
		if err != nil {
			return 0, err
		}
		tenants = len(ids)
	}
	hours := len(p.Hours)
	if hours == 0 {
		hours = 24
	}
	return tenants * hours, nil
}

// commandConns bounds the database connections of the generate command
// (DATABASE_MAX_CONNS when lower): one per core and one more. Each build
// holds its connection while the hour streams through its deflater, which
// this machine's cores bound, and each connection costs the database a
// process start; more only contend, and the command's builds (DefaultParallel)
// share these, so uploads and the builds' short statements still overlap.
// On two cores, 3 connections instead of 9 take a day's run from 210 to
// 186 ms (median of 30 interleaved runs).
func commandConns() int { return runtime.NumCPU() + 1 }

// commandGCPercent is the garbage collector's target of the generate
// command when GOGC is unset: a collection when the heap is four times what
// is live rather than twice. What is live is the builds' buffers (about
// 11 MB for eight), so the heap stays small; on a day of 7,200
// conversations the collections go from 7-8 (27-43 ms of the collector's
// CPU) to 2 (10-17 ms), and the peak RSS from 69 to 82 MiB.
const commandGCPercent = 300
