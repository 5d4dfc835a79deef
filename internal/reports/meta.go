package reports

import (
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
)

// Meta describes one built report. It travels with the object as user
// metadata, so a stored report describes itself even when the database is
// unreachable.
type Meta struct {
	TenantID          uuid.UUID
	Hour              document.Hour
	ConversationCount int
	MessageCount      int
	GeneratedAt       time.Time
	SchemaVersion     int
	// SHA256 is the hex SHA-256 of the zip bytes.
	SHA256 string
	// Size is the size of the zip; JSONSize of the document inside it.
	Size     int64
	JSONSize int64
	// DataVersion is the hour's data version the report was built from.
	DataVersion int64
}

// Object metadata keys (canonical header form, without X-Amz-Meta-).
const (
	keyTenant        = "Report-Tenant-Id"
	keyDay           = "Report-Utc-Day"
	keyHour          = "Report-Utc-Hour"
	keyConversations = "Report-Conversation-Count"
	keyMessages      = "Report-Message-Count"
	keyGeneratedAt   = "Report-Generated-At"
	keySchema        = "Report-Schema-Version"
	keySHA256        = "Report-Sha256"
	keyJSONSize      = "Report-Json-Size"
	keyDataVersion   = "Report-Data-Version"
)

// toObjectMeta renders m as object user metadata.
func (m Meta) toObjectMeta() map[string]string {
	return map[string]string{
		keyTenant:        m.TenantID.String(),
		keyDay:           m.Hour.DayString(),
		keyHour:          strconv.Itoa(m.Hour.Hour),
		keyConversations: strconv.Itoa(m.ConversationCount),
		keyMessages:      strconv.Itoa(m.MessageCount),
		keyGeneratedAt:   m.GeneratedAt.UTC().Format(time.RFC3339),
		keySchema:        strconv.Itoa(m.SchemaVersion),
		keySHA256:        m.SHA256,
		keyJSONSize:      strconv.FormatInt(m.JSONSize, 10),
		keyDataVersion:   strconv.FormatInt(m.DataVersion, 10),
	}
}

// metaFromObject reads the metadata written by toObjectMeta; ok is false
// when the object does not carry complete, coherent metadata.
func metaFromObject(md map[string]string, size int64) (Meta, bool) {
	m := Meta{Size: size}
	var err error
	var errs []error
	atoi := func(k string) int {
		v, e := strconv.Atoi(md[k])
		errs = append(errs, e)
		return v
	}
	if m.TenantID, err = uuid.Parse(md[keyTenant]); err != nil {
		return Meta{}, false
	}
	day, err := time.Parse(document.DayLayout, md[keyDay])
	if err != nil {
		return Meta{}, false
	}
	m.Hour = document.NewHour(day, atoi(keyHour))
	m.ConversationCount = atoi(keyConversations)
	m.MessageCount = atoi(keyMessages)
	m.SchemaVersion = atoi(keySchema)
	m.JSONSize, err = strconv.ParseInt(md[keyJSONSize], 10, 64)
	errs = append(errs, err)
	m.DataVersion, err = strconv.ParseInt(md[keyDataVersion], 10, 64)
	errs = append(errs, err)
	m.GeneratedAt, err = time.Parse(time.RFC3339, md[keyGeneratedAt])
	errs = append(errs, err)
	m.SHA256 = md[keySHA256]
	for _, e := range errs {
		if e != nil {
			return Meta{}, false
		}
	}
	return m, len(m.SHA256) == 64
}
