package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/minio/madmin-go/v3"
	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/blob"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/retention"
	"github.com/dailyreports/dailyreports/internal/testenv"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// addScopedUser creates on m, as deploy/minio/setup.sh does with mc, the
// policy of deploy/minio/policy.json and a user with that policy alone.
func addScopedUser(t *testing.T, m *testenv.MinIO, user, secret string) {
	t.Helper()
	_, policy := readPolicy(t)
	adm, err := madmin.New(m.Endpoint, m.AccessKey, m.SecretKey, false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := adm.AddCannedPolicy(ctx, "dailyreports", policy); err != nil {
		t.Fatalf("add policy: %v", err)
	}
	if err := adm.AddUser(ctx, user, secret); err != nil {
		t.Fatalf("add user: %v", err)
	}
	if _, err := adm.AttachPolicy(ctx, madmin.PolicyAssociationReq{Policies: []string{"dailyreports"}, User: user}); err != nil {
		t.Fatalf("attach policy: %v", err)
	}
}

// policyBucket is the bucket deploy/minio/policy.json is written for, the
// S3_BUCKET of docker-compose.yml.
func policyBucket(t *testing.T) string {
	t.Helper()
	p, _ := readPolicy(t)
	bucket := strings.TrimPrefix(p.Statement[0].Resource[0], "arn:aws:s3:::")
	checkPolicy(t, p, bucket)
	return bucket
}

// The user of deploy/minio/policy.json is all the service needs: with a
// bucket created for it, the service starts, stores and serves reports,
// presigns links that work, keeps the lifecycle rules and deletes expired
// reports; and the user can do nothing outside that bucket, create no
// bucket, and the service says so when its bucket is missing.
func TestBucketScopedUser(t *testing.T) {
	m := testenv.StartMinIO(t)
	const user, secret = "dailyreports-app", "bucket-scoped-secret-0123456789"
	bucket := policyBucket(t)
	addScopedUser(t, m, user, secret)
	ctx := context.Background()
	scoped := func(bucket string) *blob.Store {
		s, err := blob.New(blob.Config{Endpoint: m.Endpoint, AccessKey: user, SecretKey: secret, Bucket: bucket, Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// Before minio-setup has made the bucket, the service cannot make it.
	err := scoped(bucket).EnsureBucket(ctx)
	if err == nil || !strings.Contains(err.Error(), "does not exist and the credentials may not create it") {
		t.Fatalf("EnsureBucket without the bucket: %v, want a clear error", err)
	}
	root := m.Client(t)
	for _, b := range []string{bucket, "elsewhere"} {
		if err := root.MakeBucket(ctx, b, minio.MakeBucketOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := scoped(bucket).EnsureBucket(ctx); err != nil {
		t.Fatalf("EnsureBucket with the bucket made: %v", err)
	}
	// Nothing outside the bucket.
	other := scoped("elsewhere")
	if err := other.EnsureBucket(ctx); err == nil || !strings.Contains(err.Error(), "access denied") {
		t.Errorf("another bucket: EnsureBucket = %v, want access denied", err)
	}
	if err := other.Put(ctx, "x", strings.NewReader("x"), 1, "text/plain", nil); err == nil {
		t.Error("the user wrote to another bucket")
	}

	e := apptest.New(t, apptest.Options{MinIO: m, Env: map[string]string{
		"S3_ACCESS_KEY": user, "S3_SECRET_KEY": secret, "S3_BUCKET": bucket,
	}})
	tenant := scopedCreateTenant(t, e)
	checkRules(t, root, bucket, tenant)
	sum := scopedFetch(t, e, tenant)
	scopedPresign(t, e, tenant, user, sum)
	scopedRetention(t, e, tenant)
	if _, err := e.App.Blob.ReplaceExpiryRules(ctx, retention.RuleOwner, nil); err != nil {
		t.Fatalf("removing the lifecycle configuration: %v", err)
	}
	if _, err := root.GetBucketLifecycle(ctx, bucket); minio.ToErrorResponse(err).Code != "NoSuchLifecycleConfiguration" {
		t.Fatalf("lifecycle after removing every rule: %v", err)
	}
}

// scopedCreateTenant creates an enabled tenant through GraphQL, which also
// writes the bucket's lifecycle rules.
func scopedCreateTenant(t *testing.T, e *apptest.Env) uuid.UUID {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": `mutation { createTenant(input: {name: "beta", enabled: true, retentionMonths: 2}) { id } }`})
	resp := e.Do(http.MethodPost, "/graphql", e.Token(uuid.Nil, viewer.ScopeHostAdmin), body, "Content-Type", "application/json")
	var out struct {
		Data struct{ CreateTenant struct{ ID uuid.UUID } }
	}
	if raw := apptest.Read(t, resp); json.Unmarshal(raw, &out) != nil || out.Data.CreateTenant.ID == uuid.Nil {
		t.Fatalf("createTenant: %s", raw)
	}
	return out.Data.CreateTenant.ID
}

// checkRules reads the bucket's lifecycle back as root: the tenant's rule
// is there.
func checkRules(t *testing.T, root *minio.Client, bucket string, tenant uuid.UUID) {
	t.Helper()
	cfg, err := root.GetBucketLifecycle(context.Background(), bucket)
	if err != nil {
		t.Fatalf("lifecycle written by the service: %v", err)
	}
	for _, r := range cfg.Rules {
		if strings.HasPrefix(r.ID, retention.RuleOwner) && r.RuleFilter.Prefix == tenant.String()+"/" &&
			int(r.Expiration.Days) == retention.LifecycleDays(2) {
			return
		}
	}
	t.Fatalf("no lifecycle rule for tenant %s: %+v", tenant, cfg.Rules)
}

// scopedFetch ingests a conversation and fetches its hour twice, built
// live and stored, then from the bucket; it returns the zip's sha256.
func scopedFetch(t *testing.T, e *apptest.Env, tenant uuid.UUID) string {
	t.Helper()
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1).Add(9*time.Hour + 5*time.Minute)
	e.Ingest(e.Token(tenant, viewer.ScopeConversationsWrite), []apptest.Conv{apptest.NewConv("c-1", start)})
	path := apptest.ReportPath(start.Format(document.DayLayout), 9, true)
	token := e.Token(tenant, viewer.ScopeReportsRead)
	var sum string
	for _, source := range []string{"live", "stored"} {
		resp := e.Do(http.MethodGet, path, token, nil)
		b := apptest.Read(t, resp)
		got := sha256.Sum256(b)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Report-Source") != source ||
			resp.Header.Get("X-Report-Sha256") != hex.EncodeToString(got[:]) {
			t.Fatalf("fetch (%s): %d %v", source, resp.StatusCode, resp.Header)
		}
		sum = resp.Header.Get("X-Report-Sha256")
	}
	return sum
}

// scopedPresign fetches the hour's presigned link: it is signed with the
// user's key, and it downloads the zip.
func scopedPresign(t *testing.T, e *apptest.Env, tenant uuid.UUID, user, sum string) {
	t.Helper()
	day := time.Now().UTC().AddDate(0, 0, -1).Format(document.DayLayout)
	body, _ := json.Marshal(map[string]any{"query": `{ hourlyReport(utcDay: "` + day + `", utcHour: 9) { downloadUrl { url } } }`})
	resp := e.Do(http.MethodPost, "/graphql", e.Token(tenant, viewer.ScopeReportsRead), body, "Content-Type", "application/json")
	var out struct {
		Data struct {
			HourlyReport struct{ DownloadURL struct{ URL string } }
		}
	}
	raw := apptest.Read(t, resp)
	if json.Unmarshal(raw, &out) != nil || out.Data.HourlyReport.DownloadURL.URL == "" {
		t.Fatalf("downloadUrl: %s", raw)
	}
	link := out.Data.HourlyReport.DownloadURL.URL
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Query().Get("X-Amz-Credential"), user+"/") {
		t.Fatalf("link %s is not signed with the user's key", link)
	}
	get, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(get.Body)
	get.Body.Close()
	got := sha256.Sum256(b)
	if err != nil || get.StatusCode != http.StatusOK || hex.EncodeToString(got[:]) != sum {
		t.Fatalf("presigned download: %d %v, %d bytes", get.StatusCode, err, len(b))
	}
}

// scopedRetention stores a report of a day long expired and sweeps: it is
// deleted.
func scopedRetention(t *testing.T, e *apptest.Env, tenant uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	old := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, -4, 0)
	key := document.ObjectKey(tenant, document.NewHour(old, 3))
	if err := e.App.Blob.Put(ctx, key, strings.NewReader("zip"), 3, "application/zip", nil); err != nil {
		t.Fatal(err)
	}
	sum, err := e.App.Retention().Sweep(ctx, time.Now())
	if err != nil || sum.Objects != 1 || sum.Failed != 0 {
		t.Fatalf("sweep: %+v, %v; want the expired report deleted", sum, err)
	}
	if _, err := e.App.Blob.Stat(ctx, key); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("expired report after the sweep: %v", err)
	}
}
