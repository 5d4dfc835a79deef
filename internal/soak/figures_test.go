package soak

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// figures are the soak's results, printed at the end and written as JSON
// to SOAK_FIGURES.
type figures struct {
	Duration string
	WarmUp   string
	// Rates are the requests a second asked of the generator, by kind.
	Rates map[string]float64
	// Requests are the answers received, by kind; Shed the requests the
	// generator could not send in time (every worker busy, or itself
	// stalled).
	Requests, Errors, Shed map[string]int
	// Throttled are the 429s of the live-build cap (sent again after
	// Retry-After).
	Throttled map[string]int
	// Stale is the answers older than what was acknowledged before the
	// request was sent; Checked the acknowledged conversations checked.
	Stale, Checked int
	// Acknowledged is the conversations ingestion acknowledged.
	Acknowledged int
	// LiveZips is the zip fetches answered from a live build.
	LiveZips int
	ZipP50Ms float64
	ZipP99Ms float64
	// ZipPerSecond is the zip fetches answered a second.
	ZipPerSecond float64
	// ObjectVersions is every version in the bucket; DuplicateVersions the
	// versions that repeat an earlier one's key and data version, on
	// DuplicatedKeys keys.
	ObjectVersions, DuplicateVersions, DuplicatedKeys int
	Processes                                         []processFigures
	ErrorSamples, StaleSamples, DuplicateSamples      []string
	// LogErrorSamples are the first ERROR records of the processes' logs.
	LogErrorSamples []string
}

// processFigures are one serve process's measures: under load after the
// warm-up (start), and once the load is over and its connections closed
// (end).
type processFigures struct {
	Name                           string
	RSSStartKiB, RSSEndKiB         int64
	GoroutinesStart, GoroutinesEnd int
	// Built are the reports it built and stored since it started, by source.
	Built map[string]float64
	// LogWarnings and LogErrors count its WARN and ERROR records.
	LogWarnings, LogErrors int
}

// newFigures collects the figures of a finished soak.
func newFigures(s settings, l *loader, elapsed time.Duration, vc versionCount, start, end []sample, servers []*server) figures {
	t := l.tally
	t.mu.Lock()
	f := figures{
		Duration: elapsed.Round(time.Second).String(), WarmUp: s.WarmUp.String(),
		Rates:    map[string]float64{kindZip: s.ZipRate, kindJSON: s.JSONRate, kindInline: s.InlineRate, kindDaily: s.DailyRate, kindIngest: s.BatchRate},
		Requests: t.requests, Errors: t.errors, Shed: t.shed, Throttled: t.throttled,
		Stale: t.stale, Checked: t.checked, LiveZips: t.live,
		ObjectVersions: vc.Versions, DuplicateVersions: vc.Duplicates, DuplicatedKeys: vc.DuplicatedKeys,
		ErrorSamples: t.errSample, StaleSamples: t.stlSample, DuplicateSamples: vc.Examples,
	}
	zips := len(t.zipLat)
	t.mu.Unlock()
	f.Acknowledged = l.ledger.total()
	f.ZipP50Ms = ms(t.zipPercentile(50))
	f.ZipP99Ms = ms(t.zipPercentile(99))
	f.ZipPerSecond = float64(int(float64(zips)/elapsed.Seconds()*10)) / 10
	for i, srv := range servers {
		p := processFigures{
			Name: srv.Name, RSSStartKiB: start[i].RSSKiB, RSSEndKiB: end[i].RSSKiB,
			GoroutinesStart: start[i].Goroutines, GoroutinesEnd: end[i].Goroutines, Built: map[string]float64{},
		}
		for src, n := range end[i].ChunksBuilt {
			p.Built[src] = n
		}
		var first []string
		p.LogWarnings, p.LogErrors, first = srv.logLevels()
		f.LogErrorSamples = append(f.LogErrorSamples, first...)
		f.Processes = append(f.Processes, p)
	}
	return f
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// String prints the figures as a table.
func (f figures) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "soak of %s (warm-up %s)\n", f.Duration, f.WarmUp)
	fmt.Fprintf(&b, "  %-14s %8s %9s %8s %8s %9s\n", "kind", "rate/s", "answered", "errors", "shed", "throttled")
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-14s %8.0f %9d %8d %8d %9d\n", k, f.Rates[k], f.Requests[k], f.Errors[k], f.Shed[k], f.Throttled[k])
	}
	fmt.Fprintf(&b, "  stale answers %d (%d acknowledged conversations checked, %d acknowledged)\n", f.Stale, f.Checked, f.Acknowledged)
	fmt.Fprintf(&b, "  zip fetches %.1f/s answered, p50 %.1f ms, p99 %.1f ms, %d built live\n", f.ZipPerSecond, f.ZipP50Ms, f.ZipP99Ms, f.LiveZips)
	fmt.Fprintf(&b, "  object versions %d, duplicate versions %d on %d keys\n", f.ObjectVersions, f.DuplicateVersions, f.DuplicatedKeys)
	for _, p := range f.Processes {
		fmt.Fprintf(&b, "  %s: RSS %d → %d KiB (%+.0f %%), goroutines %d → %d, built job %.0f live %.0f, log %d WARN %d ERROR\n", p.Name,
			p.RSSStartKiB, p.RSSEndKiB, 100*(float64(p.RSSEndKiB)/float64(p.RSSStartKiB)-1),
			p.GoroutinesStart, p.GoroutinesEnd, p.Built["job"], p.Built["live"], p.LogWarnings, p.LogErrors)
	}
	for _, group := range []struct {
		name string
		s    []string
	}{{"errors", f.ErrorSamples}, {"stale answers", f.StaleSamples}, {"duplicates", f.DuplicateSamples}, {"ERROR records", f.LogErrorSamples}} {
		if len(group.s) > 0 {
			fmt.Fprintf(&b, "  first %s:\n    %s\n", group.name, strings.Join(group.s, "\n    "))
		}
	}
	return b.String()
}

// write writes the figures as JSON to path.
func (f figures) write(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
