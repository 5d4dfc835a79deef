package model

import (
	"github.com/99designs/gqlgen/graphql"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// MarshalInt writes an Int.
func MarshalInt(i int) graphql.Marshaler { return graphql.MarshalInt(i) }

// UnmarshalInt reads an Int, which GraphQL defines as a signed 32-bit
// integer: a larger value is a user error rather than a value passed on.
func UnmarshalInt(v any) (int, error) {
	i, err := graphql.UnmarshalInt32(v)
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "an Int must be a whole number from -2147483648 to 2147483647")
	}
	return int(i), nil
}
