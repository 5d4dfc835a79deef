package main

import (
	"context"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// tenant create refuses a name the database cannot store, or that holds
// control characters, with a message about the name, and creates nothing.
func TestTenantCreateRefusesBadNames(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	for _, name := range []string{"Ac\x00me", "Ac\xffme", "Ac\nme", "\t", "", strings.Repeat("n", 201)} {
		out, _, err := runCmd(ctx, vars, "tenant", "create", "--name", name)
		if err == nil || out != "" {
			t.Fatalf("name %q: printed %q, err %v; want an error", name, out, err)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "--name: name must") || strings.Contains(msg, "pq:") {
			t.Errorf("name %q: error %q, want one about the name", name, msg)
		}
	}
	if _, _, err := runCmd(ctx, vars, "tenant", "create", "--name", "  Zürich  "); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(ctx, vars, "tenant", "list")
	if err != nil || strings.Count(out, "\n") != 1 || !strings.Contains(out, "\tZürich\t") {
		t.Fatalf("tenant list: %v %q, want the one good tenant, trimmed", err, out)
	}
}
