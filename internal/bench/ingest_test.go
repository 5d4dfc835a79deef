//go:build bench

package bench_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/seed"
	"github.com/dailyreports/dailyreports/internal/viewer"
)

// Ingestion's dataset: a day of 100 conversations an hour × 12 messages,
// posted as NDJSON batches of ingestBatch conversations.
const (
	ingestPerHour = 100
	ingestBatch   = 1000
)

// wireConv and wireMsg are the ingestion route's shape of a conversation.
type wireConv struct {
	Id, SessionId, Channel, Language, ProjectName string
	StartedAt                                     time.Time
	EndedAt                                       *time.Time
	Status                                        string
	Messages                                      []wireMsg
}

type wireMsg struct {
	Id         string
	SentAt     time.Time
	Sender     string
	Text       string
	Intent     *string
	Confidence *float64
}

// ingestion: conversations per second through the route (NDJSON batches)
// vs PostgreSQL COPY of the same documents into a table like the service's
// (its indexes included), over one psql session.
func (b *bench) ingestion() {
	srv, _ := b.api()
	batches, convs := b.ingestData()
	b.psql(`CREATE TABLE bench_copy_conversations (LIKE conversations INCLUDING ALL);`)
	var rest, copyIn []time.Duration
	for i := range b.reps {
		tenant := uuid.MustParse(b.run("tenant", "create", "--name", fmt.Sprintf("bench-ingest-%d", i), "--enable").out)
		b.psql("TRUNCATE bench_copy_conversations")
		script := copyScript(tenant, convs)
		start := time.Now()
		cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", b.dbURL)
		cmd.Stdin = bytes.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.t.Fatalf("copy: %v\n%s", err, out)
		}
		copyIn = append(copyIn, time.Since(start))
		token := b.run("token", "--scope", viewer.ScopeConversationsWrite, "--tenant", tenant.String()).out
		start = time.Now()
		for _, body := range batches {
			b.post("http://"+srv.addr+"/api/external/conversations", token, body)
		}
		rest = append(rest, time.Since(start))
	}
	n := float64(len(convs))
	r, c := medianDur(rest), medianDur(copyIn)
	b.tab.add(row{name: fmt.Sprintf("ingestion, NDJSON batches of %d via the route vs COPY, conv/s", ingestBatch),
		ratio: median(ratios(copyIn, rest)), target: "≥ 0.5",
		measured: fmt.Sprintf("%.0f conv/s (%s)", n/r.Seconds(), ms(r)), baseline: fmt.Sprintf("%.0f conv/s (%s)", n/c.Seconds(), ms(c))})
}

// ingestData is ingestion's dataset, as NDJSON batches and as rows.
func (b *bench) ingestData() (batches [][]byte, convs []document.Conversation) {
	day := b.day.AddDate(0, 0, -2)
	err := seed.Generate(0, seed.Options{Day: day, ConversationsPerHour: ingestPerHour, MessagesPerConversation: dayMessages, Seed: 3},
		ingestBatch, func(batch []document.Conversation) error {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			for _, c := range batch {
				if err := enc.Encode(toWire(c)); err != nil {
					return err
				}
			}
			batches = append(batches, buf.Bytes())
			convs = append(convs, batch...)
			return nil
		})
	if err != nil {
		b.t.Fatal(err)
	}
	return batches, convs
}

// post sends one NDJSON batch and fails unless it is accepted.
func (b *bench) post(url, token string, body []byte) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("ingest: %d %s", resp.StatusCode, msg)
	}
}

func toWire(c document.Conversation) wireConv {
	w := wireConv{Id: c.ID, SessionId: c.SessionID, Channel: c.Channel, Language: c.Language, ProjectName: c.ProjectName,
		StartedAt: c.StartedAt, EndedAt: c.EndedAt, Status: c.Status}
	for _, m := range c.Messages {
		w.Messages = append(w.Messages, wireMsg{Id: m.ID, SentAt: m.SentAt, Sender: m.Sender, Text: m.Text, Intent: m.Intent, Confidence: m.Confidence})
	}
	return w
}

// copyScript is a psql script that COPYs convs of tenant, as the documents
// the service stores, into the scratch table, in CSV.
func copyScript(tenant uuid.UUID, convs []document.Conversation) []byte {
	var buf bytes.Buffer
	now := time.Now().UTC().Format(time.RFC3339Nano)
	buf.WriteString("COPY bench_copy_conversations (id, tenant_id, external_id, started_at, message_count, document, updated_at) FROM STDIN WITH (FORMAT csv);\n")
	w := csv.NewWriter(&buf)
	for i, e := range document.Batch(convs) {
		_ = w.Write([]string{strconv.Itoa(i + 1), tenant.String(), e.ID, e.StartedAt.Format(time.RFC3339Nano),
			strconv.Itoa(e.Messages), string(e.JSON), now})
	}
	w.Flush()
	buf.WriteString("\\.\n")
	return buf.Bytes()
}
