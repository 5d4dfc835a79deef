// Package seed writes realistic synthetic conversations for demos and
// benchmarks: several channels, languages and projects, multi-turn dialogues
// in seven languages with intents and confidences, agent handovers, and the
// odd quote, backslash, newline and emoji. The data is a pure function of the
// tenant's position in the list, the day and the seed.
package seed

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// BatchSize is the number of conversations Seed writes per call to Ingest.
const BatchSize = 1000

// Seed writes the conversations of opt for every tenant in tenants, the i-th
// tenant getting Generate's data for index i, through Ingest in batches of
// BatchSize conversations, and returns the number of conversations and
// messages written. It acts as the service itself. Conversations are upserted,
// so seeding again with the same arguments rewrites the same rows. On error
// the batches already written stay written.
func Seed(ctx context.Context, s *store.Store, tenants []uuid.UUID, opt Options) (conversations, messages int, err error) {
	if _, err := opt.normalized(); err != nil {
		return 0, 0, err
	}
	ctx = viewer.SystemContext(ctx, "seed")
	for i, tenantID := range tenants {
		err := Generate(i, opt, BatchSize, func(batch []document.Conversation) error {
			if err := s.Ingest(ctx, tenantID, document.Batch(batch)); err != nil {
				return err
			}
			conversations += len(batch)
			for j := range batch {
				messages += len(batch[j].Messages)
			}
			return nil
		})
		if err != nil {
			return conversations, messages, fmt.Errorf("seed: tenant %s: %w", tenantID, err)
		}
	}
	return conversations, messages, nil
}
