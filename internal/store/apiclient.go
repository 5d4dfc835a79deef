package store

import (
	"context"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/ent"
	"github.com/dailyreports/dailyreports/ent/apiclient"
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
	return nil
}
