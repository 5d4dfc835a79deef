package reports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

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
	// Events raises the webhook events of builds; nil raises none.
	Events Events
	// Lease is how long a build's claim on its hour holds unless renewed
	// (0 means DefaultLease).
	Lease time.Duration
}

// Events raises webhook events of builds; *webhooks.Service implements it.
type Events interface {
	// HourRebuilt is the event of a stored hour rebuilt as m, written with
	// the record of the build when it replaced other bytes; nil when no
	// webhook receives it.
	HourRebuilt(ctx context.Context, m Meta) *store.NewEvent
	// Queued starts the deliveries of events written.
	Queued(ctx context.Context, deliveries []uuid.UUID)
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
// report into a spool, without claiming the hour: a build that is not
// stored. The caller must Remove the result.
func (b *Builder) Build(ctx context.Context, ref store.ChunkRef) (*Built, error) {
	return b.build(ctx, ref, nil)
}

// build is Build, calling read (when not nil) with the data version the
// snapshot read before it reads the hour's conversations; an error of read
// aborts the build.
func (b *Builder) build(ctx context.Context, ref store.ChunkRef, read func(version int64) error) (*Built, error) {
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
		if read != nil {
			if err := read(info.DataVersion); err != nil {
				return err
			}
		}
		out.Meta.DataVersion = info.DataVersion
		out.Meta.ConversationCount = info.ConversationCount
		out.Meta.MessageCount = info.MessageCount
		enc, err = document.NewEncoder(sp.Writer(), document.Header{
			TenantID: ref.TenantID, Hour: ref.Hour, GeneratedAt: generatedAt,
			ConversationCount: info.ConversationCount, MessageCount: info.MessageCount,
		})
		return err
	}
	if err := b.Store.ReadHour(ctx, ref.TenantID, ref.Hour, start, func(doc []byte, messages int) error { return enc.WriteRaw(doc, messages) }); err != nil {
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

// Upload stores a built report and records it in the database. When the
// database records a report built from newer data by then, this upload may
// have overwritten that newer object: the hour is built and stored again,
// once, so storage never keeps the older report (an erased conversation,
// say) behind a record of the newer one. A replaced report raises the
// hour's rebuilt event. Upload stores a build made without a claim (Build).
func (b *Builder) Upload(ctx context.Context, built *Built) error {
	return b.upload(ctx, built, nil)
}

// upload is Upload of a build under claim c (nil: none): it checks right
// before the upload that the build still holds the claim, and its record
// releases it.
func (b *Builder) upload(ctx context.Context, built *Built, c *claim) error {
	var rebuilt *store.NewEvent
	if b.Events != nil {
		rebuilt = b.Events.HourRebuilt(ctx, built.Meta)
	}
	if err := b.stillOwned(ctx, c); err != nil {
		return err
	}
	marked, err := b.store(ctx, built, rebuilt, c.tokenOf())
	switch {
	case err != nil:
		return err
	case marked.Superseded:
		c.release(ctx)
		return b.restore(ctx, store.ChunkRef{TenantID: built.Meta.TenantID, Hour: built.Meta.Hour})
	case len(marked.Deliveries) > 0:
		b.Events.Queued(ctx, marked.Deliveries)
	}
	return nil
}

// store uploads a built report and records it, with its rebuilt event,
// releasing the claim of token.
func (b *Builder) store(ctx context.Context, built *Built, rebuilt *store.NewEvent, token string) (store.Marked, error) {
	m := built.Meta
	key := document.ObjectKey(m.TenantID, m.Hour)
	if err := b.Blob.Put(ctx, key, built.Spool.Open(), m.Size, "application/zip", m.toObjectMeta()); err != nil {
		return store.Marked{}, fmt.Errorf("chunk: upload: %w", err)
	}
	marked, err := b.Store.MarkStored(ctx, store.ChunkRef{TenantID: m.TenantID, Hour: m.Hour}, store.Stored{
		BuiltVersion: m.DataVersion, ConversationCount: m.ConversationCount, MessageCount: m.MessageCount,
		SizeBytes: m.Size, SHA256: m.SHA256, GeneratedAt: m.GeneratedAt, Token: token,
	}, rebuilt)
	if err != nil {
		return store.Marked{}, fmt.Errorf("chunk: record stored: %w", err)
	}
	return marked, nil
}

// restore builds and stores ref again after an upload that lost the race to
// a newer build, so the object is the newest report again. It claims the
// hour over the record of the report it restores; a build of newer data
// under way stores the hour itself.
func (b *Builder) restore(ctx context.Context, ref store.ChunkRef) error {
	b.Log.InfoContext(ctx, "an older build overwrote a newer report: storing the hour again", "tenant", ref.TenantID, "hour", ref.Hour.String())
	built, c, err := b.buildClaimed(ctx, ref, unknownVersion, true)
	if refusal(err) != nil {
		return nil
	}
	if err != nil {
		return err
	}
	defer built.Remove()
	err = b.stillOwned(ctx, c)
	if err == nil {
		_, err = b.store(ctx, built, nil, c.token)
	}
	if err != nil {
		c.release(ctx)
		if errors.Is(err, errTakenOver) {
			return nil // a build of newer data stores the hour
		}
		return err
	}
	c.end()
	return nil
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
