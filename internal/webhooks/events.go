package webhooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/store"
)

// Event is the type of an event, as its body's "type" names it.
type Event string

// The events.
const (
	// EventDayCompleted: a run finished every pass of a tenant's day and
	// all 24 hours are STORED.
	EventDayCompleted Event = "report.day.completed"
	// EventDayFailed: a run finished every pass of a tenant's day with
	// hours still FAILED.
	EventDayFailed Event = "report.day.failed"
	// EventHourRebuilt: a stored hour was rebuilt with other bytes (late
	// data, an erasure, a regeneration).
	EventHourRebuilt Event = "report.hour.rebuilt"
	// EventTest is sent by testWebhook only, whatever the webhook's events.
	EventTest Event = "webhook.test"
)

// Subscribable are the events a webhook may subscribe to.
var Subscribable = []Event{EventDayCompleted, EventDayFailed, EventHourRebuilt}

// Body is the JSON body of every event.
type Body struct {
	Type      Event     `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// DayData is the data of the report events: the tenant's day and its
// hours, with links (from PUBLIC_URL) to the day's manifest and each
// hour's report.
type DayData struct {
	TenantID uuid.UUID `json:"tenantId"`
	UtcDay   string    `json:"utcDay"`
	// URL is the day's manifest.
	URL   string    `json:"url"`
	Hours []HourRef `json:"hours"`
}

// HourRef is one hour of an event; counts and sha256 are null unless the
// hour is STORED.
type HourRef struct {
	UtcHour           int     `json:"utcHour"`
	Status            string  `json:"status"`
	ConversationCount *int    `json:"conversationCount"`
	MessageCount      *int    `json:"messageCount"`
	Sha256            *string `json:"sha256"`
	// URL is the hour's report (REST, zipped).
	URL string `json:"url"`
}

// TestData is the data of a webhook.test event.
type TestData struct {
	WebhookID uuid.UUID `json:"webhookId"`
}

// eventID names an event from what makes it one: the same inputs, the same
// id, whichever process raises it.
func eventID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "evt_" + hex.EncodeToString(sum[:16])
}

// dayURL and hourURL are the REST routes of a day's manifest and an hour.
func dayURL(base, day string) string {
	return base + "/api/external/conversations/daily-report/" + day
}

func hourURL(base, day string, hour int) string {
	return dayURL(base, day) + "/" + strconv.Itoa(hour) + "?compressed=true"
}

// hourRef describes one hour of a day for an event.
func (s *Service) hourRef(day string, h *reports.Hour) HourRef {
	return HourRef{UtcHour: h.UtcHour(), Status: string(h.Status()), ConversationCount: h.ConversationCount(),
		MessageCount: h.MessageCount(), Sha256: h.Sha256(), URL: hourURL(s.PublicURL, day, h.UtcHour())}
}

// encode renders an event's body.
func (s *Service) encode(typ Event, data any) []byte {
	b, _ := json.Marshal(Body{Type: typ, Timestamp: s.now().Truncate(time.Second), Data: data})
	return b
}

// HourRebuilt is the event of a stored hour rebuilt as m
// (reports.Events): written to the outbox with the record of the build.
func (s *Service) HourRebuilt(ctx context.Context, m reports.Meta) *store.NewEvent {
	if !s.receives(ctx, m.TenantID, EventHourRebuilt) {
		return nil // nobody to tell: the build records its report in one statement
	}
	day := m.Hour.DayString()
	conv, msgs, sha := m.ConversationCount, m.MessageCount, m.SHA256
	data := DayData{TenantID: m.TenantID, UtcDay: day, URL: dayURL(s.PublicURL, day), Hours: []HourRef{{
		UtcHour: m.Hour.Hour, Status: string(reports.StatusStored), ConversationCount: &conv,
		MessageCount: &msgs, Sha256: &sha, URL: hourURL(s.PublicURL, day, m.Hour.Hour),
	}}}
	return &store.NewEvent{
		ID:       eventID(string(EventHourRebuilt), m.TenantID.String(), day, strconv.Itoa(m.Hour.Hour), m.SHA256),
		Type:     string(EventHourRebuilt),
		TenantID: m.TenantID,
		Payload:  s.encode(EventHourRebuilt, data),
	}
}

// dayEvent is the event of a run that finished a tenant's day, or nil when
// the day is neither complete nor failed (hours another run holds). Its id
// names the day's outcome — each hour's status and stored sha256 — not the
// run: runs that find the day as it was (a reconcile retrying an hour that
// keeps failing, every ten minutes) raise nothing new, while a day that
// changed raises its event again.
func (s *Service) dayEvent(tenantID uuid.UUID, day time.Time, chunks []*store.ChunkState) *store.NewEvent {
	d := reports.DayOf(tenantID, day, chunks, false, s.now())
	dayStr := document.NewHour(day, 0).DayString()
	data := DayData{TenantID: tenantID, UtcDay: dayStr, URL: dayURL(s.PublicURL, dayStr), Hours: make([]HourRef, 0, 24)}
	outcome := []string{tenantID.String(), dayStr}
	stored, failed := 0, 0
	for _, h := range d.Hours {
		ref := s.hourRef(dayStr, h)
		data.Hours = append(data.Hours, ref)
		outcome = append(outcome, ref.Status)
		if ref.Sha256 != nil {
			outcome = append(outcome, *ref.Sha256)
		}
		switch h.Status() {
		case reports.StatusStored:
			stored++
		case reports.StatusFailed:
			failed++
		}
	}
	typ := EventDayCompleted
	switch {
	case failed > 0:
		typ = EventDayFailed
	case stored < 24:
		return nil
	}
	return &store.NewEvent{
		ID:       eventID(append([]string{string(typ)}, outcome...)...),
		Type:     string(typ),
		TenantID: tenantID,
		Payload:  s.encode(typ, data),
	}
}

// formatUnix is the webhook-timestamp of t: integer Unix seconds.
func formatUnix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }
