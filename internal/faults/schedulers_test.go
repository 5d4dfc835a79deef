package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/store"
	"github.com/dailyreports/dailyreports/jobs"
)

// Two schedulers fire the nightly at the same minute and three workers share
// the night of 50 tenants: one run, every chunk built exactly once.
func TestTwoSchedulersThreeWorkers(t *testing.T) {
	t.Parallel()
	const tenants = 50
	c := newCluster(t, map[string]string{"REPORT_SCHEDULE": "* * * * *"})
	day := yesterday(t)
	dayS := day.Format(document.DayLayout)
	c.seed(c.tenants(tenants), seed.Options{Day: day, ConversationsPerHour: 1, MessagesPerConversation: 3})
	var workers []*proc
	for _, name := range []string{"worker-1", "worker-2", "worker-3"} {
		workers = append(workers, c.serve(name, "worker", nil).Ready())
	}
	schedulers := []*proc{
		c.serve("scheduler-1", "scheduler", nil).Ready(),
		c.serve("scheduler-2", "scheduler", nil).Ready(),
	}
	t.Logf("the nightly fires in %s", time.Until(time.Now().Truncate(time.Minute).Add(time.Minute)).Round(time.Second))

	rows := c.waitChunks(dayS, "every chunk stored by the nightly run", 4*time.Minute, all(24*tenants, func(r *store.ChunkState) bool {
		return stored(r) && r.RunID == "nightly-"+dayS && r.Attempts == 1
	}))
	for _, s := range schedulers {
		if !strings.Contains(s.Tail(-1), `"type":"`+jobs.TypeNightly+`"`) {
			t.Errorf("%s did not enqueue the nightly", s.Name)
		}
	}
	for _, w := range workers {
		if !strings.Contains(w.Tail(-1), `"msg":"chunk stored"`) {
			t.Errorf("%s built no chunk", w.Name)
		}
	}
	c.uploadedOnce(rows)
}

// The scheduler was down when the night came (here: the nightly is due next
// New Year): the next reconcile finds the missed day and builds it.
func TestSchedulerDownAtTrigger(t *testing.T) {
	t.Parallel()
	c := newCluster(t, map[string]string{"REPORT_SCHEDULE": "0 0 1 1 *", "RECONCILE_INTERVAL": "2s"})
	day := yesterday(t)
	dayS := day.Format(document.DayLayout)
	c.seed(c.tenants(2), seed.Options{Day: day, ConversationsPerHour: 2, MessagesPerConversation: 3})
	c.serve("worker", "worker", nil).Ready()
	s := c.serve("scheduler", "scheduler", nil).Ready()

	rows := c.waitChunks(dayS, "the missed day stored by a reconcile", time.Minute, all(48, func(r *store.ChunkState) bool {
		return stored(r) && strings.HasPrefix(r.RunID, "reconcile-"+dayS)
	}))
	if strings.Contains(s.Tail(-1), `"type":"`+jobs.TypeNightly+`"`) {
		t.Error("the nightly fired; the test wants it missed")
	}
	c.uploadedOnce(rows)
	c.checkObjects(rows)
}
