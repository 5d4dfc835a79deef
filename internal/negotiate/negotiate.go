// Package negotiate reads the request headers of HTTP content negotiation
// (RFC 9110 §12) that more than one handler needs.
package negotiate

import (
	"net/http"
	"strconv"
	"strings"
)

// AcceptsEncoding reports whether r's Accept-Encoding takes coding (such as
// "gzip") with a quality above zero, named or through "*".
func AcceptsEncoding(r *http.Request, coding string) bool {
	star := false
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			name = strings.TrimSpace(name)
			switch {
			case strings.EqualFold(name, coding):
				return quality(params) > 0
			case name == "*":
				star = quality(params) > 0
			}
		}
	}
	return star
}

// quality is the q parameter among a header element's parameters: 1 when
// absent, 0 when malformed.
func quality(params string) float64 {
	for p := range strings.SplitSeq(params, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q < 0 || q > 1 {
				return 0
			}
			return q
		}
	}
	return 1
}
