package seed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

func TestSeedWritesOneHourToPostgres(t *testing.T) {
	s := openStore(t)
	tenants := createTenants(t, s, 2)
	opt := Options{Day: testDay, Hours: []int{15}, ConversationsPerHour: 30, Seed: 5}
	for range 2 { // the second run rewrites the same rows
		convs, msgs, err := Seed(context.Background(), s, tenants, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := generateAll(t, 0, opt, 1000)
		want = append(want, generateAll(t, 1, opt, 1000)...)
		if convs != 60 || msgs != countMessages(want) {
			t.Fatalf("Seed wrote %d conversations and %d messages, want 60 and %d", convs, msgs, countMessages(want))
		}
		for i, id := range tenants {
			if got, want := readHour(t, s, id, document.NewHour(testDay, 15)), encode(t, generateAll(t, i, opt, 1000)); !bytes.Equal(got, want) {
				t.Errorf("tenant %d: stored hour differs from the generated one", i)
			}
		}
	}
	if got := readHour(t, s, tenants[0], document.NewHour(testDay, 14)); len(got) != 0 {
		t.Errorf("hour 14 holds conversations: %s", got)
	}
}

func TestSeedRefusesInvalidOptions(t *testing.T) {
	_, _, err := Seed(context.Background(), nil, []uuid.UUID{uuid.New()}, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "seed: ") {
		t.Fatalf("got %v, want a seed: error", err)
	}
}

func openStore(tb testing.TB) *store.Store {
	tb.Helper()
	s, err := store.OpenPostgres(testenv.NewDatabase(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return s
}

func createTenants(tb testing.TB, s *store.Store, n int) []uuid.UUID {
	tb.Helper()
	ctx := viewer.SystemContext(context.Background(), "test")
	ids := make([]uuid.UUID, n)
	for i := range ids {
		tn, err := s.CreateTenant(ctx, fmt.Sprintf("tenant %d", i), store.TenantSettings{Enabled: true, RetentionMonths: 1})
		if err != nil {
			tb.Fatal(err)
		}
		ids[i] = tn.ID
	}
	return ids
}

// readHour returns the stored conversations of one tenant's hour, encoded as
// encode does, after checking the counts the store reports.
func readHour(tb testing.TB, s *store.Store, tenantID uuid.UUID, h document.Hour) []byte {
	tb.Helper()
	var info store.HourInfo
	var convs []document.Conversation
	ctx := viewer.SystemContext(context.Background(), "test")
	err := s.ReadHour(ctx, tenantID, h,
		func(i store.HourInfo) error { info = i; return nil },
		func(doc []byte, _ int) error {
			var c document.Conversation // the document's keys match the fields, ignoring case
			if err := json.Unmarshal(doc, &c); err != nil {
				return err
			}
			convs = append(convs, inUTC(c))
			return nil
		})
	if err != nil {
		tb.Fatal(err)
	}
	if info.ConversationCount != len(convs) || info.MessageCount != countMessages(convs) {
		tb.Errorf("store counts %+v, read %d conversations, %d messages", info, len(convs), countMessages(convs))
	}
	return encode(tb, convs)
}
