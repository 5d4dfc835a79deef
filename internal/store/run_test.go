package store

import (
	"path/filepath"
	"testing"

	"github.com/google/uuid"
)

// Runs page newest first on SQLite too (the embedded mode), and a run
// started again under its key is the same record.
func TestRunsPageOnSQLite(t *testing.T) {
	s := openSQLite(t, filepath.Join(t.TempDir(), "runs.db"))
	ctx := sysCtx()
	var keys []string
	for _, k := range []string{"r1", "r2", "r3", "r2"} {
		id, err := s.StartRun(ctx, k, "2026-03-04", TriggerCommand, 1, 24)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.StartPass(ctx, id, 1, 24); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, id, RunSucceeded, RunCounts{Stored: 24}); err != nil {
			t.Fatal(err)
		}
	}
	for first, after := 0, (*Run)(nil); first < 3; first++ {
		var from *uuid.UUID
		if after != nil {
			from = &after.ID
		}
		page, more, err := s.Runs(ctx, 2, from, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			keys = append(keys, r.Key)
		}
		if !more {
			break
		}
		after = page[len(page)-1]
	}
	if len(keys) != 3 || keys[0] != "r3" || keys[1] != "r2" || keys[2] != "r1" {
		t.Fatalf("runs newest first: %q", keys)
	}
	runs, _, err := s.Runs(ctx, 10, nil, "2026-03-04")
	if err != nil || len(runs) != 3 {
		t.Fatalf("runs of the day: %d, %v", len(runs), err)
	}
	passes, err := s.RunPasses(ctx, runs[1].ID)
	if err != nil || len(passes) != 1 || passes[0].Chunks != 24 {
		t.Fatalf("passes of a run started twice: %+v, %v", passes, err)
	}
}
