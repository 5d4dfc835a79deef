package reports

import (
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Status is where one hour's report stands.
type Status string

// The statuses of an hour.
const (
	StatusStored   Status = "STORED"
	StatusMissing  Status = "MISSING"
	StatusStale    Status = "STALE"
	StatusFailed   Status = "FAILED"
	StatusExpired  Status = "EXPIRED"
	StatusNotReady Status = "NOT_READY"
)

// Hour is one tenant's report for one UTC hour, as the API describes it.
type Hour struct {
	tenant uuid.UUID
	hour   document.Hour
	status Status
	// state is the chunk's recorded state when it has a row.
	state *store.ChunkState
	// gate serialises the builds an operation asks for (nil: no gate).
	gate chan struct{}
}

// newHour describes hour h of tenant from its chunk's state (nil when it has
// none), at now.
func newHour(tenant uuid.UUID, h document.Hour, state *store.ChunkState, expired bool, now time.Time) *Hour {
	return &Hour{tenant: tenant, hour: h, state: state, status: statusOf(state, h, expired, now)}
}

// statusOf derives an hour's status. A chunk that a run has claimed again
// (pending or building) keeps the standing of what it last stored.
func statusOf(c *store.ChunkState, h document.Hour, expired bool, now time.Time) Status {
	switch {
	case expired:
		return StatusExpired
	case h.To().After(now):
		return StatusNotReady
	case c == nil:
		return StatusMissing
	case c.Failed():
		return StatusFailed
	case c.Report == nil:
		return StatusMissing
	case !c.Fresh():
		return StatusStale
	}
	return StatusStored
}

// Ref names the hour's chunk.
func (h *Hour) Ref() store.ChunkRef { return store.ChunkRef{TenantID: h.tenant, Hour: h.hour} }

// TenantID is the tenant the report belongs to.
func (h *Hour) TenantID() uuid.UUID { return h.tenant }

// UtcDay is the report's day (midnight UTC).
func (h *Hour) UtcDay() time.Time { return h.hour.Day }

// UtcHour is the report's hour, 0 to 23.
func (h *Hour) UtcHour() int { return h.hour.Hour }

// ObjectKey is where the zip is (or will be) stored.
func (h *Hour) ObjectKey() string { return document.ObjectKey(h.tenant, h.hour) }

// Status is where the report stands.
func (h *Hour) Status() Status { return h.status }

// stored returns the recorded report when it is stored and fresh.
func (h *Hour) stored() *store.Stored {
	if h.status != StatusStored {
		return nil
	}
	return h.state.Report
}

// ConversationCount is the stored report's count, nil unless STORED.
func (h *Hour) ConversationCount() *int {
	if r := h.stored(); r != nil {
		return &r.ConversationCount
	}
	return nil
}

// MessageCount is the stored report's count, nil unless STORED.
func (h *Hour) MessageCount() *int {
	if r := h.stored(); r != nil {
		return &r.MessageCount
	}
	return nil
}

// SizeBytes is the stored zip's size, nil unless STORED.
func (h *Hour) SizeBytes() *int {
	if r := h.stored(); r != nil {
		n := int(r.SizeBytes)
		return &n
	}
	return nil
}

// Sha256 is the hex SHA-256 of the stored zip, nil unless STORED.
func (h *Hour) Sha256() *string {
	if r := h.stored(); r != nil {
		return &r.SHA256
	}
	return nil
}

// GeneratedAt is when the stored report was built, nil unless STORED.
func (h *Hour) GeneratedAt() *time.Time {
	if r := h.stored(); r != nil && !r.GeneratedAt.IsZero() {
		t := r.GeneratedAt
		return &t
	}
	return nil
}

// buildable reports whether the report can be fetched or built now.
func (h *Hour) buildable() bool { return h.status != StatusExpired && h.status != StatusNotReady }

// Day is one tenant's day: its 24 hours in order.
type Day struct {
	UtcDay time.Time
	Hours  []*Hour
}

// Link is a presigned download link.
type Link struct {
	URL       string
	ExpiresAt time.Time
}
