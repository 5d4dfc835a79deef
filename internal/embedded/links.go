package embedded

import (
	"net/http"
	"strings"
	"time"
)

// LinksPath is where the API listener serves the embedded store's
// presigned links: PUBLIC_URL + LinksPath + "/<bucket>/<key>?X-Amz-…". The
// store's own listener is on a loopback port that changes at every start,
// which no browser on another machine or outside a container can reach.
const LinksPath = "/objects"

// Links serves presigned links reached through the API listener under
// LinksPath: GET and HEAD only, each checked exactly as the store's own
// listener checks it (signature, access key, expiry), for the request as it
// was signed, on the store's endpoint. The process's own token is never
// honoured here, so the route reads only what a valid link names.
func (s *S3) Links() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			denied(w, "Only presigned reads are served here.")
			return
		}
		path, ok := strings.CutPrefix(r.URL.Path, LinksPath+"/")
		if !ok {
			denied(w, "Request is not presigned.")
			return
		}
		in := r.Clone(r.Context())
		in.Header.Del(tokenHeader)
		in.URL.Path = "/" + path
		in.URL.RawPath = ""
		if raw, ok := strings.CutPrefix(r.URL.RawPath, LinksPath); ok {
			in.URL.RawPath = raw
		}
		in.Host = s.Endpoint()
		in.RequestURI = in.URL.RequestURI()
		if reason := s.checkPresigned(in, time.Now()); reason != "" {
			denied(w, reason)
			return
		}
		s.files.ServeHTTP(w, in)
	})
}
