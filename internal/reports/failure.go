package reports

import (
	"context"
	"slices"

	"github.com/dailyreports/dailyreports/internal/auth"
)

// The sentences a failed chunk records as its last error: why it failed,
// in words an operator can act on, with nothing of a driver's message, an
// address or a secret.
const (
	FailedStorage  = "object storage unavailable"
	FailedDatabase = "database unavailable"
	FailedTimeout  = "timed out"
	FailedCanceled = "canceled"
	FailedInternal = "internal error"
	// FailedWorkerLost is recorded when the worker building the chunk was
	// lost each time its task was tried.
	FailedWorkerLost = "worker lost"
	// FailedNoOutcome is recorded when a chunk's task completed without
	// recording what became of the chunk.
	FailedNoOutcome = "the build ended without an outcome"
)

var failures = []string{FailedStorage, FailedDatabase, FailedTimeout, FailedCanceled, FailedInternal, FailedWorkerLost, FailedNoOutcome}

// Failure is the sentence a chunk records when its build failed with err.
func Failure(ctx context.Context, err error) string {
	switch Reason(ctx, err) {
	case "storage":
		return FailedStorage
	case "database":
		return FailedDatabase
	case "timeout":
		return FailedTimeout
	case "canceled":
		return FailedCanceled
	}
	return FailedInternal
}

// Attempts is how many times the latest run tried to build the hour, nil
// when no run has claimed it.
func (h *Hour) Attempts() *int {
	if h.state == nil || h.state.RunID == "" {
		return nil
	}
	n := h.state.Attempts
	return &n
}

// LastError is why the hour's last build failed, for host administrators
// only (nil for anyone else, and when it did not fail). Rows written before
// failures were recorded as sentences read as "internal error", so no
// driver text recorded then is shown.
func (h *Hour) LastError(ctx context.Context) *string {
	if h.status != StatusFailed || h.state == nil || h.state.LastError == "" {
		return nil
	}
	if _, err := auth.RequireHost(ctx); err != nil {
		return nil
	}
	msg := h.state.LastError
	if !slices.Contains(failures, msg) {
		msg = FailedInternal
	}
	return &msg
}
