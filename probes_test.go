package main

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// TestServeWorkerAnswersProbes runs a worker and scheduler process (no API
// role): it answers health, readiness and metrics on HTTP_ADDR, for
// container health checks and scraping, and nothing else; like every
// answer of the service, those carry X-Content-Type-Options: nosniff.
func TestServeWorkerAnswersProbes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{"DATA_DIR": filepath.Join(t.TempDir(), "data"), "HTTP_ADDR": addr, "LOG_LEVEL": "error"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := runCmd(ctx, vars, "serve", "--roles", "worker,scheduler")
		done <- err
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	get := func(path string) int {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no X-Content-Type-Options: nosniff", path)
		}
		return resp.StatusCode
	}
	deadline := time.Now().Add(30 * time.Second)
	for get("/readyz") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("worker never ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out, _, err := runCmd(context.Background(), nil, "health", "--url", "http://"+addr+"/readyz"); err != nil {
		t.Fatalf("health command: %v %s", err, out)
	}
	for path, want := range map[string]int{"/healthz": 200, "/metrics": 200, "/graphql": 404,
		"/api/external/conversations/daily-report/2026-01-01/1": 404} {
		if got := get(path); got != want {
			t.Errorf("GET %s: %d, want %d", path, got, want)
		}
	}
}
