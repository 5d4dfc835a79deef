package soak

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dailyreports/dailyreports/internal/apptest"
)

// maxAttempts is how many times a request throttled by the live-build cap
// is sent, Retry-After honoured between attempts, before it is an error.
const maxAttempts = 5

// loader is the load generator: bounded rates, a bounded number of requests
// of each kind and a bounded number of workers, on loopback.
type loader struct {
	d      *deployment
	s      settings
	dayS   string
	client *http.Client
	ledger *ledger
	tally  *tally
	ctx    context.Context // the load's; requests in flight outlive it
	jobs   chan func()
}

func newLoader(d *deployment, s settings) *loader {
	return &loader{
		d: d, s: s, dayS: d.day.Format(time.DateOnly), ledger: newLedger(), tally: newTally(),
		client: &http.Client{Timeout: time.Minute, Transport: &http.Transport{
			MaxIdleConns: 4 * s.Workers, MaxIdleConnsPerHost: 2 * s.Workers, IdleConnTimeout: time.Minute,
			DisableCompression: true,
		}},
		jobs: make(chan func(), s.Workers),
	}
}

// run sends the load until ctx ends, then waits for the requests in flight.
func (l *loader) run(ctx context.Context) {
	l.ctx = ctx
	var wg sync.WaitGroup
	for range l.s.Workers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case job := <-l.jobs:
					job()
				}
			}
		})
	}
	wg.Go(func() { l.ingest(ctx) })
	l.dispatch(ctx)
	wg.Wait()
	l.client.CloseIdleConnections()
}

// stream is one kind of request sent at a rate.
type stream struct {
	kind    string
	rate    float64
	send    func()
	max     int
	tokens  float64
	emitted int
}

// dispatch hands requests to the workers at each stream's rate (a token
// bucket refilled every 5 ms, holding at most 100 ms of requests) until ctx
// ends or every stream has sent its maximum. A request no worker is free
// for, or that a stalled generator could not send in time, is shed.
func (l *loader) dispatch(ctx context.Context) {
	streams := []*stream{
		{kind: kindZip, rate: l.s.ZipRate, send: func() { l.zip(l.pick()) }},
		{kind: kindJSON, rate: l.s.JSONRate, send: func() { l.json(l.pick()) }},
		{kind: kindInline, rate: l.s.InlineRate, send: func() { l.inline(l.pick()) }},
		{kind: kindDaily, rate: l.s.DailyRate, send: func() { l.daily(l.pick()) }},
	}
	for _, s := range streams {
		s.max = l.s.requestCap(s.rate)
	}
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			dt := now.Sub(last).Seconds()
			last = now
			for _, s := range streams {
				s.tokens += s.rate * dt
				if burst := s.rate/10 + 1; s.tokens > burst {
					for ; s.tokens > burst; s.tokens-- {
						l.tally.shedOne(s.kind)
					}
				}
				for ; s.tokens >= 1 && s.emitted < s.max; s.tokens-- {
					s.emitted++
					l.submit(s.kind, s.send)
				}
			}
		}
	}
}

// submit gives a request to a free worker, or sheds it.
func (l *loader) submit(kind string, job func()) {
	if l.ctx.Err() != nil {
		return
	}
	select {
	case l.jobs <- job:
	default:
		l.tally.shedOne(kind)
	}
}

// target is one request's hour, tenant and process.
type target struct {
	k   hourKey
	t   tenant
	srv *server
}

// pick chooses an hour of a tenant and a process at random.
func (l *loader) pick() target {
	k := hourKey{tenant: rand.IntN(len(l.d.tenants)), hour: rand.IntN(24)}
	return target{k: k, t: l.d.tenants[k.tenant], srv: l.d.servers[rand.IntN(len(l.d.servers))]}
}

// again picks another process for the next attempt of a request.
func (l *loader) again(tg target) target {
	tg.srv = l.d.servers[rand.IntN(len(l.d.servers))]
	return tg
}

// answer is one HTTP answer, its body read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends one request and reads its answer.
func (l *loader) do(method, url, token string, body []byte, contentType string) (answer, error) {
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("read the body: %w", err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// outcome sorts an HTTP answer: true for a 200 to check further. A 429 of
// the live-build cap with Retry-After is sent again after that wait, at
// most maxAttempts times in all; anything else is an error.
func (l *loader) outcome(kind string, a answer, err error, attempt int, retry func()) bool {
	l.tally.sent(kind)
	switch {
	case err != nil:
		l.tally.fail(kind, "%v", err)
	case a.status == http.StatusOK:
		return true
	case a.status == http.StatusTooManyRequests && bytes.Contains(a.body, []byte("live report builds")):
		l.throttled(kind, a.header.Get("Retry-After"), attempt, retry, string(a.body))
	default:
		l.tally.fail(kind, "%d %s", a.status, trim(a.body))
	}
	return false
}

// throttled honours a Retry-After of retryAfter seconds, or counts an
// error when the request may not be sent again.
func (l *loader) throttled(kind, retryAfter string, attempt int, retry func(), what string) {
	secs, err := strconv.Atoi(retryAfter)
	if err != nil || secs < 1 || attempt >= maxAttempts || retry == nil {
		l.tally.fail(kind, "throttled (attempt %d, Retry-After %q): %s", attempt, retryAfter, trim([]byte(what)))
		return
	}
	l.tally.throttle(kind)
	time.AfterFunc(time.Duration(secs)*time.Second, func() { l.submit(kind, retry) })
}

// reportURL is the REST route of one hour.
func (l *loader) reportURL(tg target, compressed bool) string {
	return tg.srv.url + apptest.ReportPath(l.dayS, tg.k.hour, compressed)
}

// zip fetches an hour's zip and checks that it is whole and counts at
// least the conversations acknowledged before it was asked for.
func (l *loader) zip(tg target) { l.zipAttempt(tg, 1) }

func (l *loader) zipAttempt(tg target, attempt int) {
	least := l.s.SeededPerHour + l.ledger.count(tg.k)
	start := time.Now()
	a, err := l.do(http.MethodGet, l.reportURL(tg, true), tg.t.token, nil, "")
	took := time.Since(start)
	if !l.outcome(kindZip, a, err, attempt, func() { l.zipAttempt(l.again(tg), attempt+1) }) {
		return
	}
	l.tally.zip(took, a.header.Get("X-Report-Source") == "live")
	sum := sha256.Sum256(a.body)
	if got := hex.EncodeToString(sum[:]); got != a.header.Get("X-Report-Sha256") {
		l.tally.fail(kindZip, "zip of %d bytes hashes to %s, X-Report-Sha256 says %s", len(a.body), got, a.header.Get("X-Report-Sha256"))
		return
	}
	if n, _ := strconv.Atoi(a.header.Get("X-Report-Conversation-Count")); n < least {
		l.tally.staleAnswer(kindZip, []string{fmt.Sprintf("%s hour %d: %d conversations, %d acknowledged before the request", tg.t.id, tg.k.hour, n, least)})
	}
}

// json fetches an hour as JSON and checks every acknowledged conversation.
func (l *loader) json(tg target) { l.jsonAttempt(tg, 1) }

func (l *loader) jsonAttempt(tg target, attempt int) {
	want := l.ledger.snapshot(tg.k)
	a, err := l.do(http.MethodGet, l.reportURL(tg, false), tg.t.token, nil, "")
	if !l.outcome(kindJSON, a, err, attempt, func() { l.jsonAttempt(l.again(tg), attempt+1) }) {
		return
	}
	l.checkDoc(kindJSON, tg, a.body, want)
}

// checkDoc decodes a report document and checks it against want.
func (l *loader) checkDoc(kind string, tg target, body []byte, want map[string]int) {
	var doc apptest.Doc
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		l.tally.fail(kind, "decode the document: %v", err)
		return
	}
	l.tally.checkedConvs(len(want))
	if bad := check(doc, tg.t.id.String(), l.dayS, tg.k, want); len(bad) > 0 {
		l.tally.staleAnswer(kind, append([]string{fmt.Sprintf("%s hour %d", tg.t.id, tg.k.hour)}, bad...))
	}
}

// gqlAnswer is a GraphQL answer.
type gqlAnswer struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions struct {
			Code       string
			RetryAfter int
		}
	}
}

// graphql runs one query; true with its data when it answered without
// errors (a TOO_MANY_REQUESTS error of the live-build cap is throttled as
// a 429 is).
func (l *loader) graphql(kind string, tg target, query string, vars map[string]any, attempt int, retry func()) (json.RawMessage, bool) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	a, err := l.do(http.MethodPost, tg.srv.url+"/graphql", tg.t.token, body, "application/json")
	if !l.outcome(kind, a, err, attempt, retry) {
		return nil, false
	}
	var g gqlAnswer
	if err := json.Unmarshal(a.body, &g); err != nil {
		l.tally.fail(kind, "decode the answer: %v: %s", err, trim(a.body))
		return nil, false
	}
	if len(g.Errors) == 0 {
		return g.Data, true
	}
	if e := g.Errors[0].Extensions; len(g.Errors) == 1 && e.Code == "TOO_MANY_REQUESTS" && strings.Contains(g.Errors[0].Message, "live report builds") {
		l.throttled(kind, strconv.Itoa(e.RetryAfter), attempt, retry, g.Errors[0].Message)
		return nil, false
	}
	l.tally.fail(kind, "graphql errors: %s", trim(a.body))
	return nil, false
}

const hourlyQuery = `query($d: Date!, $h: Int!) { hourlyReport(utcDay: $d, utcHour: $h) { status data } }`

// inline asks GraphQL for an hour's document inline and checks every
// acknowledged conversation.
func (l *loader) inline(tg target) { l.inlineAttempt(tg, 1) }

func (l *loader) inlineAttempt(tg target, attempt int) {
	want := l.ledger.snapshot(tg.k)
	data, ok := l.graphql(kindInline, tg, hourlyQuery, map[string]any{"d": l.dayS, "h": tg.k.hour}, attempt,
		func() { l.inlineAttempt(l.again(tg), attempt+1) })
	if !ok {
		return
	}
	var out struct {
		HourlyReport struct {
			Status string
			Data   json.RawMessage
		}
	}
	if err := json.Unmarshal(data, &out); err != nil || len(out.HourlyReport.Data) == 0 || string(out.HourlyReport.Data) == "null" {
		l.tally.fail(kindInline, "no document (%v): %s", err, trim(data))
		return
	}
	l.checkDoc(kindInline, tg, out.HourlyReport.Data, want)
}

const dailyQuery = `query($d: Date!) { dailyReport(utcDay: $d) { utcDay hours { utcHour status conversationCount } } }`

// daily asks GraphQL for the day of a tenant: 24 hours, none FAILED.
func (l *loader) daily(tg target) {
	data, ok := l.graphql(kindDaily, tg, dailyQuery, map[string]any{"d": l.dayS}, 1, nil)
	if !ok {
		return
	}
	var out struct {
		DailyReport struct {
			UtcDay string
			Hours  []struct {
				UtcHour int
				Status  string
			}
		}
	}
	if err := json.Unmarshal(data, &out); err != nil || out.DailyReport.UtcDay != l.dayS || len(out.DailyReport.Hours) != 24 {
		l.tally.fail(kindDaily, "not the 24 hours of %s (%v): %s", l.dayS, err, trim(data))
		return
	}
	for i, h := range out.DailyReport.Hours {
		if h.UtcHour != i || h.Status == "FAILED" || h.Status == "NOT_READY" || h.Status == "EXPIRED" {
			l.tally.fail(kindDaily, "%s hour %d of %s: %s", tg.t.id, h.UtcHour, l.dayS, h.Status)
			return
		}
	}
}

// ingest sends the batches, one at a time at BatchRate, and records what
// each acknowledged.
func (l *loader) ingest(ctx context.Context) {
	b := newBatches(l.s, l.d.day)
	tick := time.NewTicker(time.Duration(float64(time.Second) / l.s.BatchRate))
	defer tick.Stop()
	for range l.s.requestCap(l.s.BatchRate) {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		tenant, convs, acks := b.nextBatch()
		body, err := json.Marshal(convs)
		if err != nil {
			l.tally.fail(kindIngest, "encode: %v", err)
			return
		}
		srv := l.d.servers[rand.IntN(len(l.d.servers))]
		a, err := l.do(http.MethodPost, srv.url+"/api/external/conversations", l.d.tenants[tenant].token, body, "application/json")
		if !l.outcome(kindIngest, a, err, maxAttempts, nil) {
			continue
		}
		if want := fmt.Sprintf(`{"accepted":%d}`, len(convs)); strings.TrimSpace(string(a.body)) != want {
			l.tally.fail(kindIngest, "answered %s, want %s", trim(a.body), want)
			continue
		}
		for k, revs := range acks {
			l.ledger.ack(k, revs)
		}
	}
}

// trim shortens a body for messages.
func trim(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
