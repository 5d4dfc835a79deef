package metrics

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// nightlyDesc describes the day of the last finished nightly run.
var nightlyDesc = prometheus.NewDesc("dailyreports_nightly_last_finished_day_timestamp_seconds",
	"Start (00:00 UTC, as Unix time) of the day the last nightly run that finished every pass built; 0 before the first.",
	nil, nil)

// NightlyCollector exposes the day of the last finished nightly run. The
// workers record it in Redis, so every process reads the same value and a
// restart does not forget it; the collector reads it at each scrape.
type NightlyCollector struct {
	source atomic.Pointer[func(context.Context) (time.Time, error)]
}

// SetNightlySource sets how the day is read; until it is set, or when it
// returns the zero time, the series is 0 (none recorded yet); while it
// fails, the series is absent rather than the scrape failing.
func (c *NightlyCollector) SetNightlySource(read func(context.Context) (time.Time, error)) {
	c.source.Store(&read)
}

// Describe implements prometheus.Collector.
func (c *NightlyCollector) Describe(ch chan<- *prometheus.Desc) { ch <- nightlyDesc }

// Collect implements prometheus.Collector.
func (c *NightlyCollector) Collect(ch chan<- prometheus.Metric) {
	var v float64
	if read := c.source.Load(); read != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		day, err := (*read)(ctx)
		if err != nil {
			return // Redis is down: the readiness alert speaks for it
		}
		if !day.IsZero() {
			v = float64(day.Unix())
		}
	}
	ch <- prometheus.MustNewConstMetric(nightlyDesc, prometheus.GaugeValue, v)
}
