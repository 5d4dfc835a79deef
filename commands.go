package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/input"
	"github.com/dailyreports/dailyreports/internal/store"
)

// newFlags returns a flag set that reports errors on the command's stderr.
func newFlags(name string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// cmdMigrate applies the database schema.
func cmdMigrate(ctx context.Context, args []string, e env) error {
	if err := newFlags("migrate", e).Parse(args); err != nil {
		return errSilent
	}
	a, _, err := openMigrated(ctx, e, "cli:migrate")
	if err != nil {
		return err
	}
	a.Close()
	return nil
}

// cmdTenant creates or lists tenants.
func cmdTenant(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list") {
		return errors.New(`tenant: want "tenant create --name NAME" or "tenant list"`)
	}
	fs := newFlags("tenant "+args[0], e)
	name := fs.String("name", "", "tenant name")
	enable := fs.Bool("enable", false, "enable daily conversation reports")
	retention := fs.Int("retention-months", 1, "report retention in months (1 to 3)")
	if err := fs.Parse(args[1:]); err != nil {
		return errSilent
	}
	if args[0] == "create" {
		n, err := input.Name(*name)
		if err != nil {
			return fmt.Errorf("--name: %w", err)
		}
		*name = n
	}
	a, ctx, err := openMigrated(ctx, e, "cli:tenant")
	if err != nil {
		return err
	}
	defer a.Close()
	if args[0] == "list" {
		ts, err := a.Store.Tenants(ctx)
		if err != nil {
			return err
		}
		for _, t := range ts {
			fmt.Fprintf(e.stdout, "%s\t%s\tenabled=%t\tretention=%dm\n", t.ID, t.Name, t.ReportEnabled, t.RetentionMonths)
		}
		return nil
	}
	t, err := a.Store.CreateTenant(ctx, *name, store.TenantSettings{Enabled: *enable, RetentionMonths: *retention})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, t.ID)
	return nil
}

// cmdToken prints a signed access token.
func cmdToken(_ context.Context, args []string, e env) error {
	fs := newFlags("token", e)
	scope := fs.String("scope", "", `space-separated scopes, e.g. "dataservice_external"`)
	tenant := fs.String("tenant", "", "tenant id (omit for a host token)")
	ttl := fs.Duration("ttl", time.Hour, "lifetime")
	subject := fs.String("subject", "cli", "subject (sub claim)")
	if err := fs.Parse(args); err != nil {
		return errSilent
	}
	var tid uuid.UUID
	if *tenant != "" {
		var err error
		if tid, err = uuid.Parse(*tenant); err != nil {
			return fmt.Errorf("--tenant: %w", err)
		}
	}
	a, err := openApp(e)
	if err != nil {
		return err
	}
	defer a.Close()
	tok, _, err := a.Signer.Issue(*subject, tid, strings.Fields(*scope), *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	return nil
}

// parseDay parses a YYYY-MM-DD flag.
func parseDay(s string) (time.Time, error) {
	d, err := time.Parse(document.DayLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--day must be YYYY-MM-DD: %q", s)
	}
	return d, nil
}

// runID returns a fresh id for a run started by hand.
func runID(kind string) string { return kind + "-" + strings.ToLower(rand.Text()[:12]) }
