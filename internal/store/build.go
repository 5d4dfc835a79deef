package store

import (
	"context"
	"fmt"
	"time"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/ent/reportchunk"
)

// BuildClaim asks for the claim of one build of a chunk: one build per
// hour and data version across every process.
type BuildClaim struct {
	// Version is the data version the build reads.
	Version int64
	// Token names the build: random, one per build.
	Token string
	// Lease is how long the claim holds unless renewed.
	Lease time.Duration
	// Overwrite claims even when a report of Version or newer data is
	// stored: a build that must upload again (after an erasure's purge, or
	// over an older upload that overwrote a newer report).
	Overwrite bool
}

// BuildClaimed is the answer to ClaimBuild.
type BuildClaimed struct {
	// Won is set when the build holds the claim.
	Won bool
	// Stored is set when the claim was refused because the chunk records
	// a report stored from Version or newer data (Version says which).
	Stored bool
	// Version and Until describe what refused the claim: the stored
	// report's version, or another build's claim and when its lease lapses.
	Version int64
	Until   time.Time
}

// Lease is a build's claim on a chunk as its row records it.
type Lease struct {
	Owner   string
	Version int64
	Expires time.Time
	// Uploading is set once the build began its upload (StartUpload).
	Uploading bool
}

// Held reports whether the lease still holds at now.
func (l *Lease) Held(now time.Time) bool { return l != nil && now.Before(l.Expires) }

// ClaimBuild claims ref's build of c.Version for c.Token, in one
// conditional statement in the common case. It is refused while the chunk
// records a report stored from c.Version or newer data (unless Overwrite),
// and while another build's unexpired claim names c.Version or a newer
// version, or is uploading; a claim of an older version is taken over once
// its upload, if any, has ended. The answer says why it was refused.
func (s *Store) ClaimBuild(ctx context.Context, ref ChunkRef, c BuildClaim) (BuildClaimed, error) {
	for range 3 {
		now := time.Now()
		preds := append(chunkWhere(ref), reportchunk.Or(
			reportchunk.BuildOwnerIn("", c.Token),
			// A claim without an expiry holds nothing (leaseOf): the
			// statement must agree, or such a row refuses every claim.
			reportchunk.BuildExpiresAtIsNil(),
			reportchunk.BuildExpiresAtLTE(now),
			reportchunk.And(reportchunk.BuildVersionLT(c.Version), reportchunk.BuildUploading(false))))
		if !c.Overwrite {
			preds = append(preds, reportchunk.Not(storedFrom(c.Version)))
		}
		n, err := s.client.ReportChunk.Update().Where(preds...).
			SetBuildOwner(c.Token).SetBuildVersion(c.Version).SetBuildExpiresAt(now.Add(c.Lease)).
			SetBuildUploading(false).Save(ctx)
		if err != nil {
			return BuildClaimed{}, dbErr("claim build", err)
		}
		if n > 0 {
			return BuildClaimed{Won: true}, nil
		}
		row, err := s.client.ReportChunk.Query().Where(chunkWhere(ref)...).Only(ctx)
		switch {
		case ent.IsNotFound(err):
			if err := ensureChunks(ctx, s.client, []ChunkRef{ref}); err != nil {
				return BuildClaimed{}, err
			}
			continue
		case err != nil:
			return BuildClaimed{}, dbErr("claim build", err)
		}
		if !c.Overwrite && row.Status == reportchunk.StatusStored && row.BuiltVersion >= c.Version {
			return BuildClaimed{Stored: true, Version: row.BuiltVersion}, nil
		}
		if l := leaseOf(row); l.Held(now) && l.Owner != c.Token && (l.Version >= c.Version || l.Uploading) {
			return BuildClaimed{Version: l.Version, Until: l.Expires}, nil
		}
		// The row changed between the two statements: ask again.
	}
	return BuildClaimed{}, fmt.Errorf("store: claim build: the chunk kept changing")
}

// storedFrom matches chunks that record a report stored from version or
// newer data.
func storedFrom(version int64) predicate.ReportChunk {
	return reportchunk.And(reportchunk.StatusEQ(reportchunk.StatusStored), reportchunk.BuiltVersionGTE(version))
}

// RenewBuild extends token's claim on ref by lease from now, and reports
// whether token still holds it: false once a newer build took it over, or
// a build took it up after it lapsed.
func (s *Store) RenewBuild(ctx context.Context, ref ChunkRef, token string, lease time.Duration) (bool, error) {
	n, err := s.client.ReportChunk.Update().Where(append(chunkWhere(ref), reportchunk.BuildOwner(token))...).
		SetBuildExpiresAt(time.Now().Add(lease)).Save(ctx)
	return n > 0, dbErr("renew build", err)
}

// StartUpload marks token's claim on ref as uploading and extends it by
// lease, and reports whether token still holds it: once it does, no build
// of newer data takes the claim over until the upload's record releases it
// (or the lease lapses), so uploads of one hour never overlap.
func (s *Store) StartUpload(ctx context.Context, ref ChunkRef, token string, lease time.Duration) (bool, error) {
	n, err := s.client.ReportChunk.Update().Where(append(chunkWhere(ref), reportchunk.BuildOwner(token))...).
		SetBuildUploading(true).SetBuildExpiresAt(time.Now().Add(lease)).Save(ctx)
	return n > 0, dbErr("start upload", err)
}

// ReleaseBuild drops token's claim on ref, if it still holds it: the build
// ended without recording a report (MarkStored releases the claim of the
// build it records).
func (s *Store) ReleaseBuild(ctx context.Context, ref ChunkRef, token string) error {
	_, err := s.client.ReportChunk.Update().Where(append(chunkWhere(ref), reportchunk.BuildOwner(token))...).
		SetBuildOwner("").ClearBuildExpiresAt().SetBuildUploading(false).Save(ctx)
	return dbErr("release build", err)
}

// leaseOf reads a row's claim; nil when none is recorded.
func leaseOf(r *ent.ReportChunk) *Lease {
	if r.BuildOwner == "" || r.BuildExpiresAt == nil {
		return nil
	}
	return &Lease{Owner: r.BuildOwner, Version: r.BuildVersion, Expires: r.BuildExpiresAt.UTC(), Uploading: r.BuildUploading}
}
