package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Webhooks configures webhook delivery.
type Webhooks struct {
	// AllowPrivate lets webhook URLs reach loopback, private and link-local
	// addresses (WEBHOOK_ALLOW_PRIVATE): on-premises receivers and tests.
	AllowPrivate bool
	// RetryDelays are the waits before each retry of a delivery
	// (WEBHOOK_RETRY_DELAYS); a delivery makes len+1 attempts at most.
	RetryDelays []time.Duration
	// SecretKey is the key material webhook secrets are sealed under
	// (WEBHOOK_SECRET_KEY); "" means AUTH_SIGNING_KEY's.
	SecretKey string
}

// defaultRetryDelays are 6 attempts over about 1 h 43 min.
const defaultRetryDelays = "30s,2m,10m,30m,1h"

// maxRetryDelays bounds the attempts of one delivery.
const maxRetryDelays = 20

// webhooksFromEnv reads the WEBHOOK_* variables.
func webhooksFromEnv(get func(k, def string) string, errs *[]error) Webhooks {
	w := Webhooks{SecretKey: get("WEBHOOK_SECRET_KEY", "")}
	b, err := strconv.ParseBool(get("WEBHOOK_ALLOW_PRIVATE", "false"))
	if err != nil {
		*errs = append(*errs, errors.New("WEBHOOK_ALLOW_PRIVATE: must be true or false"))
	}
	w.AllowPrivate = b
	w.RetryDelays, err = ParseRetryDelays(get("WEBHOOK_RETRY_DELAYS", defaultRetryDelays))
	if err != nil {
		*errs = append(*errs, fmt.Errorf("WEBHOOK_RETRY_DELAYS: %w", err))
	}
	if w.SecretKey != "" && len(w.SecretKey) < 32 {
		*errs = append(*errs, errors.New("WEBHOOK_SECRET_KEY: must have at least 32 bytes"))
	}
	return w
}

// ParseRetryDelays reads a comma-separated list of positive durations
// ("30s,2m,10m"), at most 20 of them, each at most a day.
func ParseRetryDelays(s string) ([]time.Duration, error) {
	parts := strings.Split(s, ",")
	if len(parts) > maxRetryDelays {
		return nil, fmt.Errorf("at most %d delays", maxRetryDelays)
	}
	out := make([]time.Duration, 0, len(parts))
	for _, p := range parts {
		d, err := time.ParseDuration(strings.TrimSpace(p))
		if err != nil || d <= 0 || d > 24*time.Hour {
			return nil, errors.New("must be a comma-separated list of durations between 1ns and 24h, such as 30s,2m,10m")
		}
		out = append(out, d)
	}
	return out, nil
}
