package config

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }

func TestDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.MemoryLimit != 512<<20 || c.S3Bucket != "daily-reports" || c.S3Region != "us-east-1" || c.DataDir != "./data" ||
		c.ReportSchedule != "30 0 * * *" || c.PresignTTL != 15*time.Minute || c.AuthIssuer != "dailyreports" ||
		c.AuthAudience != "dailyreports" || c.DatabaseMaxConns != 16 || !c.DatabasePrepared || !c.Embedded() || !c.Playground {
		t.Fatalf("defaults %+v", c)
	}
}

func TestPlaygroundOffWithRealServices(t *testing.T) {
	c, err := FromEnv(env(map[string]string{
		"DATABASE_URL": "postgres://x", "REDIS_URL": "redis://x:6379/0", "S3_ENDPOINT": "x:9000",
		"AUTH_SIGNING_KEY": strings.Repeat("k", 32),
	}))
	if err != nil || c.Embedded() || c.Playground || c.HTTPAddr != ":8080" {
		t.Fatalf("%v %+v", err, c)
	}
}

// TestListenAddress checks that embedded mode, which is for one machine,
// listens on loopback only unless HTTP_ADDR says otherwise.
func TestListenAddress(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		want string
	}{
		{nil, "127.0.0.1:8080"},
		{map[string]string{"DATABASE_URL": "postgres://x", "AUTH_SIGNING_KEY": strings.Repeat("k", 32)}, "127.0.0.1:8080"},
		{map[string]string{"HTTP_ADDR": ":9090"}, ":9090"},
		{map[string]string{"HTTP_ADDR": "0.0.0.0:8080"}, "0.0.0.0:8080"},
	} {
		if c, err := FromEnv(env(tt.vars)); err != nil || c.HTTPAddr != tt.want {
			t.Errorf("%v: HTTPAddr %q (%v), want %q", tt.vars, c.HTTPAddr, err, tt.want)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		want int64
	}{
		{map[string]string{"MEMORY_LIMIT": "1GiB"}, 1 << 30},
		{map[string]string{"MEMORY_LIMIT": "768MiB", "GOMEMLIMIT": "2GiB"}, 768 << 20},
		{map[string]string{"GOMEMLIMIT": "2GiB"}, 2 << 30},
		{map[string]string{"GOMEMLIMIT": "off"}, 512 << 20},
	} {
		if c, err := FromEnv(env(tt.vars)); err != nil || c.MemoryLimit != tt.want {
			t.Errorf("%v: MemoryLimit %d (%v), want %d", tt.vars, c.MemoryLimit, err, tt.want)
		}
	}
}

func TestInvalid(t *testing.T) {
	cases := map[string]map[string]string{
		"key required with postgres": {"DATABASE_URL": "postgres://x"},
		"short key":                  {"AUTH_SIGNING_KEY": "short"},
		"bad ttl":                    {"PRESIGN_TTL": "soon"},
		"ttl over 7 days":            {"PRESIGN_TTL": "169h"},
		"bad bool":                   {"S3_SECURE": "maybe"},
		"bad number":                 {"WORKER_CONCURRENCY": "0"},
		"bad pool size":              {"DATABASE_MAX_CONNS": "none"},
		"pool of one":                {"DATABASE_MAX_CONNS": "1"},
		"bad prepared switch":        {"DATABASE_PREPARED_STATEMENTS": "sometimes"},
		"bad log level":              {"LOG_LEVEL": "loud"},
		"bad memory limit":           {"MEMORY_LIMIT": "lots"},
		"memory limit too small":     {"MEMORY_LIMIT": "16MiB"},
		"ops address not an address": {"OPS_ADDR": "9464"},
		"ops address is the api's":   {"HTTP_ADDR": ":8080", "OPS_ADDR": ":8080"},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := FromEnv(env(vars)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestSecretsMasked(t *testing.T) {
	c, _ := FromEnv(env(map[string]string{
		"DATABASE_URL": "postgres://user:hunter2@db/x", "S3_SECRET_KEY": "s3cr3t",
		"AUTH_SIGNING_KEY": "signing-key-signing-key-signing-key!",
	}))
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "config", c)
	for _, secret := range []string{"hunter2", "s3cr3t", "signing-key"} {
		if strings.Contains(b.String(), secret) {
			t.Fatalf("secret %q logged: %s", secret, b.String())
		}
	}
}
