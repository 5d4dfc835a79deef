// Package config reads the service's configuration from the environment,
// once, into a struct with defaults (README "Configuration"). Secrets are
// masked when the configuration is logged.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// Config is the whole configuration of one process.
type Config struct {
	// HTTPAddr is the listen address: 127.0.0.1:8080 by default in embedded
	// mode, which is for one machine, else :8080.
	HTTPAddr string
	// OpsAddr, when set, is the listener of /metrics and the probes, and
	// /metrics is no longer on HTTPAddr.
	OpsAddr     string
	DatabaseURL string
	// DatabaseMaxConns bounds the PostgreSQL connections of one process.
	DatabaseMaxConns int
	// DatabasePrepared keeps each connection's statements prepared
	// (store.PostgresDriver); off, every statement is prepared unnamed and
	// run at once, as a pooler in transaction mode needs.
	DatabasePrepared bool
	RedisURL         string
	DataDir          string

	S3Endpoint  string
	S3AccessKey string
	S3SecretKey string
	S3Bucket    string
	S3Region    string
	S3Secure    bool

	SigningKey   string
	AuthIssuer   string
	AuthAudience string
	AuthJWKSURL  string

	ReportSchedule    string
	ReconcileInterval time.Duration
	// RetryPassDelay is the pause before each retry pass of a run.
	RetryPassDelay time.Duration
	PresignTTL     time.Duration
	Playground     bool

	// WorkerConcurrency is the number of tasks a worker runs at once.
	WorkerConcurrency int
	// LiveBuildsPerTenant caps a tenant's live builds in flight per process.
	LiveBuildsPerTenant int
	// LiveWait bounds how long a live request waits for another build of
	// its hour and data version (in any process) before it serves a build
	// of its own without storing it.
	LiveWait time.Duration
	// RateLimit is the sustained requests per second of one principal in one
	// API process, RateBurst its burst.
	RateLimit float64
	RateBurst int
	// ShutdownTimeout bounds the graceful shutdown of each role.
	ShutdownTimeout time.Duration
	LogLevel        slog.Level
	// PublicURL is the base URL clients reach the service at, without a
	// trailing slash: the OpenAPI document's server and the OAuth issuer.
	PublicURL string
	// MemoryLimit is the process's soft memory limit in bytes: MEMORY_LIMIT,
	// else GOMEMLIMIT, else 512 MiB. serve gives it to the Go runtime when
	// GOMEMLIMIT is unset; ingestion sizes its budget of bodies in flight
	// from it.
	MemoryLimit int64
	// Tracing is set when the OTEL_* variables ask for traces to be
	// exported; the OpenTelemetry SDK reads the variables themselves.
	Tracing bool
	// Webhooks configures webhook delivery (WEBHOOK_*).
	Webhooks Webhooks
}

// Embedded reports whether any dependency falls back to its embedded default.
func (c Config) Embedded() bool {
	return c.DatabaseURL == "" || c.RedisURL == "" || c.S3Endpoint == ""
}

// FromEnv reads the configuration from getenv.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	dur := func(k, def string) time.Duration {
		d, err := time.ParseDuration(get(k, def))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: must be a positive duration", k))
		}
		return d
	}
	num := func(k, def string) int {
		n, err := strconv.Atoi(get(k, def))
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("%s: must be a positive integer", k))
		}
		return n
	}
	boolean := func(k, def string) bool {
		b, err := strconv.ParseBool(get(k, def))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: must be true or false", k))
		}
		return b
	}
	c := Config{
		HTTPAddr:         get("HTTP_ADDR", ""),
		DatabaseURL:      get("DATABASE_URL", ""),
		DatabaseMaxConns: num("DATABASE_MAX_CONNS", "16"),
		DatabasePrepared: boolean("DATABASE_PREPARED_STATEMENTS", "true"),
		RedisURL:         get("REDIS_URL", ""),
		DataDir:          get("DATA_DIR", "./data"),
		S3Endpoint:       get("S3_ENDPOINT", ""),
		S3AccessKey:      get("S3_ACCESS_KEY", ""),
		S3SecretKey:      get("S3_SECRET_KEY", ""),
		S3Bucket:         get("S3_BUCKET", "daily-reports"),
		S3Region:         get("S3_REGION", "us-east-1"),
		S3Secure:         boolean("S3_SECURE", "false"),
		SigningKey:       getenv("AUTH_SIGNING_KEY"),
		AuthIssuer:       get("AUTH_ISSUER", "dailyreports"),
		AuthAudience:     get("AUTH_AUDIENCE", "dailyreports"),
		AuthJWKSURL:      get("AUTH_JWKS_URL", ""),

		ReportSchedule:      get("REPORT_SCHEDULE", "30 0 * * *"),
		ReconcileInterval:   dur("RECONCILE_INTERVAL", "10m"),
		RetryPassDelay:      dur("RETRY_PASS_DELAY", "30s"),
		PresignTTL:          dur("PRESIGN_TTL", "15m"),
		WorkerConcurrency:   num("WORKER_CONCURRENCY", "8"),
		LiveBuildsPerTenant: num("LIVE_BUILDS_PER_TENANT", "2"),
		LiveWait:            dur("LIVE_WAIT", "10s"),
		ShutdownTimeout:     dur("SHUTDOWN_TIMEOUT", "30s"),
		RateBurst:           num("RATE_LIMIT_BURST", "100"),
	}
	if r, err := strconv.ParseFloat(get("RATE_LIMIT", "50"), 64); err != nil || r < 0 {
		errs = append(errs, errors.New("RATE_LIMIT: must be a number of requests per second (0 turns it off)"))
	} else {
		c.RateLimit = r
	}
	c.Playground = boolean("GRAPHQL_PLAYGROUND", strconv.FormatBool(c.Embedded()))
	if c.HTTPAddr == "" {
		c.HTTPAddr = ":8080"
		if c.Embedded() {
			c.HTTPAddr = "127.0.0.1:8080"
		}
	}
	c.MemoryLimit = memoryLimit(getenv, &errs)
	if a, err := opsAddr(get("OPS_ADDR", ""), c.HTTPAddr); err != nil {
		errs = append(errs, err)
	} else {
		c.OpsAddr = a
	}
	c.Tracing = tracingConfigured(getenv)
	c.Webhooks = webhooksFromEnv(get, &errs)
	if u, err := publicURL(get("PUBLIC_URL", ""), c.HTTPAddr); err != nil {
		errs = append(errs, err)
	} else {
		c.PublicURL = u
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		errs = append(errs, fmt.Errorf("LOG_LEVEL: %w", err))
	}
	if c.DatabaseMaxConns == 1 {
		errs = append(errs, errors.New("DATABASE_MAX_CONNS: must be at least 2 (a migration holds its lock on one connection and works on another)"))
	}
	if c.PresignTTL > 7*24*time.Hour {
		errs = append(errs, errors.New("PRESIGN_TTL: must be at most 7 days"))
	}
	if c.SigningKey != "" && len(c.SigningKey) < 32 {
		errs = append(errs, errors.New("AUTH_SIGNING_KEY: must have at least 32 bytes"))
	}
	if c.SigningKey == "" && c.DatabaseURL != "" {
		errs = append(errs, errors.New("AUTH_SIGNING_KEY: required when DATABASE_URL is set"))
	}
	return c, errors.Join(errs...)
}

// memoryLimit reads MEMORY_LIMIT ("512MiB", "1GiB"), falling back on a valid
// GOMEMLIMIT and then on 512 MiB.
func memoryLimit(getenv func(string) string, errs *[]error) int64 {
	if v := strings.TrimSpace(getenv("MEMORY_LIMIT")); v != "" {
		n, err := humanize.ParseBytes(v)
		if err != nil || n < 64<<20 || n > math.MaxInt64 {
			*errs = append(*errs, errors.New("MEMORY_LIMIT: must be a size of at least 64MiB, such as 512MiB or 2GiB"))
		}
		return int64(min(n, math.MaxInt64))
	}
	if n, err := humanize.ParseBytes(strings.TrimSpace(getenv("GOMEMLIMIT"))); err == nil && n > 0 && n <= math.MaxInt64 {
		return int64(n)
	}
	return 512 << 20
}

// FromOS reads the configuration from the process environment.
func FromOS() (Config, error) { return FromEnv(os.Getenv) }

// LogValue masks secrets when the configuration is logged.
func (c Config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "***"
	}
	return slog.GroupValue(
		slog.String("http_addr", c.HTTPAddr),
		slog.String("ops_addr", c.OpsAddr),
		slog.Bool("tracing", c.Tracing),
		slog.String("public_url", c.PublicURL),
		slog.String("memory_limit", humanize.IBytes(uint64(c.MemoryLimit))),
		slog.String("database_url", maskURL(c.DatabaseURL)),
		slog.Int("database_max_conns", c.DatabaseMaxConns),
		slog.Bool("database_prepared_statements", c.DatabasePrepared),
		slog.String("redis_url", maskURL(c.RedisURL)),
		slog.String("s3_endpoint", c.S3Endpoint),
		slog.String("s3_bucket", c.S3Bucket),
		slog.String("s3_access_key", mask(c.S3AccessKey)),
		slog.String("s3_secret_key", mask(c.S3SecretKey)),
		slog.String("auth_signing_key", mask(c.SigningKey)),
		slog.String("webhook_secret_key", mask(c.Webhooks.SecretKey)),
		slog.Bool("webhook_allow_private", c.Webhooks.AllowPrivate),
		slog.String("report_schedule", c.ReportSchedule),
		slog.Bool("embedded", c.Embedded()),
	)
}

// maskURL hides the password of a URL's user info.
func maskURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return u
	}
	userinfo := u[scheme+3 : at]
	if i := strings.Index(userinfo, ":"); i >= 0 {
		return u[:scheme+3] + userinfo[:i] + ":***" + u[at:]
	}
	return u
}
