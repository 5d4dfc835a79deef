package graph

import "github.com/dailyreports/dailyreports/ent"

// Resolver is the resolver root: the dependencies every resolver may use.
type Resolver struct {
	Client *ent.Client
}
