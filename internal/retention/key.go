package retention

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
)

// reportPrefix is the start of every report key of a tenant
// (document.ObjectKey: "<tenantId>/daily-report-YYYY-MM-DD-HH.zip"). Under it
// keys sort by day, then hour.
func reportPrefix(tenantID uuid.UUID) string { return tenantID.String() + "/daily-report-" }

// keyDay returns the day (YYYY-MM-DD) of a report key under prefix, or false
// when key is not a report key.
func keyDay(key, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(key, prefix)
	if !ok || len(rest) != len("2006-01-02-15.zip") || !strings.HasSuffix(rest, ".zip") || rest[10] != '-' {
		return "", false
	}
	day := rest[:10]
	if _, err := time.Parse(document.DayLayout, day); err != nil {
		return "", false
	}
	if h := rest[11:13]; !isDigit(h[0]) || !isDigit(h[1]) || h > "23" {
		return "", false
	}
	return day, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
