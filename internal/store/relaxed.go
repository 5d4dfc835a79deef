package store

import (
	"context"
	"errors"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/dailyreports/dailyreports/ent"
)

// relaxed runs fn in a transaction whose commit does not wait for
// PostgreSQL to flush it to disk (synchronous_commit off for that
// transaction only). The transaction is atomic and visible to every other
// session at once, as any other; only a crash of the database server within
// a fraction of a second (three times wal_writer_delay, 600 ms by default)
// may forget it, never half of it.
//
// It is for the bookkeeping of runs alone — the chunks a run claims, run
// and pass records — where a forgotten commit is state the service derives
// again: a chunk that loses its claim is claimed again by the next run or
// the reconcile, a run record that loses its last update is the one thing
// that shows it. Data, settings, the audit log, erasures and webhook
// events are committed durably, as by default. A flush costs a few
// milliseconds on common disks; a run makes several in a row.
//
// fn must be idempotent: a transaction PostgreSQL aborted to break a
// deadlock (two runs claiming overlapping chunks, whose rows each statement
// locks in its own order) or a serialization failure is run again, up to
// three times in all.
func (s *Store) relaxed(ctx context.Context, op string, fn func(c *ent.Client) error) error {
	var err error
	for range 3 {
		err = s.withTx(ctx, func(tx *ent.Tx) error {
			if s.dialect == dialect.Postgres {
				if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit TO OFF"); err != nil {
					return dbErr(op, err)
				}
			}
			return fn(tx.Client())
		})
		if !isConflict(err) {
			return err
		}
	}
	return err
}

// isConflict reports whether PostgreSQL aborted a transaction for what
// other transactions did at the same time: a deadlock, or a serialization
// failure. Running it again is the remedy.
func isConflict(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40P01" || pqErr.Code == "40001")
}
