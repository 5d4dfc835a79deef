package auth

import (
	"context"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// RequireHost is RequireContext for operations only host administrators
// may run: an authenticated principal that is not one gets Forbidden. The
// answer does not depend on the object the operation names, so it tells a
// tenant nothing about other tenants.
func RequireHost(ctx context.Context) (viewer.Viewer, error) {
	v, err := RequireContext(ctx)
	if err != nil {
		return viewer.Viewer{}, err
	}
	if !v.IsHost() {
		return viewer.Viewer{}, apperr.New(apperr.Forbidden, "this operation needs the host_admin scope")
	}
	return v, nil
}
