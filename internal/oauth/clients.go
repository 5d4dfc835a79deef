package oauth

import (
	"context"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/input"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Clients creates, revokes and authenticates API clients.
type Clients struct {
	Store *store.Store
}

// Created is a new client with its secret, shown once.
type Created struct {
	ClientID     string
	ClientSecret string
	Scopes       []string
}

// tenantScopes and hostScopes are what a tenant's client and a host client
// may be granted.
var (
	tenantScopes = []string{viewer.ScopeReportsRead, viewer.ScopeConversationsWrite}
	hostScopes   = []string{viewer.ScopeHostAdmin}
)

// Create registers a client of tenantID (nil: a host client) with scopes.
// Only host administrators may. A tenant's client may hold
// dataservice_external and conversations.write, a host client host_admin;
// anything else is Invalid, an unknown tenant NotFound.
func (c *Clients) Create(ctx context.Context, tenantID *uuid.UUID, name string, scopes []string) (*Created, error) {
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil, err
	}
	name, err := input.Name(name)
	if err != nil {
		return nil, err
	}
	scopes, err = checkScopes(tenantID, scopes)
	if err != nil {
		return nil, err
	}
	out := &Created{ClientID: newClientID(), ClientSecret: newSecret(), Scopes: scopes}
	_, err = c.Store.CreateApiClient(ctx, store.NewApiClient{
		ClientID: out.ClientID, SecretHash: hashSecret(out.ClientSecret),
		TenantID: tenantID, Name: name, Scopes: scopes,
	})
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.TenantNotFound()
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// quoteScope quotes a requested scope for an error message, shortened: it
// may be anything a client sent.
func quoteScope(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strconv.Quote(s)
}

// checkScopes returns scopes sorted without duplicates when the client may
// hold them.
func checkScopes(tenantID *uuid.UUID, scopes []string) ([]string, error) {
	allowed, kind := tenantScopes, "a tenant's client"
	if tenantID == nil {
		allowed, kind = hostScopes, "a host client (no tenantId)"
	}
	if len(scopes) == 0 {
		return nil, apperr.New(apperr.Invalid, "scopes must not be empty")
	}
	for _, s := range scopes {
		if !slices.Contains(allowed, s) {
			return nil, apperr.New(apperr.Invalid, "scope %s is not one %s may hold (%s)", quoteScope(s), kind, strings.Join(allowed, ", "))
		}
	}
	out := slices.Clone(scopes)
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Revoke stops a client from getting tokens. Only host administrators may;
// an unknown client is NotFound, as is an id no client can have.
func (c *Clients) Revoke(ctx context.Context, clientID string) error {
	if _, err := auth.RequireHost(ctx); err != nil {
		return err
	}
	if !wellFormedID(clientID) {
		return apperr.New(apperr.NotFound, "api client not found")
	}
	return c.Store.RevokeApiClient(ctx, clientID)
}

// maxClientIDLen is the longest client id the schema stores.
const maxClientIDLen = 64

// wellFormedID reports whether id could be a client's id: text the database
// can look up. Anything else names no client and never reaches a query.
func wellFormedID(id string) bool { return input.Text(id, maxClientIDLen) == nil }

// authenticate returns the client with clientID when secret is its secret
// and it is not revoked, and nil otherwise. An unknown id, or one no client
// can have (wellFormedID), costs what a wrong secret costs.
func (c *Clients) authenticate(ctx context.Context, clientID, secret string) (*ent.ApiClient, error) {
	if !wellFormedID(clientID) {
		checkSecret(decoyHash, secret)
		return nil, nil
	}
	ctx = viewer.SystemContext(ctx, "oauth:token")
	row, err := c.Store.ApiClient(ctx, clientID)
	switch apperr.CodeOf(err) {
	case "":
	case apperr.NotFound:
		checkSecret(decoyHash, secret)
		return nil, nil
	default:
		return nil, err
	}
	if !checkSecret(row.SecretHash, secret) || row.Revoked {
		return nil, nil
	}
	return row, nil
}

// usedEvery is how often a client's last use is recorded at most.
const usedEvery = store.ApiClientUseEvery

// used records that client got a token at now, at most once a minute: the
// row just read says when the last use was recorded, so most tokens cost
// no write, and the store's conditional UPDATE keeps concurrent API
// processes to one write a minute too. A failure is logged, not returned:
// the token is issued either way.
func (c *Clients) used(ctx context.Context, client *ent.ApiClient, now time.Time, log *slog.Logger) {
	if client.LastUsedAt != nil && now.Sub(*client.LastUsedAt) < usedEvery {
		return
	}
	ctx = viewer.SystemContext(ctx, "oauth:token")
	if err := c.Store.TouchApiClient(ctx, client.ClientID, now); err != nil {
		log.WarnContext(ctx, "recording the api client's last use failed", "client_id", client.ClientID, "err", err)
	}
}
