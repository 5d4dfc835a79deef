package graph_test

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

func TestHourlyReportLifecycle(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	day := yesterday()
	ingestHour(w.e, w.writeA, day, 15, 2, "c")

	h := mustHourly(t, w.e, w.readA, nil, day, 15, "")
	wantKey := w.a.String() + "/daily-report-" + dayString(day) + "-15.zip"
	if h.Status != "MISSING" || h.ObjectKey != wantKey || h.TenantId != w.a.String() || h.UtcDay != dayString(day) ||
		h.UtcHour != 15 || h.ConversationCount != nil || h.Sha256 != nil || h.GeneratedAt != nil {
		t.Fatalf("missing hour: %+v", h)
	}

	// data builds it live and stores it: the same document REST serves.
	h = mustHourly(t, w.e, w.readA, nil, day, 15, "data")
	doc, hdr := rest(t, w.e, w.readA, day, 15, false)
	if !bytes.Equal(h.Data, doc) {
		t.Fatalf("inline data differs from REST:\n%s\n%s", h.Data, doc)
	}
	if hdr.Get("X-Report-Source") != "stored" {
		t.Fatalf("REST source %q after GraphQL built the hour, want stored", hdr.Get("X-Report-Source"))
	}
	zip, _ := rest(t, w.e, w.readA, day, 15, true)
	h = mustHourly(t, w.e, w.readA, nil, day, 15, "")
	if h.Status != "STORED" || *h.ConversationCount != 2 || *h.MessageCount != 4 || *h.SizeBytes != len(zip) ||
		*h.Sha256 != sum(zip) || *h.Sha256 != hdr.Get("X-Report-Sha256") || *h.GeneratedAt != hdr.Get("X-Report-Generated-At") {
		t.Fatalf("stored hour: %+v (REST sha %s)", h, hdr.Get("X-Report-Sha256"))
	}

	// Late data makes it stale; data rebuilds it.
	ingestHour(w.e, w.writeA, day, 15, 3, "c")
	if h = mustHourly(t, w.e, w.readA, nil, day, 15, ""); h.Status != "STALE" || h.Sha256 != nil {
		t.Fatalf("stale hour: %+v", h)
	}
	d := apptest.DecodeDoc(t, mustHourly(t, w.e, w.readA, nil, day, 15, "data").Data)
	if d.ConversationCount != 3 || len(d.Conversations) != 3 {
		t.Fatalf("rebuilt document has %d conversations, want 3", d.ConversationCount)
	}
	if h = mustHourly(t, w.e, w.readA, nil, day, 15, ""); h.Status != "STORED" || *h.ConversationCount != 3 {
		t.Fatalf("rebuilt hour: %+v", h)
	}

	// A failed chunk is FAILED, and served by a live build.
	failChunk(t, w.e, w.a, day, 3)
	if h = mustHourly(t, w.e, w.readA, nil, day, 3, ""); h.Status != "FAILED" {
		t.Fatalf("failed hour: %+v", h)
	}
	if d := apptest.DecodeDoc(t, mustHourly(t, w.e, w.readA, nil, day, 3, "data").Data); d.UtcHour != 3 || len(d.Conversations) != 0 {
		t.Fatalf("failed hour's document: %+v", d)
	}

	// Host administrators name the tenant.
	if h = mustHourly(t, w.e, w.host, &w.a, day, 15, ""); h.Status != "STORED" {
		t.Fatalf("host view: %+v", h)
	}
}

func TestHourlyReportNotReady(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	now := time.Now().UTC()
	h := mustHourly(t, w.e, w.readA, nil, now, now.Hour(), "data downloadUrl { url }")
	if h.Status != "NOT_READY" || h.DownloadUrl != nil || string(h.Data) != "null" {
		t.Fatalf("current hour: %+v", h)
	}
	if h = mustHourly(t, w.e, w.readA, nil, now.AddDate(0, 0, 3), 0, ""); h.Status != "NOT_READY" {
		t.Fatalf("future day: %+v", h)
	}
}

func TestHourlyReportErrors(t *testing.T) {
	w := newWorld(t, apptest.Options{})
	off := w.e.Tenant("off", false, 1)
	offRead := w.e.Token(off, "dataservice_external")
	day := dayString(yesterday())
	expired := dayString(time.Now().UTC().AddDate(0, -4, 0))
	random := uuid.New().String()
	const q = `query($day: Date!, $hour: Int!, $tenant: ID) { hourlyReport(utcDay: $day, utcHour: $hour, tenantId: $tenant) { status } }`
	cases := []struct {
		name   string
		token  string
		day    any
		hour   int
		tenant any
		code   string
	}{
		{"hour 24", w.readA, day, 24, nil, "BAD_USER_INPUT"},
		{"hour -1", w.readA, day, -1, nil, "BAD_USER_INPUT"},
		{"month 13", w.readA, "2025-13-01", 1, nil, "BAD_USER_INPUT"},
		{"day without dashes", w.readA, "20250101", 1, nil, "BAD_USER_INPUT"},
		{"day not a string", w.readA, 20250101, 1, nil, "BAD_USER_INPUT"},
		{"expired day", w.readA, expired, 1, nil, "GONE"},
		{"reports disabled", offRead, day, 1, nil, "FORBIDDEN"},
		{"scope missing", w.writeA, day, 1, nil, "FORBIDDEN"},
		{"host names no tenant", w.host, day, 1, nil, "BAD_USER_INPUT"},
		{"host names an unknown tenant", w.host, day, 1, random, "NOT_FOUND"},
		{"malformed tenant id", w.host, day, 1, "x", "BAD_USER_INPUT"},
		{"host names a disabled tenant", w.host, day, 1, off.String(), "FORBIDDEN"},
		{"no token", "", day, 1, nil, "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := do(t, w.e, c.token, q, map[string]any{"day": c.day, "hour": c.hour, "tenant": c.tenant})
			e := r.wantCode(t, c.code)
			if e.Message == "" || e.Message == "internal error" {
				t.Fatalf("message %q", e.Message)
			}
			if c.code == "BAD_USER_INPUT" || c.code == "GONE" {
				t.Logf("%s: %s", c.name, strconv.Quote(e.Message))
			}
		})
	}
}
