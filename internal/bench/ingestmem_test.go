//go:build bench

package bench_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// The memory figure of ingestion: memConcurrent batches of about memBatchMiB
// each, posted at once, whose last record is invalid, so every one is read
// and decoded in full and then refused.
const (
	memConcurrent = 12
	memBatchMiB   = 29
	memTargetMiB  = 300
)

// ingestMemory: peak RSS of a fresh API process while memConcurrent large
// invalid batches arrive at once, vs 300 MiB; the RSS before is context.
func (b *bench) ingestMemory() {
	body := invalidBatch(b, memBatchMiB<<20)
	srv := b.serve("api")
	tenant := uuid.MustParse(b.run("tenant", "create", "--name", "bench-ingest-memory", "--enable").out)
	token := b.run("token", "--scope", viewer.ScopeConversationsWrite, "--tenant", tenant.String()).out
	pid := srv.cmd.Process.Pid
	before := rssOf(b, pid, "VmRSS")

	stop := make(chan struct{})
	peak := make(chan int64)
	go func() { peak <- sampleRSS(b, pid, stop) }()
	statuses := make([]int, memConcurrent)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range memConcurrent {
		wg.Go(func() { statuses[i] = postBatch(b, "http://"+srv.addr+"/api/external/conversations", token, body) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	p := max(<-peak, rssOf(b, pid, "VmHWM"))
	fmt.Fprintf(os.Stderr, "bench: %d batches of %s in %s: %s\n", memConcurrent, mib(int64(len(body))), ms(elapsed), countStatuses(statuses))
	for _, s := range statuses {
		if s != http.StatusBadRequest && s != http.StatusServiceUnavailable {
			b.t.Fatalf("a large invalid batch answered %d, want 400 or 503: %s", s, countStatuses(statuses))
		}
	}
	srv.stop()
	b.tab.add(row{name: fmt.Sprintf("peak RSS, API, %d concurrent %d MiB invalid batches, vs %d MiB", memConcurrent, memBatchMiB, memTargetMiB),
		ratio: float64(p) / (memTargetMiB << 20), target: "< 1",
		measured: fmt.Sprintf("%s (%s before; %s)", mib(p), mib(before), countStatuses(statuses)), baseline: fmt.Sprintf("%d MiB", memTargetMiB)})
}

// invalidBatch is a JSON array of seeded conversations of about size bytes
// whose last record has an unknown Sender.
func invalidBatch(b *bench, size int) []byte {
	var buf bytes.Buffer
	buf.WriteByte('[')
	done := errors.New("done")
	err := seed.Generate(0, seed.Options{Day: b.day.AddDate(0, 0, -3), ConversationsPerHour: 1000, MessagesPerConversation: 20, Seed: 5},
		500, func(batch []document.Conversation) error {
			for _, c := range batch {
				rec, err := json.Marshal(toWire(c))
				if err != nil {
					return err
				}
				if buf.Len()+len(rec) > size-4096 {
					return done
				}
				buf.Write(rec)
				buf.WriteByte(',')
			}
			return nil
		})
	if err != nil && err != done {
		b.t.Fatal(err)
	}
	bad := `{"Id":"bad","StartedAt":"` + b.day.Format(time.RFC3339) + `","Messages":[{"Id":"m","SentAt":"` +
		b.day.Format(time.RFC3339) + `","Sender":"robot","Text":"x"}]}]`
	buf.WriteString(bad)
	return buf.Bytes()
}

// postBatch posts a JSON array and returns the status.
func postBatch(b *bench, url, token string, body []byte) int {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Errorf("ingest: %v", err)
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// sampleRSS polls the resident set of pid until stop closes and returns the
// largest value seen.
func sampleRSS(b *bench, pid int, stop <-chan struct{}) int64 {
	var peak int64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		peak = max(peak, rssOf(b, pid, "VmRSS"))
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

// rssOf reads a size field (VmRSS, VmHWM) of /proc/pid/status, in bytes.
func rssOf(b *bench, pid int, field string) int64 {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.t.Fatalf("read status of the API process: %v", err)
	}
	for line := range strings.SplitSeq(string(st), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	b.t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// countStatuses summarizes statuses: "12 × 400" or "4 × 400, 8 × 503".
func countStatuses(statuses []int) string {
	n := map[int]int{}
	var order []int
	for _, s := range statuses {
		if n[s] == 0 {
			order = append(order, s)
		}
		n[s]++
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%d × %d", n[s], s)
	}
	return strings.Join(parts, ", ")
}
