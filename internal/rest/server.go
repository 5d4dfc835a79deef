package rest

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

// ServerOptions bound how long a client may take to send a request.
type ServerOptions struct {
	// ReadHeaderTimeout bounds the reading of a request's headers;
	// IdleTimeout a keep-alive connection waiting for the next request.
	ReadHeaderTimeout, IdleTimeout time.Duration
	// BodyGrace and BodyMinRate bound the reading of every request body:
	// past the grace, the body must have arrived at BodyMinRate bytes a
	// second on average since the request began, else reading it fails
	// and the connection is closed. A body of n bytes thus has at most
	// BodyGrace + n/BodyMinRate, whatever its route.
	BodyGrace   time.Duration
	BodyMinRate int64
}

// DefaultServerOptions are the options of the service's listeners: headers
// within 10 s, bodies at 256 KiB/s after a 10 s grace (a 32 MiB batch within
// about 2 min 20 s, a token request within 10 s), idle connections kept 2 min.
func DefaultServerOptions() ServerOptions {
	return ServerOptions{ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BodyGrace: 10 * time.Second, BodyMinRate: 256 << 10}
}

// NewServer returns the HTTP server of a listener serving h: every answer
// carries X-Content-Type-Options: nosniff, and every request body is read
// under o's minimum data rate, so a client trickling a body cannot hold a
// connection (or the ingestion budget) for long.
func NewServer(h http.Handler, o ServerOptions) *http.Server {
	return &http.Server{
		Handler:           everyAnswer(h, o),
		ReadHeaderTimeout: o.ReadHeaderTimeout,
		IdleTimeout:       o.IdleTimeout,
	}
}

// everyAnswer sets the headers every answer carries and puts the body of
// the request under the minimum data rate.
func everyAnswer(h http.Handler, o ServerOptions) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Body != nil && r.Body != http.NoBody && o.BodyMinRate > 0 {
			// A shallow copy: net/http keeps its own request and must still
			// see its own body there, or before answering it would try to
			// read an unread body (one refused at once, as too large) itself.
			rr := *r
			rr.Body = &rateBody{ReadCloser: r.Body, rc: http.NewResponseController(w), start: time.Now(), o: o}
			r = &rr
		}
		h.ServeHTTP(w, r)
	})
}

// errSlowBody is the cause of a body read that failed because the body
// arrived too slowly; handlers that read bodies answer it with 408.
var errSlowBody = errors.New("the request body arrived too slowly")

// rateBody is a request body read under a deadline that moves with what
// has arrived: start + grace + read/rate.
type rateBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	o     ServerOptions
	read  int64
	ended bool
}

func (b *rateBody) Read(p []byte) (int, error) {
	if !b.ended {
		allowed := b.o.BodyGrace + time.Duration(float64(b.read)/float64(b.o.BodyMinRate)*float64(time.Second))
		_ = b.rc.SetReadDeadline(b.start.Add(allowed))
	}
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	switch {
	case err == nil || b.ended:
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The deadline stays in the past: the connection is done for.
		b.ended = true
		err = errors.Join(errSlowBody, err)
	default:
		// The body is over: the server's own watch of the connection (for
		// the client going away) must not inherit the deadline.
		b.ended = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// isSlowBody reports whether err comes from a body cut for arriving too
// slowly.
func isSlowBody(err error) bool { return errors.Is(err, errSlowBody) }
