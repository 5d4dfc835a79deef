//go:build bench

package bench_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// wrkConnections and wrkThreads are the load of every wrk run.
const (
	wrkConnections = 16
	wrkThreads     = 2
)

// wrkResult is what one wrk run measured.
type wrkResult struct {
	rps      float64
	p50, p99 time.Duration
	transfer string
}

// api returns the API process, started on first use, and a read token.
func (b *bench) api() (*server, string) {
	if b.apiSrv == nil {
		b.apiSrv = b.serve("api")
		b.readToken = b.run("token", "--scope", viewer.ScopeReportsRead, "--tenant", b.tenant.String(), "--ttl", "2h").out
	}
	return b.apiSrv, b.readToken
}

// ensureStored generates the day once unless a phase already did.
func (b *bench) ensureStored() {
	if !b.generated {
		b.run("generate", "--day", b.day.Format("2006-01-02"), "--tenant", b.tenant.String())
		b.generated = true
	}
}

// routePath is the fetch route's path of hour h of the day.
func (b *bench) routePath(h int, compressed bool) string {
	return fmt.Sprintf("/api/external/conversations/daily-report/%s/%d?compressed=%t", b.day.Format("2006-01-02"), h, compressed)
}

// serving: the stored hours through the route vs MinIO serving the same
// objects through presigned GETs, at the same concurrency.
func (b *bench) serving() {
	b.ensureStored()
	srv, token := b.api()
	c := b.minio.Client(b.t)
	var presigned []string
	var host string
	for h := range 24 {
		u, err := c.PresignedGetObject(background(b.t), b.bucket, document.ObjectKey(b.tenant, document.NewHour(b.day, h)), 2*time.Hour, url.Values{})
		if err != nil {
			b.t.Fatal(err)
		}
		presigned = append(presigned, u.RequestURI())
		host = u.Host
	}
	var zips, jsons []string
	for h := range 24 {
		zips = append(zips, b.routePath(h, true))
		jsons = append(jsons, b.routePath(h, false))
	}
	auth := "Authorization: Bearer " + token
	gzip := "Accept-Encoding: gzip"
	secs := envInt("BENCH_WRK_SECONDS", 4)
	b.wrk("http://"+host, presigned, 1) // warm up
	b.wrk("http://"+srv.addr, zips, 1, auth)
	var direct, zip, js, gz []wrkResult
	for range b.reps {
		direct = append(direct, b.wrk("http://"+host, presigned, secs))
		zip = append(zip, b.wrk("http://"+srv.addr, zips, secs, auth))
		gz = append(gz, b.wrk("http://"+srv.addr, jsons, secs, auth, gzip))
		js = append(js, b.wrk("http://"+srv.addr, jsons, secs, auth))
	}
	rz, rj, rg := make([]float64, b.reps), make([]float64, b.reps), make([]float64, b.reps)
	for i := range b.reps {
		rz[i], rj[i], rg[i] = zip[i].rps/direct[i].rps, js[i].rps/direct[i].rps, gz[i].rps/direct[i].rps
	}
	md, mz, mj, mg := mid(direct), mid(zip), mid(js), mid(gz)
	b.tab.add(row{name: "serve stored zip (route) vs MinIO presigned GET, RPS, 16 conn", ratio: median(rz), target: "≥ 0.8",
		measured: fmt.Sprintf("%.0f req/s, p50 %s, p99 %s", mz.rps, mz.p50, mz.p99),
		baseline: fmt.Sprintf("%.0f req/s, p50 %s, p99 %s", md.rps, md.p50, md.p99)})
	b.tab.add(row{name: "serve compressed=false with Accept-Encoding: gzip vs MinIO presigned GET, RPS", ratio: median(rg), target: "≥ 0.8",
		measured: fmt.Sprintf("%.0f req/s, %s, p50 %s, p99 %s", mg.rps, mg.transfer, mg.p50, mg.p99),
		baseline: fmt.Sprintf("%.0f req/s, %s", md.rps, md.transfer)})
	b.tab.add(row{name: "serve compressed=false, inflated (no gzip) vs MinIO presigned GET, RPS", ratio: median(rj),
		measured: fmt.Sprintf("%.0f req/s, %s, p50 %s, p99 %s", mj.rps, mj.transfer, mj.p50, mj.p99),
		baseline: fmt.Sprintf("%.0f req/s, %s", md.rps, md.transfer)})
}

// mid returns the run of median requests per second.
func mid(rs []wrkResult) wrkResult {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = r.rps
	}
	m := median(xs)
	best := rs[0]
	for _, r := range rs {
		if abs(r.rps-m) < abs(best.rps-m) {
			best = r
		}
	}
	return best
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

var (
	rpsLine     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	latLine     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\s*$`)
	transLine   = regexp.MustCompile(`Transfer/sec:\s+(\S+)`)
	non2xxLine  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	sockErrLine = regexp.MustCompile(`Socket errors: .*`)
)

// wrk loads base with GETs of paths in turn for secs seconds, sending
// headers.
func (b *bench) wrk(base string, paths []string, secs int, headers ...string) wrkResult {
	b.t.Helper()
	var lua strings.Builder
	lua.WriteString("local paths = {\n")
	for _, p := range paths {
		fmt.Fprintf(&lua, "  %q,\n", p)
	}
	lua.WriteString("}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
	script := filepath.Join(b.t.TempDir(), "paths.lua")
	if err := os.WriteFile(script, []byte(lua.String()), 0o600); err != nil {
		b.t.Fatal(err)
	}
	args := []string{"-t", strconv.Itoa(wrkThreads), "-c", strconv.Itoa(wrkConnections), "-d", strconv.Itoa(secs) + "s",
		"--latency", "-s", script}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	out, err := exec.Command("wrk", append(args, base)...).CombinedOutput()
	if err != nil {
		b.t.Fatalf("wrk: %v\n%s", err, out)
	}
	s := string(out)
	if m := non2xxLine.FindStringSubmatch(s); m != nil {
		b.t.Fatalf("wrk %s: %s non-2xx answers\n%s", base, m[1], s)
	}
	if m := sockErrLine.FindString(s); m != "" {
		fmt.Fprintf(os.Stderr, "bench: wrk %s: %s\n", base, m)
	}
	var r wrkResult
	if m := rpsLine.FindStringSubmatch(s); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := transLine.FindStringSubmatch(s); m != nil {
		r.transfer = m[1] + "/s"
	}
	for _, m := range latLine.FindAllStringSubmatch(s, -1) {
		d, _ := time.ParseDuration(m[2] + m[3])
		if m[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	return r
}

// liveFallback: fetching the 4,000-conversation hour when it has never been
// built (no object, no chunk record): the live build through the route vs
// that hour's floor, psql's start taken out of it.
func (b *bench) liveFallback() {
	srv, token := b.api()
	c := b.minio.Client(b.t)
	ctx := background(b.t)
	hour := document.NewHour(b.next, bigHour)
	floorScript, path := b.floorScript(b.next, bigHour), fmt.Sprintf("/api/external/conversations/daily-report/%s/%d?compressed=true", hour.DayString(), bigHour)
	b.shell(floorScript) // warm the cache
	var live, floor []time.Duration
	for range b.reps + 2 {
		floor = append(floor, b.shell(floorScript)-b.shell(startScript))
		if err := c.RemoveObject(ctx, b.bucket, document.ObjectKey(b.tenant, hour), minio.RemoveObjectOptions{}); err != nil {
			b.t.Fatal(err)
		}
		b.psql(fmt.Sprintf("DELETE FROM report_chunks WHERE tenant_id = '%s' AND day = '%s' AND hour = %d", b.tenant, hour.DayString(), bigHour))
		req, _ := http.NewRequest(http.MethodGet, "http://"+srv.addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.t.Fatal(err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		live = append(live, time.Since(start))
		if err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("X-Report-Source") != "live" {
			b.t.Fatalf("live fetch of hour %d: %v %d %s", bigHour, err, resp.StatusCode, resp.Header.Get("X-Report-Source"))
		}
	}
	b.tab.add(row{name: "live build of a 4,000-conversation hour (× 20 msg) through REST vs the hour's floor", ratio: median(ratios(live, floor)),
		target: "≤ 1.5", measured: ms(medianDur(live)), baseline: ms(medianDur(floor))})
}
