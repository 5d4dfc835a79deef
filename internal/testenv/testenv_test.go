package testenv_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/redis/go-redis/v9"

	"github.com/dailyreports/dailyreports/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestNewDatabaseIsFreshUsableAndDropped(t *testing.T) {
	var name string
	var open *sql.DB // left open across the drop, which must force it closed
	t.Run("use", func(t *testing.T) {
		start := time.Now()
		url := testenv.NewDatabase(t)
		t.Logf("NewDatabase took %v", time.Since(start))
		db, err := sql.Open("postgres", url)
		if err != nil {
			t.Fatal(err)
		}
		open = db
		if err := db.QueryRow("SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, "t_testnewdatabase") || len(name) > 63 {
			t.Errorf("database name %q: want t_<test name>_<random>, at most 63 bytes", name)
		}
		mustExec(t, db, "CREATE TABLE things (id int PRIMARY KEY, label text)")
		mustExec(t, db, "INSERT INTO things VALUES (1, 'one')")
		var label string
		if err := db.QueryRow("SELECT label FROM things WHERE id = 1").Scan(&label); err != nil || label != "one" {
			t.Fatalf("read back: %q, %v", label, err)
		}
	})
	defer open.Close()

	admin, err := sql.Open("postgres", testenv.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.QueryRow("SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after the test", name)
	}
}

func TestNewDatabaseTwiceGivesTwoDatabases(t *testing.T) {
	a, b := testenv.NewDatabase(t), testenv.NewDatabase(t)
	if a == b {
		t.Fatalf("both calls returned %s", a)
	}
}

func TestNewRedisGivesExclusiveDatabases(t *testing.T) {
	addr1, db1 := testenv.NewRedis(t)
	addr2, db2 := testenv.NewRedis(t)
	if db1 == db2 {
		t.Fatalf("both calls got database %d", db1)
	}
	for _, db := range []int{db1, db2} {
		if db < 1 || db > 15 {
			t.Errorf("database %d outside 1..15", db)
		}
	}
	ctx := context.Background()
	c1 := redis.NewClient(&redis.Options{Addr: addr1, DB: db1})
	defer c1.Close()
	c2 := redis.NewClient(&redis.Options{Addr: addr2, DB: db2})
	defer c2.Close()
	if n, err := c1.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("fresh database %d has %d keys (%v)", db1, n, err)
	}
	if err := c1.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := c2.Exists(ctx, "k").Result(); err != nil || n != 0 {
		t.Errorf("key written to database %d seen in %d (%v)", db1, db2, err)
	}
}

func TestMinIOKeepsObjectsAcrossRestart(t *testing.T) {
	start := time.Now()
	m := testenv.StartMinIO(t)
	t.Logf("StartMinIO took %v", time.Since(start))
	bucket := testenv.NewBucket(t, m)
	c := m.Client(t)
	ctx := context.Background()
	body := []byte("hello, report")
	if _, err := c.PutObject(ctx, bucket, "a/b.txt", bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}

	m.Stop(t)
	if conn, err := net.DialTimeout("tcp", m.Endpoint, time.Second); err == nil {
		conn.Close()
		t.Fatal("stopped MinIO still accepts connections")
	}

	start = time.Now()
	m.Start(t)
	t.Logf("restart took %v", time.Since(start))
	if got := readObject(t, c, bucket, "a/b.txt"); !bytes.Equal(got, body) {
		t.Errorf("after restart read %q, want %q", got, body)
	}
}

func TestSharedMinIOIsOneServer(t *testing.T) {
	m := testenv.SharedMinIO(t)
	if again := testenv.SharedMinIO(t); again != m {
		t.Fatal("SharedMinIO started a second server")
	}
	bucket := testenv.NewBucket(t, m)
	c := m.Client(t)
	if _, err := c.PutObject(context.Background(), bucket, "x", strings.NewReader("x"), 1, minio.PutObjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if other := testenv.NewBucket(t, m); other == bucket {
		t.Fatalf("NewBucket returned %s twice", bucket)
	}
}

func mustExec(t *testing.T, db *sql.DB, stmt string) {
	t.Helper()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

func readObject(t *testing.T, c *minio.Client, bucket, key string) []byte {
	t.Helper()
	obj, err := c.GetObject(context.Background(), bucket, key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
