package store

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/apiclient"
	"github.com/dailyreports/dailyreports/ent/predicate"
	"github.com/dailyreports/dailyreports/internal/apperr"
)

// NewApiClient describes an API client to create.
type NewApiClient struct {
	ClientID   string
	SecretHash string
	// TenantID is nil for a host client.
	TenantID *uuid.UUID
	Name     string
	Scopes   []string
}

// CreateApiClient stores a new API client. Only host administrators and the
// service may. A tenant that does not exist is NotFound.
func (s *Store) CreateApiClient(ctx context.Context, c NewApiClient) (*ent.ApiClient, error) {
	if c.TenantID != nil {
		if _, err := s.Tenant(ctx, *c.TenantID); err != nil {
			return nil, err
		}
	}
	row, err := s.client.ApiClient.Create().SetClientID(c.ClientID).SetSecretHash(c.SecretHash).
		SetNillableTenantID(c.TenantID).SetName(c.Name).SetScopes(c.Scopes).Save(ctx)
	return row, dbErr("create api client", err)
}

// ApiClient returns the client with clientID, or a NotFound error.
func (s *Store) ApiClient(ctx context.Context, clientID string) (*ent.ApiClient, error) {
	row, err := s.client.ApiClient.Query().Where(apiclient.ClientID(clientID)).Only(ctx)
	return row, dbErr("get api client", err)
}

// RevokeApiClient marks a client revoked; a client that does not exist is
// NotFound.
func (s *Store) RevokeApiClient(ctx context.Context, clientID string) error {
	n, err := s.client.ApiClient.Update().Where(apiclient.ClientID(clientID)).SetRevoked(true).Save(ctx)
	if err != nil {
		return dbErr("revoke api client", err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "api client not found")
	}
	// The first revocation's time stands; revoking again changes nothing.
	_, err = s.client.ApiClient.Update().Where(apiclient.ClientID(clientID), apiclient.RevokedAtIsNil()).
		SetRevokedAt(time.Now()).Save(ctx)
	return dbErr("revoke api client", err)
}

// ApiClientUseEvery is how often a client's last use is written at most.
const ApiClientUseEvery = time.Minute

// TouchApiClient records that the client with clientID got a token at now,
// unless a use within the last minute is already recorded: one cheap UPDATE
// that matches no row most of the time under load.
func (s *Store) TouchApiClient(ctx context.Context, clientID string, now time.Time) error {
	_, err := s.client.ApiClient.Update().
		Where(apiclient.ClientID(clientID), apiclient.Or(apiclient.LastUsedAtIsNil(), apiclient.LastUsedAtLT(now.Add(-ApiClientUseEvery)))).
		SetLastUsedAt(now).Save(ctx)
	return dbErr("record api client use", err)
}

// ApiClients returns up to first clients, newest first, after the client
// with clientID after ("" from the newest), of one tenant when tenantID is
// set, and whether more follow.
func (s *Store) ApiClients(ctx context.Context, tenantID *uuid.UUID, first int, after string) ([]*ent.ApiClient, bool, error) {
	q := s.client.ApiClient.Query()
	if tenantID != nil {
		q = q.Where(apiclient.TenantID(*tenantID))
	}
	if after != "" {
		q = q.Where(before[predicate.ApiClient](apiclient.Table, apiclient.FieldCreatedAt, apiclient.FieldClientID, after))
	}
	rows, err := q.Order(ent.Desc(apiclient.FieldCreatedAt), ent.Desc(apiclient.FieldClientID)).
		Limit(first + 1).All(ctx)
	if err != nil {
		return nil, false, dbErr("list api clients", err)
	}
	if len(rows) > first {
		return rows[:first], true, nil
	}
	return rows, false, nil
}
