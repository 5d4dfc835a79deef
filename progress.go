package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/dailyreports/dailyreports/internal/store"
)

// progress follows a run's chunks as they finish: a bar when w is a
// terminal, else a log line at every tenth of the chunks.
type progress struct {
	mu     sync.Mutex
	total  int
	state  map[store.ChunkRef]error // latest outcome of each chunk seen
	failed int
	bar    *progressbar.ProgressBar // nil when w is not a terminal
	log    *slog.Logger
	logged int // tenths already logged
}

// newProgress starts following total chunks.
func newProgress(w io.Writer, total int, log *slog.Logger) *progress {
	p := &progress{total: total, state: make(map[store.ChunkRef]error, total), log: log}
	if isTerminal(w) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("building reports"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
	return p
}

// isTerminal reports whether w writes to a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// chunk records the outcome of one chunk attempt. A chunk tried again by a
// retry pass counts once, with its latest outcome.
func (p *progress) chunk(ref store.ChunkRef, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	prev, seen := p.state[ref]
	p.state[ref] = err
	if seen && prev != nil {
		p.failed--
	}
	if err != nil {
		p.failed++
	}
	if p.bar != nil {
		if p.failed > 0 {
			p.bar.Describe(fmt.Sprintf("building reports (%d failed, retried after the pass)", p.failed))
		}
		if !seen {
			_ = p.bar.Add(1)
		}
		return
	}
	if tenth := len(p.state) * 10 / max(p.total, 1); tenth > p.logged {
		p.logged = tenth
		p.log.Info("generate progress", "chunks_done", len(p.state), "chunks", p.total, "failed", p.failed)
	}
}

// finish removes the bar.
func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
