package rest

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"time"
)

// healthz answers while the process is alive.
func (a *API) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz checks every dependency at once, each within two seconds; 503 when
// one of them does not answer.
func (a *API) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	names := make([]string, 0, len(a.Ready))
	for name := range a.Ready {
		names = append(names, name)
	}
	sort.Strings(names)
	results := make(map[string]string, len(names))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() {
			status := "ok"
			if err := a.Ready[name](ctx); err != nil {
				status = "unavailable"
				a.Log.WarnContext(ctx, "not ready", "dependency", name, "err", err)
			}
			mu.Lock()
			results[name] = status
			mu.Unlock()
		})
	}
	wg.Wait()
	status := http.StatusOK
	for _, s := range results {
		if s != "ok" {
			status = http.StatusServiceUnavailable
		}
	}
	if status != http.StatusOK {
		w.Header().Set("Retry-After", "5")
	}
	writeJSON(w, status, results)
}
