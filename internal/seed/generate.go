package seed

import (
	"errors"

	"github.com/dailyreports/dailyreports/internal/document"
)

// Generate calls fn with the conversations of one tenant's day, in batches of
// at most batchSize, hour after hour in ascending order and, within
// an hour, in the order they started. The same tenant index and Options give
// the same conversations, whatever the batch size; each hour is generated on
// its own, so an hour's conversations do not depend on which other hours are
// asked for. Generate holds one batch at a time: the slice passed to fn is
// reused once fn returns, so fn must not keep it, though it may keep the
// conversations in it. An error from fn stops Generate and is returned as is.
func Generate(tenantIndex int, opt Options, batchSize int, fn func([]document.Conversation) error) error {
	if tenantIndex < 0 {
		return errors.New("seed: tenant index must not be negative")
	}
	if batchSize < 1 {
		return errors.New("seed: batch size must be positive")
	}
	opt, err := opt.normalized()
	if err != nil {
		return err
	}
	batch := make([]document.Conversation, 0, min(batchSize, opt.ConversationsPerHour*len(opt.Hours)))
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := fn(batch)
		clear(batch)
		batch = batch[:0]
		return err
	}
	ids := &idCache{}
	for _, h := range opt.Hours {
		g := newHourGen(tenantIndex, opt, h, ids)
		for i := range g.starts {
			batch = append(batch, g.conversation(i))
			if len(batch) < batchSize {
				continue
			}
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
