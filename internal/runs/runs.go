// Package runs lists the record of generation runs for operators: each run
// of a day (nightly, reconcile, regeneration, the generate command) with its
// passes and counts, as jobs writes it through the data layer.
package runs

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Page sizes of the run list.
const (
	DefaultPage = 20
	MaxPage     = 100
)

// Service reads runs under the viewer in the context.
type Service struct {
	Store *store.Store
}

// Page is a page of runs, as a Relay connection.
type Page struct {
	Edges    []*Edge
	PageInfo ent.PageInfo
}

// Edge is one run of a page and its cursor.
type Edge struct {
	Node   *store.Run
	Cursor ent.Cursor
}

// List returns a page of runs, newest first, only those of day when it is
// given. Only host administrators may.
func (s *Service) List(ctx context.Context, first *int, after *ent.Cursor, day *time.Time) (*Page, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	n := DefaultPage
	if first != nil {
		if *first < 0 || *first > MaxPage {
			return nil, apperr.New(apperr.Invalid, "first must be between 0 and %d", MaxPage)
		}
		n = *first
	}
	var d string
	if day != nil {
		d = day.UTC().Format(time.DateOnly)
	}
	var from *uuid.UUID
	if after != nil {
		from = &after.ID
	}
	rows, more, err := s.Store.Runs(ctx, n, from, d)
	if err != nil {
		return nil, err
	}
	page := &Page{Edges: make([]*Edge, len(rows)), PageInfo: ent.PageInfo{HasNextPage: more, HasPreviousPage: after != nil}}
	for i, r := range rows {
		page.Edges[i] = &Edge{Node: r, Cursor: ent.Cursor{ID: r.ID}}
	}
	if len(rows) > 0 {
		page.PageInfo.StartCursor, page.PageInfo.EndCursor = &page.Edges[0].Cursor, &page.Edges[len(rows)-1].Cursor
	}
	return page, nil
}

// Passes returns the passes of run, first first.
func (s *Service) Passes(ctx context.Context, run *store.Run) ([]*store.RunPass, error) {
	return s.Store.RunPasses(ctx, run.ID)
}
