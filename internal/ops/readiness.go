package ops

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var dependencyUpDesc = prometheus.NewDesc("dailyreports_dependency_up",
	"1 when the dependency answered the readiness check at this scrape, else 0 (the checks of /readyz).",
	[]string{"dependency"}, nil)

// ReadinessCollector runs the process's readiness checks (those of
// /readyz: database, redis, storage, as its roles need them) at each
// scrape, each within two seconds, so losing one is an alert and not only
// a failing probe.
type ReadinessCollector struct {
	Checks map[string]func(context.Context) error
}

// Describe implements prometheus.Collector.
func (c *ReadinessCollector) Describe(ch chan<- *prometheus.Desc) { ch <- dependencyUpDesc }

// Collect implements prometheus.Collector.
func (c *ReadinessCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for name, check := range c.Checks {
		wg.Go(func() {
			up := 1.0
			if check(ctx) != nil {
				up = 0
			}
			ch <- prometheus.MustNewConstMetric(dependencyUpDesc, prometheus.GaugeValue, up, name)
		})
	}
	wg.Wait()
}
