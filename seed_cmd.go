package main

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
)

// cmdSeed writes realistic synthetic conversations for demos and
// benchmarks, deterministically for a seed, into tenants it creates.
func cmdSeed(ctx context.Context, args []string, e env) error {
	fs := newFlags("seed", e)
	tenants := fs.Int("tenants", 1, "number of tenants to create and fill")
	dayFlag := fs.String("day", "", "UTC day, YYYY-MM-DD")
	perHour := fs.Int("conversations-per-hour", seed.DefaultConversationsPerHour, "conversations per hour")
	perConv := fs.Int("messages-per-conversation", seed.DefaultMessagesPerConversation, "mean messages per conversation")
	seedFlag := fs.Uint64("seed", seed.DefaultSeed, "random seed")
	if err := fs.Parse(args); err != nil {
		return errSilent
	}
	day, err := parseDay(*dayFlag)
	if err != nil {
		return err
	}
	if *tenants < 1 || *tenants > 10000 {
		return fmt.Errorf("--tenants must be 1 to 10000")
	}
	a, ctx, err := openMigrated(ctx, e, "cli:seed")
	if err != nil {
		return err
	}
	defer a.Close()
	ids := make([]uuid.UUID, *tenants)
	for i := range ids {
		t, err := a.Store.CreateTenant(ctx, fmt.Sprintf("seed-%d-%d", *seedFlag, i+1), store.TenantSettings{Enabled: true, RetentionMonths: 3})
		if err != nil {
			return err
		}
		ids[i] = t.ID
	}
	start := time.Now()
	convs, msgs, err := seed.Seed(ctx, a.Store, ids, seed.Options{
		Day: day, ConversationsPerHour: *perHour, MessagesPerConversation: *perConv, Seed: *seedFlag,
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		fmt.Fprintln(e.stdout, id)
	}
	a.Log.Info("seeded", "tenants", len(ids), "conversations", convs, "messages", msgs, "elapsed", time.Since(start).String())
	return nil
}
