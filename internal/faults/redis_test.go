package faults

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

// redisBin is the Redis server the restart test runs as its own.
const redisBin = "/usr/bin/redis-server"

// redisServer is a redis-server process of the test's own, without any
// persistence, so a restart loses every key.
type redisServer struct {
	t    *testing.T
	addr string
	dir  string
	p    *proc
	runs int
}

// startRedis starts a redis-server on a free port.
func startRedis(t *testing.T) *redisServer {
	t.Helper()
	r := &redisServer{t: t, addr: testenv.FreeAddr(t), dir: t.TempDir()}
	r.start()
	return r
}

// URL is the REDIS_URL of the server.
func (r *redisServer) URL() string { return "redis://" + r.addr + "/0" }

func (r *redisServer) start() {
	r.t.Helper()
	r.runs++
	port := r.addr[strings.LastIndex(r.addr, ":")+1:]
	r.p = startProc(r.t, fmt.Sprintf("redis-%d", r.runs), nil, redisBin,
		"--bind", "127.0.0.1", "--port", port, "--dir", r.dir, "--save", "", "--appendonly", "no")
	c := r.client()
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for c.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) || !r.p.Running() {
			r.t.Fatalf("redis-server on %s did not start", r.addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// restart kills the server and starts an empty one on the same port.
func (r *redisServer) restart() {
	r.t.Helper()
	r.p.Kill()
	r.start()
}

func (r *redisServer) client() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: r.addr, DialTimeout: time.Second})
}
