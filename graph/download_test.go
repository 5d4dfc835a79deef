package graph_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// fetch downloads a presigned link without any credentials of ours.
func fetch(t *testing.T, url string) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func TestDownloadURL(t *testing.T) {
	w := newWorld(t, apptest.Options{Env: map[string]string{"PRESIGN_TTL": "10m"}})
	day := yesterday()
	ingestHour(w.e, w.writeA, day, 10, 3, "d")

	// A missing hour is built and stored first; the link serves that zip.
	start := time.Now()
	h := mustHourly(t, w.e, w.readA, nil, day, 10, "downloadUrl(ttlSeconds: 2) { url expiresAt }")
	if h.Status != "MISSING" || h.DownloadUrl == nil {
		t.Fatalf("hour: %+v", h)
	}
	status, zip, hdr := fetch(t, h.DownloadUrl.Url)
	if status != http.StatusOK {
		t.Fatalf("presigned GET: %d %s", status, zip)
	}
	if cd := hdr.Get("Content-Disposition"); !strings.Contains(cd, "daily-report-"+dayString(day)+"-10.zip") {
		t.Fatalf("Content-Disposition %q", cd)
	}
	restZip, restHdr := rest(t, w.e, w.readA, day, 10, true)
	if sum(zip) != sum(restZip) || sum(zip) != restHdr.Get("X-Report-Sha256") {
		t.Fatalf("presigned zip sha256 %s, REST %s (header %s)", sum(zip), sum(restZip), restHdr.Get("X-Report-Sha256"))
	}
	if d := apptest.DecodeDoc(t, apptest.Unzip(t, zip, "daily-report-"+dayString(day)+"-10.json")); d.ConversationCount != 3 {
		t.Fatalf("document holds %d conversations", d.ConversationCount)
	}
	if got := mustHourly(t, w.e, w.readA, nil, day, 10, ""); got.Status != "STORED" || *got.Sha256 != sum(zip) {
		t.Fatalf("after the link: %+v", got)
	}
	if exp := h.DownloadUrl.ExpiresAt; exp.Before(start.Add(time.Second)) || exp.After(time.Now().Add(3*time.Second)) {
		t.Fatalf("expiresAt %s for a 2 s link made at %s", exp, start)
	}

	// The link stops working after its lifetime.
	time.Sleep(time.Until(h.DownloadUrl.ExpiresAt) + 1500*time.Millisecond)
	if status, body, _ := fetch(t, h.DownloadUrl.Url); status != http.StatusForbidden {
		t.Fatalf("expired link: %d %s", status, body)
	}

	// A stored hour is presigned at once; the default lifetime is PRESIGN_TTL,
	// and no link lives longer than seven days.
	for _, c := range []struct {
		arg  string
		want time.Duration
	}{{"", 10 * time.Minute}, {"(ttlSeconds: 3600)", time.Hour}, {"(ttlSeconds: 2592000)", 7 * 24 * time.Hour}} {
		h := mustHourly(t, w.e, w.readA, nil, day, 10, "downloadUrl"+c.arg+" { url expiresAt }")
		if d := time.Until(h.DownloadUrl.ExpiresAt); d < c.want-10*time.Second || d > c.want+time.Second {
			t.Fatalf("downloadUrl%s lives %s, want %s", c.arg, d, c.want)
		}
		if status, _, _ := fetch(t, h.DownloadUrl.Url); status != http.StatusOK {
			t.Fatalf("downloadUrl%s: %d", c.arg, status)
		}
	}
	// GraphQL's Int is 32-bit: a larger literal is a user error too.
	for _, ttl := range []string{"0", "-5", "2147483648", "-2147483649"} {
		r := hourlyReport(t, w.e, w.readA, nil, day, 10, "downloadUrl(ttlSeconds: "+ttl+") { url }")
		if e := r.wantCode(t, "BAD_USER_INPUT"); len(e.Path) < 2 || e.Path[1] != "downloadUrl" {
			t.Fatalf("error path %v", e.Path)
		}
	}
	q := `query($d: Date!, $ttl: Int) { hourlyReport(utcDay: $d, utcHour: 10) { downloadUrl(ttlSeconds: $ttl) { url } } }`
	r := do(t, w.e, w.readA, q, map[string]any{"d": dayString(day), "ttl": int64(1) << 31})
	if e := r.wantCode(t, "BAD_USER_INPUT"); !strings.Contains(e.Message, "2147483647") {
		t.Fatalf("ttlSeconds 2^31 as a variable: %s", r.Raw)
	}
}
