package embedded

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// clockTick is how often miniredis is told how much time has passed.
const clockTick = 250 * time.Millisecond

// Redis is an in-process Redis server on a random loopback port, behind a
// random password.
type Redis struct {
	mr       *miniredis.Miniredis
	password string
	stop     chan struct{}
	done     sync.WaitGroup
}

// StartRedis starts the server and its clock.
func StartRedis(log *slog.Logger) (*Redis, error) {
	r := &Redis{mr: miniredis.NewMiniRedis(), password: rand.Text(), stop: make(chan struct{})}
	r.mr.RequireAuth(r.password)
	if err := r.mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("embedded: redis: %w", err)
	}
	r.done.Go(r.clock)
	log.Debug("embedded redis listening", "addr", r.mr.Addr())
	return r, nil
}

// clock advances miniredis's key expiry with the real elapsed time: it
// expires keys only when told to, and asynq's unique locks and server and
// scheduler heartbeats rely on expiry.
func (r *Redis) clock() {
	t := time.NewTicker(clockTick)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.mr.FastForward(now.Sub(last))
			last = now
		}
	}
}

// Addr is the server's host:port.
func (r *Redis) Addr() string { return r.mr.Addr() }

// URL is the redis:// URL of the server, password included.
func (r *Redis) URL() string {
	u := url.URL{Scheme: "redis", User: url.UserPassword("", r.password), Host: r.mr.Addr(), Path: "/0"}
	return u.String()
}

// Close stops the clock and the server; its data is gone.
func (r *Redis) Close() error {
	close(r.stop)
	r.done.Wait()
	r.mr.Close()
	return nil
}
