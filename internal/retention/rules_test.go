package retention

import (
	"reflect"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/store"
)

// One rule per tenant prefix while they fit; beyond, tenants sharing the
// longest leading run of id characters that fits share a rule at their
// longest retention; an error when not even that fits.
func TestRules(t *testing.T) {
	ten := func(id string, months int) store.Retention {
		return store.Retention{TenantID: uuid.MustParse(id), Months: months}
	}
	t1 := ten("aaaa0000-0000-4000-8000-000000000001", 1)
	t2 := ten("aaaa0000-0000-4000-8000-000000000002", 3)
	t3 := ten("aabb0000-0000-4000-8000-000000000003", 1)
	t4 := ten("b0000000-0000-4000-8000-000000000004", 2)
	all := []store.Retention{t4, t3, t2, t1}
	rule := func(prefix string, id string, days int) blob.ExpiryRule {
		return blob.ExpiryRule{ID: RuleOwner + id, Prefix: prefix, Days: days}
	}
	cases := []struct {
		name  string
		limit int
		want  []blob.ExpiryRule
	}{
		{"per tenant", 4, []blob.ExpiryRule{
			rule("aaaa0000-0000-4000-8000-000000000001/", "aaaa0000-0000-4000-8000-000000000001", 32),
			rule("aaaa0000-0000-4000-8000-000000000002/", "aaaa0000-0000-4000-8000-000000000002", 94),
			rule("aabb0000-0000-4000-8000-000000000003/", "aabb0000-0000-4000-8000-000000000003", 32),
			rule("b0000000-0000-4000-8000-000000000004/", "b0000000-0000-4000-8000-000000000004", 63),
		}},
		{"three rules", 3, []blob.ExpiryRule{
			rule("aaaa0000-0000-4000-8000-00000000000", "aaaa0000-0000-4000-8000-00000000000", 94),
			rule("aabb0000-0000-4000-8000-00000000000", "aabb0000-0000-4000-8000-00000000000", 32),
			rule("b0000000-0000-4000-8000-00000000000", "b0000000-0000-4000-8000-00000000000", 63),
		}},
		{"two rules", 2, []blob.ExpiryRule{rule("aa", "aa", 94), rule("b0", "b0", 63)}},
	}
	for _, c := range cases {
		got, err := Rules(all, c.limit)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Rules = %v, %v\nwant %v", c.name, got, err, c.want)
		}
	}
	if got, err := Rules(all, 1); err == nil {
		t.Errorf("limit 1: %v, want an error", got)
	}
	if got, err := Rules(nil, 0); err != nil || len(got) != 0 {
		t.Errorf("no tenants: %v, %v", got, err)
	}
}
