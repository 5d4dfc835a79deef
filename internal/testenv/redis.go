package testenv

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis logical databases handed out by NewRedis; 0 holds the claims.
const (
	firstRedisDB = 1
	lastRedisDB  = 15
	claimTTL     = 15 * time.Minute
	claimWait    = 60 * time.Second
)

// releaseClaim deletes a claim only if the caller still owns it.
var releaseClaim = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// RedisAddr returns the host:port of the Redis server the tests use: env
// TEST_REDIS_ADDR, or the local server.
func RedisAddr() string {
	if a := os.Getenv("TEST_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// NewRedis claims a logical database in 1..15 of the RedisAddr server for the
// test alone, empties it and returns the server's address and the database
// number. Claims are keys in database 0 (testenv:db:<n>, expiring after 15
// minutes), so concurrently running test processes never share a database;
// when all are taken it waits up to a minute for one to be released. When the
// test ends the database is emptied again and the claim released. The test
// fails at once if Redis does not answer.
func NewRedis(tb testing.TB) (addr string, db int) {
	tb.Helper()
	addr = RedisAddr()
	ctx := context.Background()
	claims := redis.NewClient(&redis.Options{Addr: addr, DB: 0})
	defer claims.Close()
	if err := ping(ctx, claims); err != nil {
		tb.Fatalf("testenv: Redis at %s does not answer: %v (is it running? `make test` starts it)", addr, err)
	}
	token := randomHex(16)
	db, err := claimDB(ctx, claims, token)
	if err != nil {
		tb.Fatalf("testenv: claim a Redis database at %s: %v", addr, err)
	}
	if err := flushDB(ctx, addr, db); err != nil {
		tb.Fatalf("testenv: flush Redis database %d: %v", db, err)
	}
	tb.Cleanup(func() {
		if err := flushDB(ctx, addr, db); err != nil {
			tb.Errorf("testenv: flush Redis database %d: %v", db, err)
		}
		claims := redis.NewClient(&redis.Options{Addr: addr, DB: 0})
		defer claims.Close()
		if err := releaseClaim.Run(ctx, claims, []string{claimKey(db)}, token).Err(); err != nil {
			tb.Errorf("testenv: release Redis database %d: %v", db, err)
		}
	})
	return addr, db
}

// claimDB takes the first free database, starting at a random one so that
// concurrent callers rarely race for the same key.
func claimDB(ctx context.Context, c *redis.Client, token string) (int, error) {
	n := lastRedisDB - firstRedisDB + 1
	deadline := time.Now().Add(claimWait)
	for {
		start := rand.IntN(n)
		for i := range n {
			db := firstRedisDB + (start+i)%n
			ok, err := c.SetNX(ctx, claimKey(db), token, claimTTL).Result()
			if err != nil {
				return 0, err
			}
			if ok {
				return db, nil
			}
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("all databases %d..%d stayed claimed for %v (keys testenv:db:* in database 0)", firstRedisDB, lastRedisDB, claimWait)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func claimKey(db int) string { return fmt.Sprintf("testenv:db:%d", db) }

func flushDB(ctx context.Context, addr string, db int) error {
	c := redis.NewClient(&redis.Options{Addr: addr, DB: db})
	defer c.Close()
	return c.FlushDB(ctx).Err()
}

func ping(ctx context.Context, c *redis.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := c.Ping(ctx).Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return errors.New("no answer within 5s")
	}
	return err
}
