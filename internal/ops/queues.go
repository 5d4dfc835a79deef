package ops

import (
	"log/slog"
	"slices"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// Queue series, named after asynq's own collector (github.com/hibiken/asynq/x/metrics)
// where its names follow Prometheus' conventions. That collector builds
// with asynq v0.26.0, but it reports a queue only once the queue has had a
// task, and two of its gauges carry a counter's suffix, which promtool
// check metrics refuses (asynq_tasks_enqueued_total, asynq_queue_paused_total):
// here they are asynq_queue_tasks and asynq_queue_paused, and every queue
// of the fixed set is there from the start.
var (
	queueSizeDesc = prometheus.NewDesc("asynq_queue_size",
		"Tasks in the queue, in every state.", []string{"queue"}, nil)
	queueTasksDesc = prometheus.NewDesc("asynq_queue_tasks",
		"Tasks in the queue, by state.", []string{"queue", "state"}, nil)
	queueLatencyDesc = prometheus.NewDesc("asynq_queue_latency_seconds",
		"How long the oldest pending task of the queue has waited.", []string{"queue"}, nil)
	queuePausedDesc = prometheus.NewDesc("asynq_queue_paused",
		"1 while the queue is paused, else 0.", []string{"queue"}, nil)
	tasksProcessedDesc = prometheus.NewDesc("asynq_tasks_processed_total",
		"Tasks of the queue processed, succeeded or failed.", []string{"queue"}, nil)
	tasksFailedDesc = prometheus.NewDesc("asynq_tasks_failed_total",
		"Tasks of the queue whose handler failed.", []string{"queue"}, nil)
)

// TaskStates are the values of asynq_queue_tasks' state label.
var TaskStates = []string{"pending", "active", "scheduled", "retry", "archived", "completed", "aggregating"}

// QueueCollector exposes asynq's queues as Prometheus series, read through
// asynq's Inspector at each scrape. The queues are a fixed set, each
// present at zero before its first task; the values are Redis', so every
// process reports the same (dashboards take the max per queue).
type QueueCollector struct {
	Inspector *asynq.Inspector
	Queues    []string
	Log       *slog.Logger
}

// Describe implements prometheus.Collector.
func (c *QueueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{queueSizeDesc, queueTasksDesc, queueLatencyDesc, queuePausedDesc, tasksProcessedDesc, tasksFailedDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. A queue Redis cannot be asked
// about is left out of this scrape rather than failing it.
func (c *QueueCollector) Collect(ch chan<- prometheus.Metric) {
	known, err := c.Inspector.Queues()
	if err != nil {
		c.Log.Warn("metrics: listing queues", "err", err)
		return
	}
	for _, q := range c.Queues {
		if !slices.Contains(known, q) {
			emit(ch, &asynq.QueueInfo{Queue: q}) // no task yet
			continue
		}
		info, err := c.Inspector.GetQueueInfo(q)
		if err != nil {
			c.Log.Warn("metrics: reading queue", "queue", q, "err", err)
			continue
		}
		emit(ch, info)
	}
}

func emit(ch chan<- prometheus.Metric, info *asynq.QueueInfo) {
	q := info.Queue
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append([]string{q}, labels...)...)
	}
	gauge(queueSizeDesc, float64(info.Size))
	for i, n := range []int{info.Pending, info.Active, info.Scheduled, info.Retry, info.Archived, info.Completed, info.Aggregating} {
		gauge(queueTasksDesc, float64(n), TaskStates[i])
	}
	gauge(queueLatencyDesc, info.Latency.Seconds())
	paused := 0.0
	if info.Paused {
		paused = 1
	}
	gauge(queuePausedDesc, paused)
	ch <- prometheus.MustNewConstMetric(tasksProcessedDesc, prometheus.CounterValue, float64(info.ProcessedTotal), q)
	ch <- prometheus.MustNewConstMetric(tasksFailedDesc, prometheus.CounterValue, float64(info.FailedTotal), q)
}
