package reports_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/metrics"
	"github.com/dailyreports/dailyreports/internal/reports"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// claimEnv is one deployment for the claim's tests: a service (the
// database, a versioned bucket, ingestion through its API), one tenant and
// one hour, and the uploads of every process counted.
type claimEnv struct {
	*apptest.Env
	t       *testing.T
	tenant  uuid.UUID
	write   string
	ref     store.ChunkRef
	objects *apptest.Objects
}

func newClaimEnv(t *testing.T) *claimEnv {
	t.Helper()
	e := apptest.New(t, apptest.Options{})
	if err := e.MinIO.Client(t).EnableVersioning(context.Background(), e.App.Config.S3Bucket); err != nil {
		t.Fatal(err)
	}
	tenant := e.Tenant("acme", true, 1)
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	return &claimEnv{Env: e, t: t, tenant: tenant, write: e.Token(tenant, viewer.ScopeConversationsWrite),
		ref: store.ChunkRef{TenantID: tenant, Hour: document.NewHour(day, 10)}, objects: &apptest.Objects{Objects: e.App.Blob}}
}

// process is one API process's report service: a database pool of its
// own, over the deployment's database and bucket.
type process struct {
	*reports.Service
	metrics *metrics.Metrics
}

// process starts a process; events, when not nil, is called by its builds
// right before each upload, liveWait bounds its waits (0: the default).
func (c *claimEnv) process(events reports.Events, liveWait time.Duration) *process {
	c.t.Helper()
	return c.processWithPool(events, liveWait, store.DefaultMaxConns)
}

// processWithPool is process with at most conns database connections.
func (c *claimEnv) processWithPool(events reports.Events, liveWait time.Duration, conns int) *process {
	c.t.Helper()
	st, err := store.OpenPostgresDriver("postgres", c.DatabaseURL, conns)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { _ = st.Close() })
	m := metrics.New()
	b := &reports.Builder{Store: st, Blob: c.objects, Metrics: m, Log: apptest.Logger(c.t), TempDir: c.t.TempDir(), Events: events}
	return &process{metrics: m, Service: &reports.Service{Store: st, Tenants: &reports.Tenants{Store: st}, Builder: b,
		MaxLivePerTenant: 64, LiveWait: liveWait, CacheBytes: -1}}
}

// fetched is what a client of a process was served.
type fetched struct {
	meta   reports.Meta
	source string
	stored bool
	doc    string
}

// fetch fetches the hour as the tenant's client.
func (c *claimEnv) fetch(p *process) (fetched, error) {
	ctx := viewer.NewContext(context.Background(), viewer.Viewer{Subject: "client", TenantID: c.tenant, Scopes: []string{viewer.ScopeReportsRead}})
	r, err := p.Fetch(ctx, "", c.ref.Hour.Day, c.ref.Hour.Hour)
	if err != nil {
		return fetched{}, err
	}
	defer r.Close()
	zip, err := io.ReadAll(r.Content)
	if err != nil {
		return fetched{}, err
	}
	return fetched{meta: r.Meta, source: r.Source, stored: r.Stored, doc: string(apptest.Unzip(c.t, zip, c.ref.Hour.EntryName()))}, nil
}

// ingest writes a conversation into the hour and returns the hour's data
// version after it.
func (c *claimEnv) ingest(id string) int64 {
	c.t.Helper()
	c.Ingest(c.write, []apptest.Conv{apptest.NewConv(id, c.ref.Hour.From().Add(time.Minute))})
	return c.row().DataVersion
}

func (c *claimEnv) row() *store.ChunkState {
	c.t.Helper()
	row, err := c.App.Store.Chunk(apptest.System(), c.ref)
	if err != nil || row == nil {
		c.t.Fatalf("chunk row: %+v, %v", row, err)
	}
	return row
}

// versions counts the versions of the hour's object in the bucket.
func (c *claimEnv) versions() int {
	c.t.Helper()
	n := 0
	for o := range c.MinIO.Client(c.t).ListObjects(context.Background(), c.App.Config.S3Bucket, minio.ListObjectsOptions{
		Prefix: document.ObjectKey(c.tenant, c.ref.Hour), WithVersions: true}) {
		if o.Err != nil {
			c.t.Fatal(o.Err)
		}
		n++
	}
	return n
}

func dedup(p *process, outcome string) float64 {
	return testutil.ToFloat64(p.metrics.BuildsDeduplicated.WithLabelValues(outcome))
}

// Two API processes on one database and bucket, each fetching one hour
// many times at once while a run builds the same hour, store the hour's
// report once per data version: every client is served that version, and
// the bucket holds one object version per data version.
func TestOneUploadPerDataVersionAcrossProcesses(t *testing.T) {
	c := newClaimEnv(t)
	// A few thousand conversations: builds take long enough to overlap.
	if _, _, err := seed.Seed(context.Background(), c.App.Store, []uuid.UUID{c.tenant}, seed.Options{
		Day: c.ref.Hour.Day, Hours: []int{c.ref.Hour.Hour}, ConversationsPerHour: 3000, MessagesPerConversation: 2}); err != nil {
		t.Fatal(err)
	}
	procs := []*process{c.process(nil, 0), c.process(nil, 0)}
	const rounds, fetchesPerProcess = 3, 8
	for round := 1; round <= rounds; round++ {
		late := "late-" + string(rune('0'+round))
		version := c.ingest(late)
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan error, 2*fetchesPerProcess+1)
		for _, p := range procs {
			for range fetchesPerProcess {
				wg.Go(func() {
					<-start
					got, err := c.fetch(p)
					switch {
					case err != nil:
						errs <- err
					case got.meta.DataVersion != version || !strings.Contains(got.doc, late):
						t.Errorf("round %d: served data version %d (%s, %s), want %d with %s", round, got.meta.DataVersion, got.source, got.meta.SHA256, version, late)
					}
				})
			}
		}
		wg.Go(func() {
			<-start
			meta, err := procs[0].Builder.BuildAndStore(viewer.TenantContext(context.Background(), "job:chunk", c.tenant), c.ref, "job", reports.StoreOptions{})
			if err != nil {
				errs <- err
			} else if meta.DataVersion != version {
				t.Errorf("round %d: the run recorded data version %d, want %d", round, meta.DataVersion, version)
			}
		})
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
		if n, v := c.objects.Count(document.ObjectKey(c.tenant, c.ref.Hour)), c.versions(); n != round || v != round {
			t.Fatalf("after round %d: %d uploads, %d object versions; want %d (one per data version)", round, n, v, round)
		}
		if row := c.row(); !row.Fresh() || row.Lease != nil {
			t.Fatalf("after round %d: row fresh %v, claim %+v", round, row.Fresh(), row.Lease)
		}
	}
	var deduplicated float64
	for _, p := range procs {
		deduplicated += dedup(p, "waited") + dedup(p, "stored")
	}
	t.Logf("%d rounds: %g builds deduplicated across the processes", rounds, deduplicated)
}

// gate holds a process's builds right before their upload until released.
type gate struct {
	reached, release chan struct{}
	once             sync.Once
}

func newGate() *gate { return &gate{reached: make(chan struct{}), release: make(chan struct{})} }

func (g *gate) HourRebuilt(context.Context, reports.Meta) *store.NewEvent {
	g.once.Do(func() { close(g.reached) })
	<-g.release
	return nil
}

func (g *gate) Queued(context.Context, []uuid.UUID) {}

// A build of newer data does not wait for a build of older data in another
// process: it takes the claim over and stores its report, and the older
// build, finding its claim taken right before its upload, serves its own
// client what it built (the data that client was acknowledged) without
// storing it.
func TestNewerDataTakesTheClaimOver(t *testing.T) {
	c := newClaimEnv(t)
	g := newGate()
	older, newer := c.process(g, 0), c.process(nil, 0)
	v1 := c.ingest("c-1")
	done := make(chan fetched, 1)
	go func() {
		got, err := c.fetch(older)
		if err != nil {
			t.Error(err)
		}
		done <- got
	}()
	<-g.reached // built from v1 under its claim, about to upload
	v2 := c.ingest("c-2")
	got, err := c.fetch(newer)
	if err != nil {
		t.Fatal(err)
	}
	if got.source != reports.SourceLive || !got.stored || got.meta.DataVersion != v2 || !strings.Contains(got.doc, "c-2") {
		t.Fatalf("newer data: served %s (stored %v) of version %d, want a stored live build of %d", got.source, got.stored, got.meta.DataVersion, v2)
	}
	close(g.release)
	old := <-done
	if old.source != reports.SourceLive || old.stored || old.meta.DataVersion != v1 || strings.Contains(old.doc, "c-2") || !strings.Contains(old.doc, "c-1") {
		t.Fatalf("older build: served %s (stored %v) of version %d, want its own unstored build of %d", old.source, old.stored, old.meta.DataVersion, v1)
	}
	if n := dedup(older, "taken_over"); n != 1 {
		t.Errorf("taken_over %g, want 1", n)
	}
	row := c.row()
	if n, v := c.objects.Count(document.ObjectKey(c.tenant, c.ref.Hour)), c.versions(); n != 1 || v != 1 || !row.Fresh() || row.ReportSHA256() != got.meta.SHA256 || row.Lease != nil {
		t.Fatalf("%d uploads, %d versions, row fresh %v (sha %s, claim %+v); want the newer build's only", n, v, row.Fresh(), row.ReportSHA256(), row.Lease)
	}
	if again, err := c.fetch(older); err != nil || again.source != reports.SourceStored || again.meta.SHA256 != got.meta.SHA256 {
		t.Fatalf("then: %s %s, %v; want the stored newer report", again.source, again.meta.SHA256, err)
	}
}

// A claim that a stuck build holds makes a live request wait LiveWait, then
// serve a build of its own, right but not stored; newer data is built and
// stored at once whatever the stuck build holds.
func TestLiveRequestPastItsWaitServesItsOwnBuild(t *testing.T) {
	c := newClaimEnv(t)
	const wait = 400 * time.Millisecond
	p := c.process(nil, wait)
	v1 := c.ingest("c-1")
	if got, err := c.App.Store.ClaimBuild(apptest.System(), c.ref, store.BuildClaim{Version: v1, Token: "stuck", Lease: time.Minute}); err != nil || !got.Won {
		t.Fatalf("stuck claim: %+v, %v", got, err)
	}
	start := time.Now()
	got, err := c.fetch(p)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took < wait || took > wait+5*time.Second {
		t.Errorf("served after %s, want about LiveWait (%s)", took, wait)
	}
	if got.source != reports.SourceLive || got.stored || got.meta.DataVersion != v1 || !strings.Contains(got.doc, "c-1") {
		t.Fatalf("served %s (stored %v) of version %d: want an unstored live build of %d", got.source, got.stored, got.meta.DataVersion, v1)
	}
	if n := c.objects.Count(document.ObjectKey(c.tenant, c.ref.Hour)); n != 0 || dedup(p, "unstored") != 1 {
		t.Fatalf("%d uploads, unstored %g; want none and 1", n, dedup(p, "unstored"))
	}
	if row := c.row(); row.Lease == nil || row.Lease.Owner != "stuck" {
		t.Fatalf("the stuck build's claim is gone: %+v", row.Lease)
	}

	v2 := c.ingest("c-2")
	start = time.Now()
	got, err = c.fetch(p)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) >= wait || !got.stored || got.meta.DataVersion != v2 {
		t.Fatalf("newer data: served after %s, stored %v, version %d; want stored %d at once", time.Since(start), got.stored, got.meta.DataVersion, v2)
	}
}

// A claim whose build died (its lease lapses unrenewed) is taken up: a live
// request waits for the lapse, not for LiveWait, and stores the report.
func TestLapsedClaimIsTakenUp(t *testing.T) {
	c := newClaimEnv(t)
	p := c.process(nil, time.Minute)
	v1 := c.ingest("c-1")
	const lease = 500 * time.Millisecond
	if got, err := c.App.Store.ClaimBuild(apptest.System(), c.ref, store.BuildClaim{Version: v1, Token: "dead", Lease: lease}); err != nil || !got.Won {
		t.Fatalf("dead claim: %+v, %v", got, err)
	}
	start := time.Now()
	got, err := c.fetch(p)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if took > 10*time.Second || !got.stored || got.meta.DataVersion != v1 {
		t.Fatalf("served after %s, stored %v, version %d; want stored %d once the lease (%s) lapsed", took, got.stored, got.meta.DataVersion, v1, lease)
	}
	t.Logf("served %s after the claim was taken (lease %s)", took.Round(time.Millisecond), lease)
	if n := c.objects.Count(document.ObjectKey(c.tenant, c.ref.Hour)); n != 1 {
		t.Fatalf("%d uploads, want 1", n)
	}
}

// A run's chunk whose claim a live build holds waits for that build and
// records its report: one upload, and the run gets the live build's
// report back.
func TestRunChunkWaitsForALiveBuild(t *testing.T) {
	c := newClaimEnv(t)
	g := newGate()
	api, worker := c.process(g, 0), c.process(nil, 0)
	c.ingest("c-1")
	served := make(chan fetched, 1)
	go func() {
		got, err := c.fetch(api)
		if err != nil {
			t.Error(err)
		}
		served <- got
	}()
	<-g.reached
	type result struct {
		meta reports.Meta
		err  error
	}
	ran := make(chan result, 1)
	go func() {
		meta, err := worker.Builder.BuildAndStore(viewer.TenantContext(context.Background(), "job:chunk", c.tenant), c.ref, "job", reports.StoreOptions{})
		ran <- result{meta, err}
	}()
	select {
	case r := <-ran:
		t.Fatalf("the run's build returned while the live build holds the claim: %+v", r)
	case <-time.After(time.Second):
	}
	close(g.release)
	live, r := <-served, <-ran
	if r.err != nil || !live.stored || r.meta.SHA256 != live.meta.SHA256 || r.meta.DataVersion != live.meta.DataVersion {
		t.Fatalf("run: %+v, %v; live: stored %v %s", r.meta, r.err, live.stored, live.meta.SHA256)
	}
	if n := c.objects.Count(document.ObjectKey(c.tenant, c.ref.Hour)); n != 1 || dedup(worker, "waited") != 1 {
		t.Fatalf("%d uploads, waited %g; want 1 and 1", n, dedup(worker, "waited"))
	}
	if row := c.row(); !row.Stored() || !row.Fresh() {
		t.Fatalf("row %s fresh %v, want stored", row.Phase(), row.Fresh())
	}
}

// TestBuildsNeverWaitOnEachOtherForTheirPool checks that many builds at
// once finish on a process with a single database connection: a build
// holds at most one connection at a time (claim, then snapshot read, then
// record), so no number of builds exhausts a pool of any size.
func TestBuildsNeverWaitOnEachOtherForTheirPool(t *testing.T) {
	c := newClaimEnv(t)
	hours := []int{0, 1, 2, 3, 4, 5, 6, 7}
	if _, _, err := seed.Seed(context.Background(), c.App.Store, []uuid.UUID{c.tenant}, seed.Options{
		Day: c.ref.Hour.Day, Hours: hours, ConversationsPerHour: 50, MessagesPerConversation: 2}); err != nil {
		t.Fatal(err)
	}
	p := c.processWithPool(nil, 0, 1)
	ctx, cancel := context.WithTimeout(viewer.TenantContext(context.Background(), "job:chunk", c.tenant), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, h := range hours {
		wg.Go(func() {
			ref := store.ChunkRef{TenantID: c.tenant, Hour: document.NewHour(c.ref.Hour.Day, h)}
			meta, err := p.Builder.BuildAndStore(ctx, ref, "job", reports.StoreOptions{})
			if err != nil || meta.ConversationCount != 50 {
				t.Errorf("hour %02d: %d conversations, %v", h, meta.ConversationCount, err)
			}
		})
	}
	wg.Wait()
}
