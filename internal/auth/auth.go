// Package auth turns bearer tokens into viewers and issues the tokens the
// service accepts.
//
// The service's own tokens are HS256 JWTs signed with one shared key. The
// algorithm is pinned, exp, iss and aud are required and checked, nbf is
// honoured, and every rejection is an apperr Unauthenticated error with the
// generic message "invalid token"; the cause is wrapped for logs only.
//
// A host principal is one without tenant_id. The host_admin scope is valid
// only on host principals: a token carrying both tenant_id and host_admin is
// rejected as invalid rather than silently downgraded, since a signer that
// mints such a token is misconfigured or compromised.
package auth

import (
	"time"

	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Verifier turns a bearer token into the viewer it authenticates. Every
// error it returns is an apperr Unauthenticated error.
type Verifier interface {
	Verify(token string) (viewer.Viewer, error)
}

// DefaultLeeway is the clock skew tolerated on exp and nbf when
// Config.Leeway is zero.
const DefaultLeeway = 30 * time.Second

// MinKeyLen is the minimum length in bytes of Config.SigningKey.
const MinKeyLen = 32

// maxTokenLen bounds the work spent on one token; real tokens are a few
// hundred bytes.
const maxTokenLen = 8 << 10

// Claim names beyond the registered ones.
const (
	claimTenantID = "tenant_id"
	claimScope    = "scope"
)
