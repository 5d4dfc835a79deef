package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// ClaimBuild gives one build per hour and data version, on PostgreSQL and
// SQLite, under the tenant rule: a second claim of the same version waits
// (it is told which version is built until when), a newer version takes
// the claim over, a lapsed claim is taken up, a stored report of the
// version refuses every claim but an overwrite, and recording the report
// releases the claim of the build that recorded it only.
func TestClaimBuild(t *testing.T) {
	for name, s := range freshStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx, ref := chunkOfATenant(t, s)
			claim := func(v int64, token string, lease time.Duration, overwrite bool) BuildClaimed {
				t.Helper()
				got, err := s.ClaimBuild(ctx, ref, BuildClaim{Version: v, Token: token, Lease: lease, Overwrite: overwrite})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			// The row does not exist yet: the claim creates it.
			if got := claim(0, "a", time.Minute, false); !got.Won {
				t.Fatalf("first claim: %+v", got)
			}
			got := claim(0, "b", time.Minute, false)
			if got.Won || got.Stored || got.Version != 0 || time.Until(got.Until) < 50*time.Second {
				t.Fatalf("same version, another build: %+v, want refused until a minute from now", got)
			}
			if got := claim(0, "a", time.Minute, false); !got.Won {
				t.Fatalf("the holder again: %+v", got)
			}
			st, err := s.Chunk(ctx, ref)
			if err != nil || st.Lease == nil || st.Lease.Owner != "a" || !st.Lease.Held(time.Now()) {
				t.Fatalf("row: %+v, %v", st, err)
			}
			// Newer data takes the claim over; the older build finds out.
			if err := s.bump(ref); err != nil {
				t.Fatal(err)
			}
			if got := claim(1, "c", time.Minute, false); !got.Won {
				t.Fatalf("newer version: %+v", got)
			}
			if ok, err := s.RenewBuild(ctx, ref, "a", time.Minute); ok || err != nil {
				t.Fatalf("renew of the claim taken over: %v, %v", ok, err)
			}
			if got := claim(0, "a", time.Minute, false); got.Won || got.Version != 1 {
				t.Fatalf("older version over a newer claim: %+v", got)
			}
			// The older build's record does not release the newer claim.
			if _, err := s.MarkStored(ctx, ref, Stored{BuiltVersion: 0, SHA256: "old", GeneratedAt: time.Now(), Token: "a"}, nil); err != nil {
				t.Fatal(err)
			}
			if st, _ := s.Chunk(ctx, ref); st.Lease == nil || st.Lease.Owner != "c" {
				t.Fatalf("after the older record the claim is %+v, want c's", st.Lease)
			}
			// The holder's record releases its claim; then the stored
			// version refuses a claim, but not an overwrite.
			if _, err := s.MarkStored(ctx, ref, Stored{BuiltVersion: 1, SHA256: "new", GeneratedAt: time.Now(), Token: "c"}, nil); err != nil {
				t.Fatal(err)
			}
			if st, _ := s.Chunk(ctx, ref); st.Lease != nil || !st.StoredFrom(1) {
				t.Fatalf("after the record: lease %+v, stored from 1 %v", st.Lease, st.StoredFrom(1))
			}
			if got := claim(1, "d", time.Minute, false); got.Won || !got.Stored || got.Version != 1 {
				t.Fatalf("claim of a stored version: %+v", got)
			}
			// (d's lease has lapsed already: its worker is gone.)
			if got := claim(1, "d", -time.Second, true); !got.Won {
				t.Fatalf("overwrite: %+v", got)
			}
			// A lapsed claim is taken up; a released one is free.
			if got := claim(1, "e", time.Minute, true); !got.Won {
				t.Fatalf("claim after the lease lapsed: %+v", got)
			}
			if err := s.ReleaseBuild(ctx, ref, "d"); err != nil {
				t.Fatal(err)
			}
			if st, _ := s.Chunk(ctx, ref); st.Lease == nil || st.Lease.Owner != "e" {
				t.Fatalf("a release by a build that lost the claim dropped it: %+v", st.Lease)
			}
			if err := s.ReleaseBuild(ctx, ref, "e"); err != nil {
				t.Fatal(err)
			}
			if st, _ := s.Chunk(ctx, ref); st.Lease != nil {
				t.Fatalf("released claim still recorded: %+v", st.Lease)
			}
			// Another tenant cannot claim (the row is not its own).
			other := viewer.TenantContext(context.Background(), "test", uuid.New())
			if got, err := s.ClaimBuild(other, ref, BuildClaim{Version: 9, Token: "x", Lease: time.Minute}); err == nil && got.Won {
				t.Fatalf("another tenant claimed: %+v", got)
			}
		})
	}
}

// A claim whose build began its upload is not taken over by newer data
// until that upload is recorded (or the lease lapses), so the uploads of
// one hour never overlap and the newest one lands last; and a run's attempt
// does not start over a report another build stored of the chunk's data
// since the run claimed it, which would let the run build it again.
func TestUploadsOfAnHourDoNotOverlap(t *testing.T) {
	for name, s := range freshStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx, ref := chunkOfATenant(t, s)
			claim := func(v int64, token string) BuildClaimed {
				t.Helper()
				got, err := s.ClaimBuild(ctx, ref, BuildClaim{Version: v, Token: token, Lease: time.Minute})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			if !claim(0, "a").Won {
				t.Fatal("first claim refused")
			}
			if ok, err := s.StartUpload(ctx, ref, "a", time.Minute); !ok || err != nil {
				t.Fatalf("start upload: %v %v", ok, err)
			}
			if err := s.bump(ref); err != nil {
				t.Fatal(err)
			}
			if got := claim(1, "b"); got.Won || got.Version != 0 {
				t.Fatalf("newer data during the upload: %+v, want refused by version 0's claim", got)
			}
			if st, _ := s.Chunk(ctx, ref); st.Lease == nil || !st.Lease.Uploading {
				t.Fatalf("lease %+v, want uploading", st.Lease)
			}
			if _, err := s.MarkStored(ctx, ref, Stored{BuiltVersion: 0, SHA256: "old", GeneratedAt: time.Now(), Token: "a"}, nil); err != nil {
				t.Fatal(err)
			}
			if got := claim(1, "b"); !got.Won {
				t.Fatalf("newer data once the upload is recorded: %+v", got)
			}
			if st, _ := s.Chunk(ctx, ref); st.Lease == nil || st.Lease.Uploading {
				t.Fatalf("a new claim is not uploading: %+v", st.Lease)
			}

			// A run claims the day; a live build stores the hour's data; the
			// run's attempt then has nothing to do.
			if _, err := s.Claim(sysCtx(), "run-1", []uuid.UUID{ref.TenantID}, ref.Hour, []int{7}, false, time.Hour); err != nil {
				t.Fatal(err)
			}
			if _, err := s.MarkStored(ctx, ref, Stored{BuiltVersion: 1, SHA256: "new", GeneratedAt: time.Now(), Token: "b"}, nil); err != nil {
				t.Fatal(err)
			}
			if ok, err := s.StartAttempt(ctx, ref, "run-1", 1); ok || err != nil {
				t.Fatalf("attempt over a fresh report: %v %v, want no attempt", ok, err)
			}
			if st, _ := s.Chunk(ctx, ref); !st.Stored() || !st.StoredFrom(1) {
				t.Fatalf("the live build's record was undone: %+v", st)
			}
		})
	}
}

// TestClaimBuildTakesAClaimWithoutExpiry checks that a row naming a build
// but no expiry (left by a hand edit, say) does not refuse every claim: a
// claim without a lease holds nothing.
func TestClaimBuildTakesAClaimWithoutExpiry(t *testing.T) {
	for name, s := range freshStores(t) {
		t.Run(name, func(t *testing.T) {
			ctx, ref := chunkOfATenant(t, s)
			if got, err := s.ClaimBuild(ctx, ref, BuildClaim{Version: 0, Token: "a", Lease: time.Minute}); err != nil || !got.Won {
				t.Fatalf("first claim: %+v, %v", got, err)
			}
			if _, err := s.client.ReportChunk.Update().Where(chunkWhere(ref)...).ClearBuildExpiresAt().Save(ctx); err != nil {
				t.Fatal(err)
			}
			if got, err := s.ClaimBuild(ctx, ref, BuildClaim{Version: 0, Token: "b", Lease: time.Minute}); err != nil || !got.Won {
				t.Fatalf("claim over an owner without expiry: %+v, %v", got, err)
			}
		})
	}
}

// chunkOfATenant migrates s, creates a tenant and returns its context and
// one of its chunks.
func chunkOfATenant(t *testing.T, s *Store) (context.Context, ChunkRef) {
	t.Helper()
	if err := s.Migrate(sysCtx()); err != nil {
		t.Fatal(err)
	}
	tn, err := s.CreateTenant(sysCtx(), "acme", TenantSettings{Enabled: true, RetentionMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := viewer.TenantContext(context.Background(), "test", tn.ID)
	return ctx, ChunkRef{TenantID: tn.ID, Hour: document.NewHour(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 7)}
}
