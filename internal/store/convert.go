package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/dailyreports/dailyreports/internal/document"
)

// convertBatch is the number of conversations one transaction of the
// conversion encodes: it bounds the memory and the length of each
// transaction whatever the size of the database.
const convertBatch = 500

// encodeConversations is the data step between the migration that adds
// conversations.document and message_count and the one that drops the
// columns and the messages table they replace: it encodes every
// conversation whose document is still NULL from its columns and messages,
// exactly as a report wrote it, in batches by id, each batch a transaction.
// It is idempotent; interrupted, it resumes where it stopped.
func (s *Store) encodeConversations(ctx context.Context) error {
	start := time.Now()
	var after int64
	total := 0
	for {
		n, last, err := s.encodeBatch(ctx, after)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		total, after = total+n, last
		if total%(20*convertBatch) == 0 {
			s.logger().InfoContext(ctx, "encoding conversations", "done", total, "elapsed", time.Since(start).String())
		}
	}
	s.logger().InfoContext(ctx, "encoded conversations", "conversations", total, "elapsed", time.Since(start).String())
	return nil
}

// encodeBatch encodes the next batch of conversations after id after, in
// one transaction; it returns how many it encoded and the last id.
func (s *Store) encodeBatch(ctx context.Context, after int64) (int, int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("store: encode conversations: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, a no-op
	convs, ids, err := s.oldConversations(ctx, tx, after)
	if err != nil || len(convs) == 0 {
		return 0, 0, err
	}
	if err := s.oldMessages(ctx, tx, convs, ids); err != nil {
		return 0, 0, err
	}
	if err := s.writeDocuments(ctx, tx, convs, ids); err != nil {
		return 0, 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("store: encode conversations: commit: %w", err)
	}
	return len(convs), ids[len(ids)-1], nil
}

// oldConversations reads the next batch of conversations without a
// document, by id, from the columns of release 1.
func (s *Store) oldConversations(ctx context.Context, tx *sql.Tx, after int64) ([]document.Conversation, []int64, error) {
	rows, err := tx.QueryContext(ctx, s.bind(`SELECT id, external_id, session_id, channel, language, project_name,
  started_at, ended_at, status FROM conversations WHERE document IS NULL AND id > $1 ORDER BY id LIMIT $2`), after, convertBatch)
	if err != nil {
		return nil, nil, fmt.Errorf("store: encode conversations: read: %w", err)
	}
	defer rows.Close()
	var (
		convs []document.Conversation
		ids   []int64
	)
	for rows.Next() {
		var (
			c     document.Conversation
			id    int64
			ended sql.NullTime
		)
		if err := rows.Scan(&id, &c.ID, &c.SessionID, &c.Channel, &c.Language, &c.ProjectName,
			&c.StartedAt, &ended, &c.Status); err != nil {
			return nil, nil, fmt.Errorf("store: encode conversations: scan: %w", err)
		}
		c.StartedAt = c.StartedAt.UTC()
		if ended.Valid {
			t := ended.Time.UTC()
			c.EndedAt = &t
		}
		convs, ids = append(convs, c), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: encode conversations: read: %w", err)
	}
	return convs, ids, nil
}

// oldMessages reads the messages of the batch into its conversations, in
// report order: SentAt, then Id in byte order.
func (s *Store) oldMessages(ctx context.Context, tx *sql.Tx, convs []document.Conversation, ids []int64) error {
	index := make(map[int64]int, len(ids))
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		index[id], args[i], marks[i] = i, id, fmt.Sprintf("$%d", i+1)
	}
	rows, err := tx.QueryContext(ctx, s.bind(`SELECT conversation_id, external_id, sent_at, sender, text, intent,
  confidence FROM messages WHERE conversation_id IN (`+strings.Join(marks, ", ")+`)`), args...)
	if err != nil {
		return fmt.Errorf("store: encode conversations: read messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			cid    int64
			m      document.Message
			intent sql.NullString
			conf   sql.NullFloat64
		)
		if err := rows.Scan(&cid, &m.ID, &m.SentAt, &m.Sender, &m.Text, &intent, &conf); err != nil {
			return fmt.Errorf("store: encode conversations: scan message: %w", err)
		}
		m.SentAt = m.SentAt.UTC()
		if intent.Valid {
			m.Intent = &intent.String
		}
		if conf.Valid {
			m.Confidence = &conf.Float64
		}
		c := &convs[index[cid]]
		c.Messages = append(c.Messages, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: encode conversations: read messages: %w", err)
	}
	for i := range convs {
		document.SortMessages(convs[i].Messages)
	}
	return nil
}

// writeDocuments stores the batch's documents and message counts: on
// PostgreSQL in one statement, on SQLite (no round trips) row by row.
func (s *Store) writeDocuments(ctx context.Context, tx *sql.Tx, convs []document.Conversation, ids []int64) error {
	if s.dialect == dialect.Postgres {
		docs, counts := make([]string, len(convs)), make([]int64, len(convs))
		for i := range convs {
			docs[i], counts[i] = string(document.AppendConversation(nil, &convs[i])), int64(len(convs[i].Messages))
		}
		_, err := tx.ExecContext(ctx, `UPDATE conversations c SET document = v.doc, message_count = v.n
  FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS v(id, doc, n) WHERE c.id = v.id`,
			pq.Array(ids), pq.Array(docs), pq.Array(counts))
		if err != nil {
			return fmt.Errorf("store: encode conversations: write: %w", err)
		}
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, s.bind(`UPDATE conversations SET document = $1, message_count = $2 WHERE id = $3`))
	if err != nil {
		return fmt.Errorf("store: encode conversations: prepare: %w", err)
	}
	defer stmt.Close()
	var buf []byte
	for i := range convs {
		buf = document.AppendConversation(buf[:0], &convs[i])
		if _, err := stmt.ExecContext(ctx, string(buf), len(convs[i].Messages), ids[i]); err != nil {
			return fmt.Errorf("store: encode conversations: write: %w", err)
		}
	}
	return nil
}

// bind turns a query written with PostgreSQL's $n placeholders into the
// store's dialect.
func (s *Store) bind(q string) string {
	if s.dialect == dialect.Postgres {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] == '$' {
			b.WriteByte('?')
			for i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
				i++
			}
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
