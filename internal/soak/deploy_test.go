package soak

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// deployment is the service under soak: a fresh database, a MinIO server of
// the test's own with a versioned bucket, a Redis database, two full serve
// processes, and the tenants with their tokens. The in-process service of
// apptest migrates the database and creates the tenants; it serves none of
// the load.
type deployment struct {
	*apptest.Env
	t       *testing.T
	minio   *testenv.MinIO
	bucket  string
	day     time.Time // the previous UTC day, which the load writes and reads
	servers []*server
	tenants []tenant
}

// server is one serve process and its listeners.
type server struct {
	*testenv.Child
	url string // base URL of the API
	ops string // base URL of the operations listener (/metrics)
}

// tenant is one tenant with reports enabled and its token, which reads its
// reports and ingests its conversations.
type tenant struct {
	id    uuid.UUID
	token string
}

// schedule is the configuration the scheduled runs follow: the nightly run
// every 20 s (its run id is the day's, so only the first builds) and the
// reconcile every 20 s, which rebuilds the hours the load made stale.
var schedule = map[string]string{
	"REPORT_SCHEDULE":    "@every 20s",
	"RECONCILE_INTERVAL": "20s",
}

// deploy prepares the deployment for s: tenants, seeded hours of the
// previous day, and both serve processes ready.
func deploy(t *testing.T, s settings) *deployment {
	t.Helper()
	day := previousDay(t, s.Duration)
	m := testenv.StartMinIO(t)
	e := apptest.New(t, apptest.Options{MinIO: m, Env: schedule})
	d := &deployment{Env: e, t: t, minio: m, bucket: e.App.Config.S3Bucket, day: day}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Versioning keeps every upload, so the soak counts them.
	if err := m.Client(t).EnableVersioning(ctx, d.bucket); err != nil {
		t.Fatalf("enable versioning: %v", err)
	}
	ids := make([]uuid.UUID, s.Tenants)
	for i := range ids {
		ids[i] = e.Tenant(fmt.Sprintf("soak-%02d", i+1), true, 3)
		d.tenants = append(d.tenants, tenant{id: ids[i], token: e.Token(ids[i], "dataservice_external", "conversations.write")})
	}
	start := time.Now()
	convs, _, err := seed.Seed(context.Background(), e.App.Store, ids, seed.Options{
		Day: d.day, ConversationsPerHour: s.SeededPerHour, MessagesPerConversation: 3,
	})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	t.Logf("seeded %d conversations of %s in %s", convs, d.day.Format(time.DateOnly), time.Since(start).Round(time.Millisecond))
	for _, name := range []string{"serve-1", "serve-2"} {
		d.servers = append(d.servers, d.serve(name))
	}
	return d
}

// serve starts one full serve process and waits until its API answers.
func (d *deployment) serve(name string) *server {
	d.t.Helper()
	cfg := d.App.Config
	addr, ops := testenv.FreeAddr(d.t), testenv.FreeAddr(d.t)
	env := map[string]string{
		"DATABASE_URL":     cfg.DatabaseURL,
		"REDIS_URL":        cfg.RedisURL,
		"S3_ENDPOINT":      cfg.S3Endpoint,
		"S3_ACCESS_KEY":    cfg.S3AccessKey,
		"S3_SECRET_KEY":    cfg.S3SecretKey,
		"S3_BUCKET":        cfg.S3Bucket,
		"AUTH_SIGNING_KEY": apptest.SigningKey,
		"HTTP_ADDR":        addr,
		"OPS_ADDR":         ops,
		"LOG_LEVEL":        "info",
		"SHUTDOWN_TIMEOUT": "5s",
	}
	maps.Copy(env, schedule)
	c := testenv.StartChild(d.t, name, env, binary, "serve", "--roles", "api,worker,scheduler", "--no-migrate")
	srv := &server{Child: c.Ready(), url: "http://" + addr, ops: "http://" + ops}
	if err := waitHealthy(srv.url+"/healthz", 30*time.Second); err != nil {
		d.t.Fatalf("%s: %v", name, err)
	}
	return srv
}

// waitHealthy polls url until it answers 200.
func waitHealthy(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s does not answer 200 within %s: %v", url, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// previousDay returns the previous UTC day, which the scheduled runs build.
// When the soak could reach midnight UTC, it first waits for the next day,
// so that the day stays the same throughout.
func previousDay(t *testing.T, d time.Duration) time.Time {
	t.Helper()
	now := time.Now().UTC()
	midnight := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
	if left := midnight.Sub(now); left < d+3*time.Minute {
		t.Logf("waiting %s for midnight UTC", left.Round(time.Second))
		time.Sleep(left + time.Second)
	}
	return time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
}
