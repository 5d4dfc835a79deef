package soak

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// sample is one measure of a serve process.
type sample struct {
	RSSKiB     int64
	Goroutines int
	// ChunksBuilt are the reports it built and stored, by source (job,
	// live), so far.
	ChunksBuilt map[string]float64
}

// measure reads a process's resident set (VmRSS of /proc/<pid>/status) and
// its goroutines and builds (the operations listener's /metrics).
func (s *server) measure() (sample, error) {
	rss, err := vmRSS(s.Pid())
	if err != nil {
		return sample{}, err
	}
	out := sample{RSSKiB: rss, ChunksBuilt: map[string]float64{}}
	metrics, err := scrape(s.ops + "/metrics")
	if err != nil {
		return sample{}, err
	}
	g, ok := metrics["go_goroutines"]
	if !ok {
		return sample{}, fmt.Errorf("%s/metrics has no go_goroutines", s.ops)
	}
	out.Goroutines = int(g)
	for _, source := range []string{"job", "live"} {
		out.ChunksBuilt[source] = metrics[`dailyreports_chunks_built_total{source="`+source+`"}`]
	}
	return out, nil
}

// logLevels counts the WARN and ERROR records of a process's log and
// returns the first ERROR records.
func (s *server) logLevels() (warns, errs int, first []string) {
	for line := range strings.SplitSeq(s.Tail(-1), "\n") {
		switch {
		case strings.Contains(line, `"level":"WARN"`):
			warns++
		case strings.Contains(line, `"level":"ERROR"`):
			errs++
			if len(first) < 5 {
				first = append(first, s.Name+": "+trim([]byte(line)))
			}
		}
	}
	return warns, errs, first
}

// vmRSS returns the VmRSS of a process, in KiB.
func vmRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// scrape reads a Prometheus text exposition into its samples, by name with
// labels as written.
func scrape(url string) (map[string]float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("%s: %d %s", url, resp.StatusCode, b)
	}
	out := make(map[string]float64)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			out[line[:i]] = v
		}
	}
	return out, sc.Err()
}

// versionCount is what the bucket holds: every object version, and the
// versions that repeat an earlier one's key and data version.
type versionCount struct {
	Versions, Duplicates, DuplicatedKeys int
	Examples                             []string
}

// dataVersionMeta is the user metadata key of a report's data version
// (internal/reports/meta.go).
const dataVersionMeta = "Report-Data-Version"

// countVersions lists every object version of the bucket with its user
// metadata and counts the duplicates: a key stored more than once from
// the same data version.
func (d *deployment) countVersions() (versionCount, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := d.minio.Client(d.t)
	seen := make(map[string]int) // key and data version → versions
	keys := make(map[string]bool)
	var out versionCount
	for oi := range c.ListObjects(ctx, d.bucket, minio.ListObjectsOptions{Recursive: true, WithVersions: true, WithMetadata: true}) {
		if oi.Err != nil {
			return out, fmt.Errorf("list object versions: %w", oi.Err)
		}
		if oi.IsDeleteMarker {
			continue
		}
		out.Versions++
		v := userMeta(oi.UserMetadata, dataVersionMeta)
		if v == "" { // not listed with its metadata: ask for it
			info, err := c.StatObject(ctx, d.bucket, oi.Key, minio.StatObjectOptions{VersionID: oi.VersionID})
			if err != nil {
				return out, fmt.Errorf("stat %s version %s: %w", oi.Key, oi.VersionID, err)
			}
			if v = userMeta(info.UserMetadata, dataVersionMeta); v == "" {
				return out, fmt.Errorf("%s version %s has no %s metadata", oi.Key, oi.VersionID, dataVersionMeta)
			}
		}
		id := oi.Key + " data version " + v
		if seen[id]++; seen[id] > 1 {
			out.Duplicates++
			if !keys[oi.Key] && len(out.Examples) < maxSamples {
				out.Examples = append(out.Examples, id)
			}
			keys[oi.Key] = true
		}
	}
	out.DuplicatedKeys = len(keys)
	return out, nil
}

// userMeta returns one user metadata value, whichever form its key has
// (X-Amz-Meta-Name as listed, Name as StatObject gives it).
func userMeta(md map[string]string, name string) string {
	for k, v := range md {
		if strings.EqualFold(strings.TrimPrefix(http.CanonicalHeaderKey(k), "X-Amz-Meta-"), name) {
			return v
		}
	}
	return ""
}
