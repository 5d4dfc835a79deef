package embedded

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dailyreports/dailyreports/internal/config"
)

func configOf(t *testing.T, vars map[string]string) config.Config {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestStartFillsInEveryDependency(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	svc, err := Start(configOf(t, map[string]string{"DATA_DIR": dir}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	c := svc.Config
	if svc.SQLitePath != filepath.Join(dir, DatabaseFile) || svc.Redis == nil || svc.S3 == nil || !svc.KeyGenerated {
		t.Fatalf("services %+v", svc)
	}
	if !strings.HasPrefix(c.RedisURL, "redis://") || !strings.HasPrefix(c.S3Endpoint, "127.0.0.1:") ||
		c.S3AccessKey == "" || c.S3SecretKey == "" || len(c.SigningKey) < 32 || !c.Playground {
		t.Fatalf("config %+v", c)
	}
	if err := svc.Close(); err != nil {
		t.Fatal(err)
	}
	// The key survives; the rest starts afresh.
	svc2, err := Start(configOf(t, map[string]string{"DATA_DIR": dir}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer svc2.Close()
	if svc2.KeyGenerated || svc2.Config.SigningKey != c.SigningKey {
		t.Fatal("second start did not reuse the signing key")
	}
}

func TestStartOnlyWhatIsMissing(t *testing.T) {
	vars := map[string]string{"DATA_DIR": t.TempDir(), "REDIS_URL": "redis://127.0.0.1:6379/3", "AUTH_SIGNING_KEY": strings.Repeat("k", 32)}
	svc, err := Start(configOf(t, vars), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if svc.Redis != nil || svc.S3 == nil || svc.KeyGenerated || svc.Config.RedisURL != vars["REDIS_URL"] ||
		svc.Config.SigningKey != vars["AUTH_SIGNING_KEY"] {
		t.Fatalf("services %+v", svc)
	}
	all := map[string]string{"DATABASE_URL": "postgres://x", "REDIS_URL": "redis://x:1/0", "S3_ENDPOINT": "x:9000",
		"AUTH_SIGNING_KEY": strings.Repeat("k", 32), "DATA_DIR": filepath.Join(t.TempDir(), "never")}
	svc, err = Start(configOf(t, all), quietLog())
	if err != nil || svc.Redis != nil || svc.S3 != nil || svc.SQLitePath != "" {
		t.Fatalf("nothing embedded: %+v %v", svc, err)
	}
	if _, err := os.Stat(all["DATA_DIR"]); !os.IsNotExist(err) {
		t.Fatalf("DATA_DIR created with nothing embedded: %v", err)
	}
}
