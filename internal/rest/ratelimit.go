package rest

import (
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/dailyreports/dailyreports/internal/apperr"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// RateLimiter limits the request rate of each authenticated principal
// (tenant and subject) in this process with a token bucket. Idle buckets
// are forgotten, so memory stays bounded by the active principals.
type RateLimiter struct {
	// PerSecond is the sustained rate; Burst the bucket size.
	PerSecond float64
	Burst     int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleAfter is how long an unused bucket is kept.
const idleAfter = 10 * time.Minute

// allow takes one token of key's bucket and returns how long to wait when
// there is none.
func (l *RateLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = make(map[string]*bucket)
	}
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > idleAfter {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(l.PerSecond), l.Burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limit answers 429 with Retry-After to a principal over its rate.
func (a *API) limit(next http.Handler) http.Handler {
	if a.RateLimit == nil || a.RateLimit.PerSecond <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, ok := viewer.FromContext(r.Context()); ok {
			ok, wait := a.RateLimit.allow(v.TenantID.String()+"/"+v.Subject, time.Now())
			if !ok {
				a.writeError(w, r, &apperr.Error{Code: apperr.TooMany, Message: "request rate limit exceeded", RetryAfter: max(wait, time.Second)})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
