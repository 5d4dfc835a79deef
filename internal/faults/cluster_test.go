package faults

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

// cluster is one deployment of the service for a test: a fresh database, a
// MinIO server of the test's own with a versioned bucket, Redis, the
// in-process service (apptest) the test inspects it with, and the
// environment its child processes run with.
type cluster struct {
	*apptest.Env
	t     *testing.T
	minio *testenv.MinIO
	vars  map[string]string
}

// newCluster prepares a deployment; vars override the configuration of the
// in-process service and of every child.
func newCluster(t *testing.T, vars map[string]string) *cluster {
	t.Helper()
	m := testenv.StartMinIO(t)
	e := apptest.New(t, apptest.Options{MinIO: m, Env: vars})
	cfg := e.App.Config
	c := &cluster{Env: e, t: t, minio: m, vars: map[string]string{
		"DATABASE_URL":     cfg.DatabaseURL,
		"REDIS_URL":        cfg.RedisURL,
		"S3_ENDPOINT":      cfg.S3Endpoint,
		"S3_ACCESS_KEY":    cfg.S3AccessKey,
		"S3_SECRET_KEY":    cfg.S3SecretKey,
		"S3_BUCKET":        cfg.S3Bucket,
		"AUTH_SIGNING_KEY": apptest.SigningKey,
		"LOG_LEVEL":        "debug",
		"RATE_LIMIT":       "0",
		"SHUTDOWN_TIMEOUT": "5s",
		"RETRY_PASS_DELAY": "200ms",
		"HTTP_ADDR":        "127.0.0.1:0",
		// Two tests of several processes each run at once, beside other
		// packages, on one server of max_connections 100.
		"DATABASE_MAX_CONNS": "6",
	}}
	maps.Copy(c.vars, vars)
	// Versioning keeps every upload, so tests count them.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := m.Client(t).EnableVersioning(ctx, cfg.S3Bucket); err != nil {
		t.Fatalf("enable versioning: %v", err)
	}
	return c
}

// serve starts roles as a child process; extra overrides its environment.
func (c *cluster) serve(name, roles string, extra map[string]string) *proc {
	c.t.Helper()
	env := maps.Clone(c.vars)
	maps.Copy(env, extra)
	return serve(c.t, name, env, roles)
}

// api starts an API process and returns it with its base URL.
func (c *cluster) api(name string) (*proc, string) {
	c.t.Helper()
	addr := testenv.FreeAddr(c.t)
	// Ready: its schema checked and its roles started, not only listening
	// (a test may stop a dependency right after).
	p := c.serve(name, "api", map[string]string{"HTTP_ADDR": addr}).Ready()
	url := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, url
			}
		}
		if time.Now().After(deadline) || !p.Running() {
			c.t.Fatalf("%s does not answer on %s/healthz: %v", name, url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tenants creates n tenants with reports enabled.
func (c *cluster) tenants(n int) []uuid.UUID {
	c.t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = c.Tenant(fmt.Sprintf("tenant-%d", i+1), true, 3)
	}
	return ids
}

// seed writes synthetic conversations of day for tenants.
func (c *cluster) seed(tenants []uuid.UUID, opt seed.Options) {
	c.t.Helper()
	start := time.Now()
	convs, msgs, err := seed.Seed(context.Background(), c.App.Store, tenants, opt)
	if err != nil {
		c.t.Fatalf("seed: %v", err)
	}
	c.t.Logf("seeded %d conversations, %d messages in %s", convs, msgs, time.Since(start).Round(time.Millisecond))
}

// minioClient returns a client of the cluster's MinIO.
func (c *cluster) minioClient() *minio.Client { return c.minio.Client(c.t) }
