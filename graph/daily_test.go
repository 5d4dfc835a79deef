package graph_test

import (
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

type daily struct {
	DailyReport struct {
		UtcDay string
		Hours  []hourly
	}
}

func dailyReport(t *testing.T, w *world, token string, day time.Time, fields string) daily {
	t.Helper()
	var d daily
	do(t, w.e, token, `query($day: Date!) { dailyReport(utcDay: $day) { utcDay hours { utcHour status `+fields+` } } }`,
		map[string]any{"day": dayString(day)}).ok(t, &d)
	if d.DailyReport.UtcDay != dayString(day) || len(d.DailyReport.Hours) != 24 {
		t.Fatalf("daily report of %s: %+v", dayString(day), d.DailyReport)
	}
	for i, h := range d.DailyReport.Hours {
		if h.UtcHour != i {
			t.Fatalf("hour %d at position %d", h.UtcHour, i)
		}
	}
	return d
}

func TestDailyReportStatuses(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday()
	ingestHour(w.e, w.writeA, day, 1, 1, "s")
	mustHourly(t, w.e, w.readA, nil, day, 1, "data") // stored
	ingestHour(w.e, w.writeA, day, 2, 1, "m")        // missing
	failChunk(t, w.e, w.a, day, 3)                   // failed
	ingestHour(w.e, w.writeA, day, 4, 1, "st")
	mustHourly(t, w.e, w.readA, nil, day, 4, "data")
	ingestHour(w.e, w.writeA, day, 4, 2, "st") // stale

	want := map[int]string{1: "STORED", 3: "FAILED", 4: "STALE"}
	for i, h := range dailyReport(t, w, w.readA, day, "").DailyReport.Hours {
		s, ok := want[i]
		if !ok {
			s = "MISSING"
		}
		if h.Status != s {
			t.Errorf("hour %d: %s, want %s", i, h.Status, s)
		}
	}

	now := time.Now().UTC()
	for i, h := range dailyReport(t, w, w.readA, now, "").DailyReport.Hours {
		if want := map[bool]string{true: "NOT_READY", false: "MISSING"}[i >= now.Hour()]; h.Status != want {
			t.Errorf("today's hour %d: %s, want %s", i, h.Status, want)
		}
	}

	old := now.AddDate(0, -4, 0)
	for i, h := range dailyReport(t, w, w.readA, old, "downloadUrl { url } data").DailyReport.Hours {
		if h.Status != "EXPIRED" || h.DownloadUrl != nil || string(h.Data) != "null" {
			t.Errorf("expired day's hour %d: %+v", i, h)
		}
	}
}

// A day's worth of links builds every missing hour, one at a time, without
// running into the tenant's cap on live builds.
func TestDailyReportLinks(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday().AddDate(0, 0, -1)
	ingestHour(w.e, w.writeA, day, 7, 2, "l")
	for i, h := range dailyReport(t, w, w.readA, day, "downloadUrl(ttlSeconds: 60) { url }").DailyReport.Hours {
		if h.DownloadUrl == nil {
			t.Fatalf("hour %d has no link", i)
		}
		if status, _, _ := fetch(t, h.DownloadUrl.Url); status != 200 {
			t.Fatalf("hour %d: link answers %d", i, status)
		}
	}
	for i, h := range dailyReport(t, w, w.readA, day, "sha256").DailyReport.Hours {
		if h.Status != "STORED" || h.Sha256 == nil {
			t.Fatalf("hour %d after the links: %+v", i, h)
		}
	}
}
