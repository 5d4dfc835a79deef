package oauth

import (
	"context"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
)

// Page sizes of the client list.
const (
	DefaultPage = 50
	MaxPage     = 100
)

// ClientPage is a page of API clients, as a Relay connection.
type ClientPage struct {
	Edges    []*ClientEdge
	PageInfo ent.PageInfo
}

// ClientEdge is one client of a page and its cursor.
type ClientEdge struct {
	Node   *ent.ApiClient
	Cursor ent.Cursor
}

// List returns a page of API clients, newest first: every client, or those
// of tenantID. Only host administrators may; revoked clients are listed
// too, with the time they were revoked.
func (c *Clients) List(ctx context.Context, tenantID *uuid.UUID, first *int, after *ent.Cursor) (*ClientPage, error) {
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
	var from string
	if after != nil {
		id, ok := after.Value.(string)
		if !ok || !wellFormedID(id) {
			return nil, apperr.New(apperr.Invalid, "malformed cursor")
		}
		from = id
	}
	rows, more, err := c.Store.ApiClients(ctx, tenantID, n, from)
	if err != nil {
		return nil, err
	}
	page := &ClientPage{Edges: make([]*ClientEdge, len(rows)), PageInfo: ent.PageInfo{HasNextPage: more, HasPreviousPage: after != nil}}
	for i, r := range rows {
		page.Edges[i] = &ClientEdge{Node: r, Cursor: ent.Cursor{Value: r.ClientID}}
	}
	if len(rows) > 0 {
		page.PageInfo.StartCursor, page.PageInfo.EndCursor = &page.Edges[0].Cursor, &page.Edges[len(rows)-1].Cursor
	}
	return page, nil
}
