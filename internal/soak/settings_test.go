package soak

import (
	"os"
	"strconv"
	"testing"
	"time"
)

// settings are the soak's size: its length and the rates of each kind of
// request. Every rate is a ceiling: the load generator never sends more,
// and what it could not send in time is counted as shed.
type settings struct {
	// Duration is how long the load runs; the first WarmUp of it is not
	// measured (RSS and goroutines are sampled when it ends).
	Duration, WarmUp time.Duration
	// ZipRate is the REST fetches of hourly zips a second.
	ZipRate float64
	// JSONRate is the REST fetches with compressed=false a second, and
	// InlineRate the GraphQL hourlyReport data queries; both check every
	// acknowledged conversation of the hour.
	JSONRate, InlineRate float64
	// DailyRate is the GraphQL dailyReport queries a second.
	DailyRate float64
	// BatchRate is the ingestion batches a second, each of BatchSize
	// conversations of one tenant, into BatchHours hours of its day.
	BatchRate             float64
	BatchSize, BatchHours int
	// Tenants is how many tenants have reports enabled.
	Tenants int
	// SeededPerHour is how many conversations each hour of each tenant
	// holds before the load starts.
	SeededPerHour int
	// Workers bounds the requests in flight.
	Workers int
	// FiguresPath is where the figures are written as JSON ("" for nowhere).
	FiguresPath string
}

// settingsFromEnv reads SOAK_DURATION (default 60s), SOAK_ZIP_RATE (default
// 200) and SOAK_FIGURES; the rest is fixed.
func settingsFromEnv(t *testing.T) settings {
	t.Helper()
	s := settings{
		Duration:      60 * time.Second,
		ZipRate:       200,
		JSONRate:      10,
		InlineRate:    5,
		DailyRate:     5,
		BatchRate:     2,
		BatchSize:     50,
		BatchHours:    3,
		Tenants:       30,
		SeededPerHour: 3,
		Workers:       64,
		FiguresPath:   os.Getenv("SOAK_FIGURES"),
	}
	if v := os.Getenv("SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 20*time.Second || d > 30*time.Minute {
			t.Fatalf("SOAK_DURATION=%q: want a duration from 20s to 30m", v)
		}
		s.Duration = d
	}
	if v := os.Getenv("SOAK_ZIP_RATE"); v != "" {
		r, err := strconv.ParseFloat(v, 64)
		if err != nil || r <= 0 || r > 5000 {
			t.Fatalf("SOAK_ZIP_RATE=%q: want a number of requests a second up to 5000", v)
		}
		s.ZipRate = r
	}
	// The warm-up covers the first scheduled runs (20 s after the
	// schedulers start) and the growth of the processes to their working
	// size: a third of the run, between 20 s and a minute.
	s.WarmUp = min(max(s.Duration/3, 20*time.Second), time.Minute)
	return s
}

// requestCap bounds the requests of one kind at rate: what the rate allows
// in the run's duration, and one more.
func (s settings) requestCap(rate float64) int {
	return int(rate*s.Duration.Seconds()) + 1
}
