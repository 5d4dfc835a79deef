package main

import (
	"encoding/json"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/dailyreports/dailyreports/internal/config"
)

// composeFile is the part of docker-compose.yml the tests read.
type composeFile struct {
	Services map[string]composeService
	Volumes  map[string]any
}

type composeService struct {
	Build       any
	Image       string
	Entrypoint  []string
	Command     []string
	Environment map[string]string
	EnvFile     any `yaml:"env_file"`
	Configs     any
	Volumes     []string
	Ports       []string
	Restart     string
	DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
	Healthcheck *struct {
		Test     []string
		Interval string
	}
}

// readCompose parses docker-compose.yml, anchors and merge keys resolved,
// with ${VAR:-default} interpolated to the default as in an empty shell.
func readCompose(t *testing.T) composeFile {
	t.Helper()
	b, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	b = regexp.MustCompile(`\$\{[A-Z0-9_]+:-([^}]*)\}`).ReplaceAll(b, []byte("$1"))
	var f composeFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return f
}

// roleServices are the processes of the service itself, by expected role.
var roleServices = map[string]string{
	"api-1": "api", "api-2": "api", "worker-1": "worker", "worker-2": "worker", "scheduler": "scheduler",
}

func TestComposeTopology(t *testing.T) {
	f := readCompose(t)
	var names []string
	for name := range f.Services {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"api-1", "api-2", "migrate", "minio", "minio-setup", "postgres", "prometheus", "redis", "scheduler", "worker-1", "worker-2"}
	if !slices.Equal(names, want) {
		t.Fatalf("services %v, want %v", names, want)
	}
	redis := f.Services["redis"]
	if cmd := strings.Join(redis.Command, " "); !strings.Contains(cmd, "--appendonly yes") ||
		!strings.Contains(cmd, "--maxmemory-policy noeviction") || !slices.Contains(redis.Volumes, "redis-data:/data") {
		t.Errorf("redis must persist (AOF on a volume) and never evict: %q %v", cmd, redis.Volumes)
	}
	for _, dep := range []string{"postgres", "redis", "minio"} {
		s := f.Services[dep]
		if s.Healthcheck == nil || len(s.Healthcheck.Test) < 2 || len(s.Volumes) == 0 {
			t.Errorf("%s: needs a health check and a data volume", dep)
		}
	}
	m := f.Services["migrate"]
	if !slices.Equal(m.Command, []string{"migrate"}) || m.Restart != "no" ||
		m.DependsOn["postgres"].Condition != "service_healthy" {
		t.Errorf("migrate must be a one-shot after postgres is healthy: %+v", m)
	}
	for name, role := range roleServices {
		s := f.Services[name]
		if !slices.Equal(s.Command, []string{"serve", "--roles", role, "--no-migrate"}) {
			t.Errorf("%s: command %q, want serve --roles %s --no-migrate", name, s.Command, role)
		}
		if s.DependsOn["migrate"].Condition != "service_completed_successfully" ||
			s.DependsOn["redis"].Condition != "service_healthy" || s.DependsOn["minio"].Condition != "service_healthy" ||
			s.DependsOn["minio-setup"].Condition != "service_completed_successfully" {
			t.Errorf("%s: must wait for the migration, Redis, MinIO and its MinIO user: %+v", name, s.DependsOn)
		}
		if s.Healthcheck == nil || !slices.Equal(s.Healthcheck.Test,
			[]string{"CMD", "/usr/local/bin/dailyreports", "health", "--url", "http://127.0.0.1:8080/readyz"}) {
			t.Errorf("%s: health check %+v", name, s.Healthcheck)
		}
		if s.Restart != "unless-stopped" {
			t.Errorf("%s: restart %q", name, s.Restart)
		}
	}
	if p1, p2 := f.Services["api-1"].Ports, f.Services["api-2"].Ports; !slices.Equal(p1, []string{"8080:8080"}) || !slices.Equal(p2, []string{"8081:8080"}) {
		t.Errorf("api ports %v %v", p1, p2)
	}
}

// TestComposeOneImageConfiguredByEnvironment checks that every process of
// the service is the same build, configured by environment variables only,
// all of which the service reads, and none of which falls back to an
// embedded default.
func TestComposeOneImageConfiguredByEnvironment(t *testing.T) {
	f := readCompose(t)
	for _, name := range append(slices.Sorted(maps.Keys(roleServices)), "migrate") {
		s := f.Services[name]
		if s.Build != "." || s.Image != "dailyreports:local" {
			t.Errorf("%s: build %v image %q, want the one build . as dailyreports:local", name, s.Build, s.Image)
		}
		if s.EnvFile != nil || s.Configs != nil || len(s.Volumes) > 0 {
			t.Errorf("%s: configuration must come from the environment only (no env_file, configs or volumes)", name)
		}
		read := map[string]bool{}
		cfg, err := config.FromEnv(func(k string) string { read[k] = true; return s.Environment[k] })
		if err != nil {
			t.Errorf("%s: environment does not configure the service: %v", name, err)
			continue
		}
		for k := range s.Environment {
			if !read[k] {
				t.Errorf("%s: %s is not a variable the service reads", name, k)
			}
		}
		if cfg.Embedded() || cfg.Playground || cfg.S3Endpoint != "minio:9000" ||
			!strings.Contains(cfg.DatabaseURL, "@postgres:5432/") || cfg.RedisURL != "redis://redis:6379/0" {
			t.Errorf("%s: config %+v must name postgres, redis and minio, playground off", name, cfg)
		}
		if cfg.OpsAddr != opsAddr {
			t.Errorf("%s: OPS_ADDR %q, want %q: /metrics off the public API", name, cfg.OpsAddr, opsAddr)
		}
	}
}

// TestDockerfileBuildsLikeMake keeps the image honest: it builds with `make
// build`, the command a workstation uses, and ships that binary, non-root.
func TestDockerfileBuildsLikeMake(t *testing.T) {
	docker, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	recipe := regexp.MustCompile(`(?m)^build:\n\t(.+)$`).FindSubmatch(mk)
	if recipe == nil || !strings.Contains(string(recipe[1]), "CGO_ENABLED=0 go build") || !strings.Contains(string(recipe[1]), "-o bin/dailyreports .") {
		t.Fatalf("Makefile build recipe %q: want a static go build into bin/dailyreports", recipe)
	}
	d := string(docker)
	for _, want := range []string{
		"\nRUN make build\n",
		"COPY --from=build /src/bin/dailyreports /usr/local/bin/dailyreports\n",
		"FROM gcr.io/distroless/static-debian12:nonroot\n",
		"USER nonroot:nonroot\n",
		"ENV HTTP_ADDR=:8080\n",
		`ENTRYPOINT ["/usr/local/bin/dailyreports"]`,
	} {
		if !strings.Contains(d, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if n := strings.Count(d, "go build"); n != 0 {
		t.Errorf("Dockerfile runs go build itself (%d times): it must use make build", n)
	}
	ignore, err := os.ReadFile(".dockerignore")
	if err != nil || !regexp.MustCompile(`(?m)^data/$`).Match(ignore) || !regexp.MustCompile(`(?m)^bin/$`).Match(ignore) {
		t.Errorf(".dockerignore must keep data/ and bin/ out of the build context: %v", err)
	}
}

// policyFile is the MinIO policy of the service's user, which minio-setup
// creates and TestBucketScopedUser runs the service under.
const policyFile = "deploy/minio/policy.json"

// minioPolicy is the part of an IAM policy document the tests read.
type minioPolicy struct {
	Version   string
	Statement []struct {
		Effect   string
		Action   []string
		Resource []string
	}
}

func readPolicy(t *testing.T) (minioPolicy, []byte) {
	t.Helper()
	b, err := os.ReadFile(policyFile)
	if err != nil {
		t.Fatal(err)
	}
	var p minioPolicy
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", policyFile, err)
	}
	return p, b
}

// TestComposeServiceHoldsNoRootCredentials checks the safe default: MinIO's
// root credentials are only in minio and minio-setup; the service's roles
// use the user minio-setup creates, with a policy that allows the service's
// own actions on its own bucket and nothing else.
func TestComposeServiceHoldsNoRootCredentials(t *testing.T) {
	f := readCompose(t)
	root := f.Services["minio"].Environment
	if root["MINIO_ROOT_USER"] == "" || len(root["MINIO_ROOT_PASSWORD"]) < 8 || !strings.Contains(root["MINIO_ROOT_PASSWORD"], "change-me") {
		t.Errorf("minio: root credentials %v must be set, with a default marked change-me", root)
	}
	for name, s := range f.Services {
		_, user := s.Environment["MINIO_ROOT_USER"]
		_, pass := s.Environment["MINIO_ROOT_PASSWORD"]
		if (user || pass) && name != "minio" && name != "minio-setup" {
			t.Errorf("%s holds MinIO's root credentials", name)
		}
	}
	setup := f.Services["minio-setup"]
	env := setup.Environment
	if !strings.HasPrefix(setup.Image, "minio/mc:RELEASE.") || setup.Restart != "no" ||
		setup.DependsOn["minio"].Condition != "service_healthy" ||
		!slices.Equal(setup.Entrypoint, []string{"/bin/sh", "/setup/setup.sh"}) ||
		!slices.Equal(setup.Volumes, []string{"./deploy/minio:/setup:ro"}) {
		t.Errorf("minio-setup must be a one-shot of a pinned minio/mc running deploy/minio/setup.sh once MinIO is healthy: %+v", setup)
	}
	if env["MINIO_ROOT_USER"] != root["MINIO_ROOT_USER"] || env["MINIO_ROOT_PASSWORD"] != root["MINIO_ROOT_PASSWORD"] || env["MINIO_URL"] != "http://minio:9000" {
		t.Errorf("minio-setup must reach minio with its root credentials: %v", env)
	}
	script, err := os.ReadFile("deploy/minio/setup.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"set -eu", "mc mb --ignore-existing", "mc admin policy create", "policy.json", "mc admin user add", "mc admin policy attach"} {
		if !strings.Contains(string(script), want) {
			t.Errorf("deploy/minio/setup.sh lacks %q", want)
		}
	}

	p, _ := readPolicy(t)
	for _, name := range append(slices.Sorted(maps.Keys(roleServices)), "migrate") {
		s := f.Services[name].Environment
		if s["S3_ACCESS_KEY"] == root["MINIO_ROOT_USER"] || s["S3_SECRET_KEY"] == root["MINIO_ROOT_PASSWORD"] {
			t.Errorf("%s uses MinIO's root credentials", name)
		}
		if !strings.Contains(s["S3_SECRET_KEY"], "change-me") {
			t.Errorf("%s: the default S3_SECRET_KEY must be marked change-me", name)
		}
		for _, k := range []string{"S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET"} {
			if s[k] != env[k] {
				t.Errorf("%s: %s %q, but minio-setup creates %q", name, k, s[k], env[k])
			}
		}
		checkPolicy(t, p, s["S3_BUCKET"])
	}
}

// allowedActions are what the service does with its bucket: read, write and
// delete reports (and their versions), list them, and keep the lifecycle
// rules of retention.
var allowedActions = []string{
	"s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketVersions",
	"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
	"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:AbortMultipartUpload",
	"s3:DeleteObject", "s3:DeleteObjectVersion",
}

// checkPolicy fails unless every statement of p allows only allowedActions,
// on bucket and its objects only.
func checkPolicy(t *testing.T, p minioPolicy, bucket string) {
	t.Helper()
	if p.Version != "2012-10-17" || len(p.Statement) == 0 {
		t.Fatalf("%s: version %q, %d statements", policyFile, p.Version, len(p.Statement))
	}
	for _, st := range p.Statement {
		if st.Effect != "Allow" {
			t.Errorf("%s: effect %q", policyFile, st.Effect)
		}
		for _, a := range st.Action {
			if !slices.Contains(allowedActions, a) {
				t.Errorf("%s allows %q, which the service does not need", policyFile, a)
			}
		}
		for _, r := range st.Resource {
			if r != "arn:aws:s3:::"+bucket && r != "arn:aws:s3:::"+bucket+"/*" {
				t.Errorf("%s: resource %q is not the bucket %s or its objects", policyFile, r, bucket)
			}
		}
	}
}
