//go:build bench

package bench_test

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one line of the table: a figure as a ratio to its baseline.
type row struct {
	name     string
	ratio    float64
	target   string // "≤ 1.5", "≥ 0.8", "" for none
	measured string // absolute figures, secondary
	baseline string
}

// ok tells whether the ratio meets the target ("" when there is none).
func (r row) ok() string {
	if r.target == "" {
		return ""
	}
	f := strings.Fields(r.target)
	limit, _ := strconv.ParseFloat(f[1], 64)
	if (f[0] == "≤" && r.ratio <= limit) || (f[0] == "≥" && r.ratio >= limit) || (f[0] == "<" && r.ratio < limit) {
		return "yes"
	}
	return "NO"
}

// table collects the rows of the run.
type table struct{ rows []row }

func (t *table) add(r row) {
	t.rows = append(t.rows, r)
	fmt.Fprintf(os.Stderr, "bench: %-48s %7.2f×  (%s vs %s)\n", r.name, r.ratio, r.measured, r.baseline)
}

// print writes the table as Markdown.
func (t *table) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintln(tw, "| figure\t ratio\t target\t met\t measured\t baseline\t")
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t")
	for _, r := range t.rows {
		fmt.Fprintf(tw, "| %s\t %.2f×\t %s\t %s\t %s\t %s\t\n", r.name, r.ratio, r.target, r.ok(), r.measured, r.baseline)
	}
	tw.Flush()
}

// median of a non-empty slice.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// medianDur is the median of durations.
func medianDur(ds []time.Duration) time.Duration {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d)
	}
	return time.Duration(median(xs))
}

// ratios returns a[i]/b[i].
func ratios(a, b []time.Duration) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = float64(a[i]) / float64(b[i])
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/1e6) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
