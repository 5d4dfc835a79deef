package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/auth"
	"github.com/dailyreports/dailyreports/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const testKey = "cli-test-signing-key-0123456789abcdef0123"

// cliEnv returns the environment of commands run against fresh services.
func cliEnv(t *testing.T, m *testenv.MinIO) map[string]string {
	addr, db := testenv.NewRedis(t)
	return map[string]string{
		"DATABASE_URL":     testenv.NewDatabase(t),
		"REDIS_URL":        fmt.Sprintf("redis://%s/%d", addr, db),
		"S3_ENDPOINT":      m.Endpoint,
		"S3_ACCESS_KEY":    m.AccessKey,
		"S3_SECRET_KEY":    m.SecretKey,
		"S3_BUCKET":        testenv.NewBucket(t, m),
		"AUTH_SIGNING_KEY": testKey,
		"LOG_LEVEL":        "error",
		"RETRY_PASS_DELAY": "50ms",
	}
}

// runCmd runs one command and returns its stdout, stderr and error.
func runCmd(ctx context.Context, vars map[string]string, args ...string) (string, string, error) {
	var out, errOut bytes.Buffer
	err := run(ctx, args, func(k string) string { return vars[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestTenantAndTokenCommands(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	out, stderr, err := runCmd(ctx, vars, "tenant", "create", "--name", "Acme", "--enable", "--retention-months", "2")
	if err != nil {
		t.Fatalf("tenant create: %v %s", err, stderr)
	}
	id, err := uuid.Parse(strings.TrimSpace(out))
	if err != nil || out != id.String()+"\n" {
		t.Fatalf("tenant create printed %q, want only a UUID", out)
	}
	out, _, err = runCmd(ctx, vars, "tenant", "list")
	if err != nil || !strings.Contains(out, id.String()+"\tAcme\tenabled=true\tretention=2m") {
		t.Fatalf("tenant list: %v %q", err, out)
	}
	if _, _, err := runCmd(ctx, vars, "tenant", "create", "--name", "x", "--retention-months", "4"); err == nil {
		t.Fatal("retention 4 accepted")
	}

	out, _, err = runCmd(ctx, vars, "token", "--scope", "dataservice_external", "--tenant", id.String(), "--ttl", "10m")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := auth.NewSigner(auth.Config{SigningKey: []byte(testKey), Issuer: "dailyreports", Audience: "dailyreports"})
	v, err := signer.Verify(strings.TrimSpace(out))
	if err != nil || v.TenantID != id || !v.Has("dataservice_external") {
		t.Fatalf("token: %v %+v", err, v)
	}
	if _, _, err := runCmd(ctx, vars, "token", "--scope", "x", "--tenant", "nope"); err == nil {
		t.Fatal("malformed tenant accepted")
	}
}

func TestGenerateCommand(t *testing.T) {
	m := testenv.StartMinIO(t)
	vars := cliEnv(t, m)
	ctx := context.Background()
	out, _, err := runCmd(ctx, vars, "tenant", "create", "--name", "Acme", "--enable")
	if err != nil {
		t.Fatal(err)
	}
	tenant := strings.TrimSpace(out)
	out, stderr, err := runCmd(ctx, vars, "generate", "--day", "2026-01-02", "--tenant", tenant)
	if err != nil {
		t.Fatalf("generate: %v %s", err, stderr)
	}
	if !regexp.MustCompile(`chunks 24, stored 24, failed 0`).MatchString(out) {
		t.Fatalf("generate summary %q", out)
	}
	out, _, err = runCmd(ctx, vars, "generate", "--day", "2026-01-02", "--hour", "5")
	if err != nil || !strings.Contains(out, "chunks 1, stored 1, failed 0") {
		t.Fatalf("generate one hour again: %v %q", err, out)
	}
	// A pool smaller than the parallel builds (8 on two cores) still
	// completes: the connections warmed at start once held it forever.
	small := maps.Clone(vars)
	small["DATABASE_MAX_CONNS"] = "2"
	bounded, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, stderr, err = runCmd(bounded, small, "generate", "--day", "2026-01-04", "--tenant", tenant)
	if err != nil || !strings.Contains(out, "chunks 24, stored 24, failed 0") {
		t.Fatalf("generate on a pool of 2: %v %q %s", err, out, stderr)
	}
	// Through lib/pq's own statements (a pooler in transaction mode).
	unprepared := maps.Clone(vars)
	unprepared["DATABASE_PREPARED_STATEMENTS"] = "false"
	out, stderr, err = runCmd(bounded, unprepared, "generate", "--day", "2026-01-05", "--tenant", tenant)
	if err != nil || !strings.Contains(out, "chunks 24, stored 24, failed 0") {
		t.Fatalf("generate without kept statements: %v %q %s", err, out, stderr)
	}
	// With the object store down, the chunk fails three times: exit 1.
	m.Stop(t)
	out, stderr, err = runCmd(ctx, vars, "generate", "--day", "2026-01-03", "--hour", "7")
	if !errors.Is(err, errSilent) || !strings.Contains(out, "stored 0, failed 1") || !strings.Contains(stderr, "failed: tenant") {
		t.Fatalf("generate with storage down: %v %q %q", err, out, stderr)
	}
}

func TestServeShutsDownOnSignal(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars["HTTP_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := runCmd(ctx, vars, "serve")
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("serve never became ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel() // what SIGTERM does through signal.NotifyContext
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still listening after shutdown")
	}
}

func TestSeedCommand(t *testing.T) {
	vars := cliEnv(t, testenv.SharedMinIO(t))
	ctx := context.Background()
	out, stderr, err := runCmd(ctx, vars, "seed", "--tenants", "2", "--day", "2026-02-01", "--conversations-per-hour", "3", "--seed", "7")
	if err != nil {
		t.Fatalf("seed: %v %s", err, stderr)
	}
	ids := strings.Fields(out)
	if len(ids) != 2 {
		t.Fatalf("seed printed %q, want two tenant ids", out)
	}
	out, _, err = runCmd(ctx, vars, "generate", "--day", "2026-02-01", "--tenant", ids[0], "--hour", "4")
	if err != nil || !strings.Contains(out, "conversations 3,") {
		t.Fatalf("generate seeded hour: %v %q", err, out)
	}
}
