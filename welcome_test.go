package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveEmbedded runs `serve` on embedded defaults in dataDir until the
// banner is printed, and returns it with a function that stops the server.
func serveEmbedded(t *testing.T, dataDir string) (banner string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{"DATA_DIR": dataDir, "HTTP_ADDR": addr, "LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return vars[k] }, &out, &errOut) }()
	stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v\n%s", err, errOut.String())
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "Stop with Ctrl-C") {
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("no banner after 60s; stderr:\n%s", errOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the banner's last line
	return out.String(), stop
}

// TestServeEmbeddedBannerRequestsWork starts `serve` with nothing
// configured, runs the three requests of the banner as printed, restarts,
// and sees the banner again without a second demo tenant.
func TestServeEmbeddedBannerRequestsWork(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	banner, stop := serveEmbedded(t, dir)
	if !strings.Contains(banner, `First start: created the tenant "Demo"`) {
		t.Fatalf("first banner:\n%s", banner)
	}
	tenant := regexp.MustCompile(`Tenant +Demo +([0-9a-f-]{36})`).FindStringSubmatch(banner)
	if tenant == nil {
		t.Fatalf("banner names no tenant:\n%s", banner)
	}
	env := exports(t, banner)
	curls := regexp.MustCompile(`(?m)^curl .*$`).FindAllString(banner, -1)
	if len(curls) != 3 {
		t.Fatalf("banner has %d curl commands, want 3:\n%s", len(curls), banner)
	}
	zipped := curl(t, curls[0], env)
	if zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped))); err != nil || len(zr.File) != 1 {
		t.Fatalf("request 1 is not a one-entry zip: %v", err)
	}
	var doc struct{ ConversationCount int }
	if err := json.Unmarshal(curl(t, curls[1], env), &doc); err != nil || doc.ConversationCount == 0 {
		t.Fatalf("request 2: %+v %v", doc, err)
	}
	var gql struct {
		Data struct {
			DailyReport struct{ Hours []struct{ Status string } }
		}
	}
	if err := json.Unmarshal(curl(t, curls[2], env), &gql); err != nil || len(gql.Data.DailyReport.Hours) != 24 ||
		gql.Data.DailyReport.Hours[0].Status != "STORED" {
		t.Fatalf("request 3: %+v %v", gql, err)
	}
	if st, err := os.Stat(filepath.Join(dir, "signing-key")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("signing key: %v %v", st, err)
	}
	stop()

	banner, stop = serveEmbedded(t, dir)
	defer stop()
	if strings.Contains(banner, "First start") || !strings.Contains(banner, tenant[1]) {
		t.Fatalf("second banner must name the same tenant without seeding again:\n%s", banner)
	}
	// The new banner's tokens work too.
	curl(t, regexp.MustCompile(`(?m)^curl .*compressed=false.*$`).FindString(banner), exports(t, banner))
}

// exports returns the variables of the banner's export lines.
func exports(t *testing.T, banner string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export ([A-Z_]+)='([^']*)'$`).FindAllStringSubmatch(banner, -1) {
		env[m[1]] = m[2]
	}
	if env["TENANT_TOKEN"] == "" || env["HOST_TOKEN"] == "" {
		t.Fatalf("banner exports %v", env)
	}
	return env
}

// curl performs a curl command line of the banner (its -H, --data and URL
// arguments, quoted as in a POSIX shell, $VAR expanded in double quotes)
// and returns the body of the 200 answer.
func curl(t *testing.T, line string, env map[string]string) []byte {
	t.Helper()
	args := shellWords(line, env)
	method, url := http.MethodGet, ""
	var body io.Reader
	header := http.Header{}
	for i := 1; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-H":
			i++
			k, v, _ := strings.Cut(args[i], ":")
			header.Set(k, strings.TrimSpace(v))
		case a == "--data":
			i++
			method, body = http.MethodPost, strings.NewReader(args[i])
		case strings.HasPrefix(a, "-"):
		default:
			url = a
		}
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", line, resp.StatusCode, b)
	}
	return b
}

// shellWords splits a command line as a POSIX shell does for the quoting
// the banner uses: single quotes literal, double quotes with $VAR.
func shellWords(line string, env map[string]string) []string {
	var words []string
	var cur strings.Builder
	in, inWord := byte(0), false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case in == '\'' && c == '\'', in == '"' && c == '"':
			in = 0
		case in == '\'':
			cur.WriteByte(c)
		case in == '"' && c == '$':
			j := i + 1
			for j < len(line) && (line[j] == '_' || line[j] >= 'A' && line[j] <= 'Z') {
				j++
			}
			cur.WriteString(env[line[i+1:j]])
			i = j - 1
		case in == '"' && c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
		case in == '"':
			cur.WriteByte(c)
		case c == '\'' || c == '"':
			in, inWord = c, true
		case c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}
