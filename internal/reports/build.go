// Package chunk builds one tenant's report for one hour and stores it: it
// reads the hour from the data layer, streams the document into a zip spooled
// to a temporary file, uploads it with its known size and records the chunk's
// state. It also serves an hour: stored when fresh, otherwise built live.
package reports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Objects is what chunk needs of the object store: implemented by
// *blob.Store, and by decorators that inject faults in tests.
type Objects interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string, meta map[string]string) error
	Open(ctx context.Context, key string) (*blob.Object, error)
	// ReadAll reads an object of at most limit bytes whole, in one request.
	ReadAll(ctx context.Context, key string, limit int64) (blob.Info, []byte, error)
}

// Builder builds and stores report chunks.
type Builder struct {
	Store   *store.Store
	Blob    Objects
	Metrics *metrics.Metrics
	Log     *slog.Logger
	// TempDir is where zips are spooled ("" for the system default).
	TempDir string
	// Now is the clock (tests may set it); nil means time.Now.
	Now func() time.Time
}

// Built is a report built into a local spool, not yet removed.
type Built struct {
	Meta  Meta
	Spool *document.Spool
	// Uploaded is set once the report is stored.
	Uploaded bool
}

// Remove deletes the spool.
func (b *Built) Remove() {
	if b != nil && b.Spool != nil {
		_ = b.Spool.Remove()
	}
}

func (b *Builder) now() time.Time {
	if b.Now != nil {
		return b.Now().UTC()
	}
	return time.Now().UTC()
}

// Build reads the hour from one snapshot of the database and writes its
// report into a spool. The caller must Remove the result.
func (b *Builder) Build(ctx context.Context, ref store.ChunkRef) (*Built, error) {
	generatedAt := b.now().Truncate(time.Second)
	sp, err := document.NewSpool(b.TempDir, ref.Hour, generatedAt)
	if err != nil {
		return nil, fmt.Errorf("chunk: spool: %w", err)
	}
	out := &Built{Spool: sp, Meta: Meta{
		TenantID: ref.TenantID, Hour: ref.Hour, GeneratedAt: generatedAt, SchemaVersion: document.SchemaVersion,
	}}
	var enc *document.Encoder
	start := func(info store.HourInfo) error {
		out.Meta.DataVersion = info.DataVersion
		out.Meta.ConversationCount = info.ConversationCount
		out.Meta.MessageCount = info.MessageCount
		enc, err = document.NewEncoder(sp.Writer(), document.Header{
			TenantID: ref.TenantID, Hour: ref.Hour, GeneratedAt: generatedAt,
			ConversationCount: info.ConversationCount, MessageCount: info.MessageCount,
		})
		return err
	}
	if err := b.Store.ReadHour(ctx, ref.TenantID, ref.Hour, start, func(doc string, messages int) error { return enc.WriteRawString(doc, messages) }); err != nil {
		out.Remove()
		return nil, fmt.Errorf("chunk: read hour: %w", err)
	}
	if err := errors.Join(enc.Close(), sp.Close()); err != nil {
		out.Remove()
		return nil, fmt.Errorf("chunk: encode: %w", err)
	}
	out.Meta.SHA256, out.Meta.Size, out.Meta.JSONSize = sp.SHA256(), sp.Size(), sp.JSONSize()
	return out, nil
}

// Upload stores a built report and records it in the database.
func (b *Builder) Upload(ctx context.Context, built *Built) error {
	m := built.Meta
	key := document.ObjectKey(m.TenantID, m.Hour)
	if err := b.Blob.Put(ctx, key, built.Spool.Open(), m.Size, "application/zip", m.toObjectMeta()); err != nil {
		return fmt.Errorf("chunk: upload: %w", err)
	}
	err := b.Store.MarkStored(ctx, store.ChunkRef{TenantID: m.TenantID, Hour: m.Hour}, store.Stored{
		BuiltVersion: m.DataVersion, ConversationCount: m.ConversationCount, MessageCount: m.MessageCount,
		SizeBytes: m.Size, SHA256: m.SHA256, GeneratedAt: m.GeneratedAt,
	})
	if err != nil {
		return fmt.Errorf("chunk: record stored: %w", err)
	}
	return nil
}

// BuildAndStore builds, uploads and records one chunk, as the nightly run
// does, and reports the outcome in the metrics under source.
func (b *Builder) BuildAndStore(ctx context.Context, ref store.ChunkRef, source string) (Meta, error) {
	start := time.Now()
	built, err := b.Build(ctx, ref)
	if err == nil {
		err = b.Upload(ctx, built)
	}
	defer built.Remove()
	if err != nil {
		b.Metrics.ChunksFailed.WithLabelValues(Reason(ctx, err)).Inc()
		return Meta{}, err
	}
	b.Metrics.ChunksBuilt.WithLabelValues(source).Inc()
	b.Metrics.BuildSeconds.WithLabelValues(source).Observe(time.Since(start).Seconds())
	b.Metrics.ReportBytes.WithLabelValues(source).Add(float64(built.Meta.Size))
	return built.Meta, nil
}

// Reason names the cause of a failed build for metrics and chunk records.
func Reason(ctx context.Context, err error) string {
	switch {
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	if apperr.CodeOf(err) == apperr.Unavailable {
		if apperr.MessageOf(err) == blob.UnavailableMessage {
			return "storage"
		}
		return "database"
	}
	return "internal"
}
