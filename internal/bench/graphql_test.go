//go:build bench

package bench_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// graphqlTarget is the latency an adversarial document must stay under.
const graphqlTarget = 50 * time.Millisecond

// graphqlLimits: the latency of a 100 KB document built to make validation
// quadratic ({ __typename × 9,000 }, no token, a fresh comment each time so
// no cache helps), against 50 ms, with the latency of { __typename } beside
// it.
func (b *bench) graphqlLimits() {
	srv, _ := b.api()
	url := "http://" + srv.addr + "/graphql"
	adversarial := "{ " + strings.Repeat("__typename ", 9000) + "}"
	var small, big []time.Duration
	for i := range 10 * b.reps {
		small = append(small, b.graphql(url, fmt.Sprintf("# %d\n{ __typename }", i), `"data"`))
		big = append(big, b.graphql(url, fmt.Sprintf("# %d\n%s", i, adversarial), "FIELD_LIMIT_EXCEEDED"))
	}
	mb := medianDur(big)
	b.tab.add(row{name: "GraphQL 100 KB adversarial document (9,000 fields, no token) vs 50 ms", ratio: float64(mb) / float64(graphqlTarget),
		target: "< 1", measured: fmt.Sprintf("%.1f ms", float64(mb)/1e6),
		baseline: fmt.Sprintf("50 ms; { __typename } %.1f ms", float64(medianDur(small))/1e6)})
}

// graphql posts one document and returns its latency, failing unless the
// answer contains want.
func (b *bench) graphql(url, doc, want string) time.Duration {
	b.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": doc})
	start := time.Now()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err != nil || !bytes.Contains(out, []byte(want)) {
		b.t.Fatalf("graphql %.40q: %v %.300s", doc, err, out)
	}
	return d
}
