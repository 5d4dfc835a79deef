package graph

import (
	"github.com/dailyreports/dailyreports/internal/admin"
	"github.com/dailyreports/dailyreports/internal/oauth"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/runs"
	"github.com/dailyreports/dailyreports/internal/webhooks"
)

// Resolver is the resolver root: the dependencies every resolver may use.
// Resolvers parse, call one function of these, and translate the answer.
type Resolver struct {
	Admin   *admin.Admin
	Reports *reports.Service
	Clients *oauth.Clients
	// Hooks registers, lists and tests webhooks.
	Hooks *webhooks.Service
	Runs  *runs.Service
}
