// Package document is the daily-report document and its zip container: rows in,
// JSON out, streamed into one deflated zip entry spooled to a temporary file.
// It knows nothing of HTTP, queues, databases or object storage.
package document

import (
	"fmt"
	"time"

	"github.com/dailyreports/dailyreports/internal/apperr"

	"github.com/google/uuid"
)

// SchemaVersion is the version of the document written by this package.
const SchemaVersion = 1

// DayLayout is the layout of a UTC day in keys, names and documents.
const DayLayout = "2006-01-02"

// Message is one turn of a conversation, as it appears in the document.
type Message struct {
	ID         string
	SentAt     time.Time
	Sender     string
	Text       string
	Intent     *string
	Confidence *float64
}

// Conversation is one conversation with its ordered messages.
type Conversation struct {
	ID          string
	SessionID   string
	Channel     string
	Language    string
	ProjectName string
	StartedAt   time.Time
	EndedAt     *time.Time
	Status      string
	Messages    []Message
}

// Header is the part of a document that precedes its conversations.
type Header struct {
	TenantID          uuid.UUID
	Hour              Hour
	GeneratedAt       time.Time
	ConversationCount int
	MessageCount      int
}

// Hour is one UTC hour of one day: the unit a report covers.
type Hour struct {
	Day  time.Time // midnight UTC
	Hour int       // 0..23
}

// NewHour returns the hour h of day, normalised to UTC midnight.
func NewHour(day time.Time, h int) Hour {
	d := day.UTC()
	return Hour{Day: time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), Hour: h}
}

// CheckedHour is NewHour for an hour a client named: one outside 0..23 is an
// Invalid error.
func CheckedHour(day time.Time, h int) (Hour, error) {
	if h < 0 || h > 23 {
		return Hour{}, apperr.New(apperr.Invalid, "utcHour must be an hour from 0 to 23")
	}
	return NewHour(day, h), nil
}

// HourOf returns the UTC hour that t falls in.
func HourOf(t time.Time) Hour { t = t.UTC(); return NewHour(t, t.Hour()) }

// From is the first instant of the hour.
func (h Hour) From() time.Time { return h.Day.Add(time.Duration(h.Hour) * time.Hour) }

// To is the first instant after the hour.
func (h Hour) To() time.Time { return h.From().Add(time.Hour) }

// DayString is the hour's day as YYYY-MM-DD.
func (h Hour) DayString() string { return h.Day.Format(DayLayout) }

// String is YYYY-MM-DD-HH, the suffix of the report's file names.
func (h Hour) String() string { return fmt.Sprintf("%s-%02d", h.DayString(), h.Hour) }

// BaseName is the report's name without extension: daily-report-YYYY-MM-DD-HH.
func (h Hour) BaseName() string { return "daily-report-" + h.String() }

// ZipName is the file name of the zip, also used in Content-Disposition.
func (h Hour) ZipName() string { return h.BaseName() + ".zip" }

// EntryName is the name of the JSON entry inside the zip.
func (h Hour) EntryName() string { return h.BaseName() + ".json" }

// ObjectKey is the object-storage key of a tenant's report for the hour.
func ObjectKey(tenantID uuid.UUID, h Hour) string { return tenantID.String() + "/" + h.ZipName() }
