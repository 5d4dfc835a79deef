package jobs_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/viewer"
	"github.com/dailyreports/dailyreports/jobs"
)

// dataset ingests, for one tenant, conversations on both edges of every
// hour of day, one in each neighbouring day, and a few with hard text, and
// returns what each hour's report must hold, in report order.
func dataset(t *testing.T, e *apptest.Env, tenant uuid.UUID, prefix string) map[int][]apptest.Conv {
	t.Helper()
	want := make(map[int][]apptest.Conv)
	var batch []apptest.Conv
	add := func(c apptest.Conv, hour int) {
		batch = append(batch, c)
		if hour >= 0 {
			want[hour] = append(want[hour], c)
		}
	}
	for h := 0; h < 24; h++ {
		add(apptest.NewConv(prefix+"-first-"+itoa(h), at(h, 0, 0, 0)), h)
		if h%3 == 0 {
			add(apptest.NewConv(prefix+"-last-"+itoa(h), at(h, 59, 59, 999)), h)
		}
	}
	add(apptest.NewConv(prefix+"-before", at(0, 0, 0, -1)), -1) // 23:59:59.999 the day before
	add(apptest.NewConv(prefix+"-after", at(24, 0, 0, 0)), -1)  // 00:00 the day after

	hard := apptest.NewConv(prefix+"-unicode", at(5, 30, 0, 123))
	hard.Messages[0].Text = "héllo \"quoted\" \\back\\slash\nnew line\ttab 🎉 日本語 مرحبا ı İ e\u0301 <b>&amp;</b> \u2028"
	hard.ProjectName = "ünïcødé/\"proj\""
	// Equal SentAt: ordered by Id; sent out of order.
	hard.Messages = append(hard.Messages,
		apptest.Msg{Id: "m-b", SentAt: hard.Messages[1].SentAt, Sender: "agent", Text: "b"},
		apptest.Msg{Id: "m-a", SentAt: hard.Messages[1].SentAt, Sender: "system", Text: "a"})
	add(hard, 5)
	// Two conversations starting at the same instant: ordered by Id.
	add(apptest.NewConv(prefix+"-z", at(6, 10, 0, 0)), 6)
	add(apptest.NewConv(prefix+"-y", at(6, 10, 0, 0)), 6)

	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), batch)
	for h, cs := range want {
		slices.SortFunc(cs, func(a, b apptest.Conv) int {
			return strings.Compare(a.StartedAt+"\x00"+a.Id, b.StartedAt+"\x00"+b.Id)
		})
		for i := range cs {
			slices.SortStableFunc(cs[i].Messages, func(a, b apptest.Msg) int {
				return strings.Compare(a.SentAt+"\x00"+a.Id, b.SentAt+"\x00"+b.Id)
			})
		}
		want[h] = cs
	}
	return want
}

func itoa(h int) string { return string(rune('a'+h/10)) + string(rune('0'+h%10)) }

// checkDay compares every stored report of a tenant's day field by field
// with what was ingested.
func checkDay(t *testing.T, e *apptest.Env, tenant uuid.UUID, want map[int][]apptest.Conv) {
	t.Helper()
	for h := 0; h < 24; h++ {
		doc := storedDoc(t, e, tenant, h)
		msgs := 0
		for _, c := range want[h] {
			msgs += len(c.Messages)
		}
		from := at(h, 0, 0, 0).Format(time.RFC3339)
		if doc.SchemaVersion != 1 || doc.TenantId != tenant.String() || doc.UtcDay != dayString() ||
			doc.UtcHour != h || doc.From != from || doc.To != at(h+1, 0, 0, 0).Format(time.RFC3339) ||
			doc.ConversationCount != len(want[h]) || doc.MessageCount != msgs {
			t.Fatalf("hour %d header: %+v", h, doc)
		}
		got := doc.Conversations
		if len(want[h]) == 0 && (got == nil || len(got) != 0) {
			t.Fatalf("hour %d: want an empty Conversations array, got %v", h, got)
		}
		if len(want[h]) > 0 && !reflect.DeepEqual(got, want[h]) {
			t.Fatalf("hour %d differs:\ngot  %s\nwant %s", h, dump(got), dump(want[h]))
		}
	}
}

func TestNightlyRunBuildsEveryTenantsDay(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	a, b := e.Tenant("a", true, 3), e.Tenant("b", true, 3)
	disabled := e.Tenant("off", false, 3)
	wantA, wantB := dataset(t, e, a, "a"), dataset(t, e, b, "b")
	dataset(t, e, disabled, "off")
	e.StartWorker()
	enqueueRun(t, e, jobs.RunPayload{RunID: "nightly-" + dayString(), Day: dayString()})

	rows := waitSettled(t, e, 48, time.Minute)
	for _, c := range rows {
		if c.Ref.TenantID == disabled && c.Stored() {
			t.Fatalf("disabled tenant's hour %d was built", c.Ref.Hour.Hour)
		}
		if c.Ref.TenantID != disabled && (!c.Stored() || c.Attempts != 1 || c.Report.BuiltVersion != c.DataVersion) {
			t.Fatalf("chunk %d: %s attempts %d built %d data %d", c.Ref.Hour.Hour, c.Phase(), c.Attempts, c.Report.BuiltVersion, c.DataVersion)
		}
	}
	checkDay(t, e, a, wantA)
	checkDay(t, e, b, wantB)
}

// failing returns the upload faults of the retry tests: x fails twice, then
// succeeds; y always fails.
func failing(x, y string) func(string, int) bool {
	return func(k string, n int) bool { return k == y || (k == x && n <= 2) }
}

// checkRetryOrder checks that the retries of x and y came only after every
// chunk's first attempt, and that no chunk was tried more than three times.
func checkRetryOrder(t *testing.T, puts []string, x, y string, chunks int) {
	t.Helper()
	first := make(map[string]int)
	lastFirst := 0
	for i, k := range puts {
		if _, ok := first[k]; !ok {
			first[k] = i
			lastFirst = i
		}
	}
	if len(first) != chunks {
		t.Fatalf("%d chunks tried, want %d", len(first), chunks)
	}
	for _, k := range []string{x, y} {
		var at []int
		for i, p := range puts {
			if p == k {
				at = append(at, i)
			}
		}
		if len(at) != 3 {
			t.Fatalf("%s uploaded %d times, want 3", k, len(at))
		}
		if at[1] < lastFirst {
			t.Fatalf("%s retried at upload %d, before the first pass ended (%d)", k, at[1], lastFirst)
		}
	}
	if n := len(puts); n != chunks+4 {
		t.Fatalf("%d uploads, want %d", n, chunks+4)
	}
}

func TestRetryPassesComeAfterEveryTenantsFirstPass(t *testing.T) {
	for _, mode := range []string{"queue", "local"} {
		t.Run(mode, func(t *testing.T) {
			e := apptest.New(t, apptest.Options{})
			a, b := e.Tenant("a", true, 3), e.Tenant("b", true, 3)
			x, y := key(a, 3), key(b, 22)
			objects := &apptest.Objects{Objects: e.App.Blob, Fail: failing(x, y)}
			e.App.Objects = objects

			var sum jobs.Summary
			p := jobs.RunPayload{RunID: "retry-" + mode, Day: dayString()}
			if mode == "queue" {
				e.StartWorker()
				enqueueRun(t, e, p)
				waitSettled(t, e, 48, time.Minute)
			} else {
				var err error
				r := e.App.Runner()
				sum, err = r.Run(context.Background(), p, &jobs.LocalExecutor{Runner: r, Parallel: 4})
				if err != nil {
					t.Fatal(err)
				}
				if sum.Chunks != 48 || sum.Stored != 47 || len(sum.Failed) != 1 || sum.Failed[0].TenantID != b || sum.Failed[0].Hour.Hour != 22 {
					t.Fatalf("summary %+v", sum)
				}
			}
			checkRetryOrder(t, objects.Puts(), x, y, 48)
			for _, c := range chunks(t, e) {
				k := key(c.Ref.TenantID, c.Ref.Hour.Hour)
				switch {
				case k == y:
					if !c.Failed() || c.Attempts != 3 || !strings.Contains(c.LastError, "unavailable") {
						t.Fatalf("always-failing chunk: %s attempts %d error %q", c.Phase(), c.Attempts, c.LastError)
					}
				case k == x:
					if !c.Stored() || c.Attempts != 3 || c.LastError != "" {
						t.Fatalf("twice-failing chunk: %s attempts %d error %q", c.Phase(), c.Attempts, c.LastError)
					}
				default:
					if !c.Stored() || c.Attempts != 1 {
						t.Fatalf("chunk %s: %s attempts %d", k, c.Phase(), c.Attempts)
					}
				}
			}
		})
	}
}

func TestSeveralPlannersAndWorkersBuildEachChunkOnce(t *testing.T) {
	e := apptest.New(t, apptest.Options{})
	tenants := []uuid.UUID{e.Tenant("a", true, 1), e.Tenant("b", true, 1), e.Tenant("c", true, 1)}
	objects := &apptest.Objects{Objects: e.App.Blob}
	e.App.Objects = objects
	// Two workers over one database, Redis and bucket, as two processes are.
	e.StartWorker()
	e.StartWorker()
	p := jobs.RunPayload{RunID: "nightly-" + dayString(), Day: dayString()}
	for range 3 { // several schedulers firing the same night
		enqueueRun(t, e, p)
	}
	waitSettled(t, e, 24*len(tenants), time.Minute)
	// A planner racing the end of the run, and a run planned again later,
	// build nothing: every chunk is stored and fresh.
	r := e.App.Runner()
	sum, err := r.Run(context.Background(), jobs.RunPayload{RunID: "again", Day: dayString()}, &jobs.LocalExecutor{Runner: r, Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Chunks != 0 {
		t.Fatalf("planning a stored day again claimed %d chunks", sum.Chunks)
	}
	puts := objects.Puts()
	seen := make(map[string]bool)
	for _, k := range puts {
		if seen[k] {
			t.Fatalf("%s uploaded twice", k)
		}
		seen[k] = true
	}
	if len(puts) != 24*len(tenants) {
		t.Fatalf("%d uploads, want %d", len(puts), 24*len(tenants))
	}
}
