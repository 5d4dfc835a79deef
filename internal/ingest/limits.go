package ingest

import "time"

// Limits bound one batch. A zero or negative field means its default (see
// DefaultLimits); a nil Now means time.Now.
type Limits struct {
	// MaxBytes is the largest body accepted, in bytes.
	MaxBytes int64
	// MaxRecords is the most conversations one batch may hold.
	MaxRecords int
	// MaxMessages is the most messages one conversation may hold.
	MaxMessages int
	// MaxTextBytes is the longest message Text accepted, in bytes of UTF-8.
	MaxTextBytes int
	// Now is the clock times are checked against (no more than 24h ahead).
	Now func() time.Time
}

// DefaultLimits returns the limits of the public API: a 32 MiB body, 10000
// conversations, 5000 messages per conversation, 64 KiB per message Text.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:     32 << 20,
		MaxRecords:   10000,
		MaxMessages:  5000,
		MaxTextBytes: 64 << 10,
		Now:          time.Now,
	}
}

// WithDefaults returns lim with its unset fields taken from DefaultLimits.
func (lim Limits) WithDefaults() Limits {
	def := DefaultLimits()
	if lim.MaxBytes <= 0 {
		lim.MaxBytes = def.MaxBytes
	}
	if lim.MaxRecords <= 0 {
		lim.MaxRecords = def.MaxRecords
	}
	if lim.MaxMessages <= 0 {
		lim.MaxMessages = def.MaxMessages
	}
	if lim.MaxTextBytes <= 0 {
		lim.MaxTextBytes = def.MaxTextBytes
	}
	if lim.Now == nil {
		lim.Now = def.Now
	}
	return lim
}

// CheckLength returns the error of IsTooLarge when a body declares n bytes,
// more than MaxBytes, so it is refused before any of it is read; a negative
// n (unknown) passes.
func (lim Limits) CheckLength(n int64) error {
	if max := lim.WithDefaults().MaxBytes; n > max {
		return errTooLarge(max)
	}
	return nil
}

// Bounds of string fields, in bytes.
const (
	maxString   = 256
	maxLanguage = 35
)

// minTime is the earliest time accepted; maxAhead is how far past now a time
// may lie, to allow for clock skew.
var minTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const maxAhead = 24 * time.Hour
