package soak

import (
	"context"
	"testing"
	"time"
)

// Thresholds of the soak. Latencies are only reported: a loaded machine
// makes them what it makes them.
const (
	maxRSSGrowth      = 0.5 // of the RSS after the warm-up
	maxGoroutineRatio = 2.0 // of the goroutines after the warm-up
)

// Two full serve processes under the operator's release scenario for
// SOAK_DURATION: no request fails, no answer is older than what was
// acknowledged before it was asked for, no report is stored twice from one
// data version, and neither process grows its memory by half or doubles
// its goroutines after the warm-up.
func TestSoak(t *testing.T) {
	s := settingsFromEnv(t)
	d := deploy(t, s)
	l := newLoader(d, s)
	ctx, cancel := context.WithTimeout(context.Background(), s.Duration)
	began := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.run(ctx)
	}()
	// The load stops before the processes do.
	t.Cleanup(func() { cancel(); <-done })
	t.Logf("load for %s: %.0f zips/s, %.0f JSON/s, %.0f inline/s, %.0f dailyReport/s, %.0f batches/s of %d, on %d tenants of %s",
		s.Duration, s.ZipRate, s.JSONRate, s.InlineRate, s.DailyRate, s.BatchRate, s.BatchSize, s.Tenants, l.dayS)

	time.Sleep(time.Until(began.Add(s.WarmUp)))
	start := d.measure()
	<-done
	elapsed := time.Since(began)
	end := d.measureSettled()
	for _, srv := range d.servers {
		if !srv.Running() {
			t.Errorf("%s exited during the soak", srv.Name)
		}
	}
	vc, err := d.countVersions()
	if err != nil {
		t.Fatal(err)
	}
	f := newFigures(s, l, elapsed, vc, start, end, d.servers)
	t.Log("\n" + f.String())
	if s.FiguresPath != "" {
		if err := f.write(s.FiguresPath); err != nil {
			t.Errorf("write the figures: %v", err)
		}
	}
	f.assert(t)
}

// measure measures every serve process.
func (d *deployment) measure() []sample {
	d.t.Helper()
	out := make([]sample, len(d.servers))
	for i, srv := range d.servers {
		m, err := srv.measure()
		if err != nil {
			d.t.Fatalf("measure %s: %v", srv.Name, err)
		}
		out[i] = m
	}
	return out
}

// measureSettled measures every serve process once the load is over and
// its goroutines have settled: the goroutines of the generator's closed
// connections are gone once a count is no lower than the one 200 ms
// before (or after 5 s). What stays is what the load left behind.
func (d *deployment) measureSettled() []sample {
	d.t.Helper()
	prev := d.measure()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		cur := d.measure()
		settled := true
		for i := range cur {
			settled = settled && cur[i].Goroutines >= prev[i].Goroutines
		}
		if prev = cur; settled {
			break
		}
	}
	return prev
}

// assert fails the test on what the soak forbids.
func (f figures) assert(t *testing.T) {
	t.Helper()
	for _, k := range kinds {
		if f.Errors[k] > 0 {
			t.Errorf("%d %s requests failed", f.Errors[k], k)
		}
		if f.Requests[k] == 0 {
			t.Errorf("no %s request was answered: the load did not run", k)
		}
	}
	if f.Stale > 0 {
		t.Errorf("%d answers were older than what was acknowledged before they were asked for", f.Stale)
	}
	if f.Checked == 0 {
		t.Error("no acknowledged conversation was checked in an answer")
	}
	if f.DuplicateVersions > 0 {
		t.Errorf("%d object versions repeat an earlier version's key and data version (%d keys)", f.DuplicateVersions, f.DuplicatedKeys)
	}
	for _, p := range f.Processes {
		if float64(p.RSSEndKiB) > (1+maxRSSGrowth)*float64(p.RSSStartKiB) {
			t.Errorf("%s: RSS grew from %d to %d KiB, more than %.0f %%", p.Name, p.RSSStartKiB, p.RSSEndKiB, 100*maxRSSGrowth)
		}
		if float64(p.GoroutinesEnd) > maxGoroutineRatio*float64(p.GoroutinesStart) {
			t.Errorf("%s: goroutines went from %d to %d, more than %.0f×", p.Name, p.GoroutinesStart, p.GoroutinesEnd, maxGoroutineRatio)
		}
	}
}
