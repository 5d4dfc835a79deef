package embedded

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// amzDate is the layout of X-Amz-Date.
const amzDate = "20060102T150405Z"

// guard admits the process's own requests (which carry its token) and
// presigned GET or HEAD links whose SigV4 signature matches this server's
// credentials and that have not expired; it refuses the rest with 403, as
// S3 would. gofakes3 verifies neither signatures nor expiry.
func (s *S3) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get(tokenHeader)
		if token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) == 1 {
			r.Header.Del(tokenHeader)
			next.ServeHTTP(w, r)
			return
		}
		if reason := s.checkPresigned(r, time.Now()); reason != "" {
			denied(w, reason)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkPresigned returns why r is not a valid presigned read, or "".
func (s *S3) checkPresigned(r *http.Request, now time.Time) string {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return "Request is not signed by this process."
	}
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || q.Get("X-Amz-SignedHeaders") != "host" {
		return "Request is not presigned."
	}
	scope := strings.SplitN(q.Get("X-Amz-Credential"), "/", 2)
	if len(scope) != 2 || scope[0] != s.AccessKey {
		return "The access key does not exist."
	}
	at, err := time.Parse(amzDate, q.Get("X-Amz-Date"))
	expires, err2 := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || err2 != nil || expires < 1 || expires > 7*24*3600 {
		return "Malformed presigned link."
	}
	if now.After(at.Add(time.Duration(expires) * time.Second)) {
		return "Request has expired."
	}
	parts := strings.Split(scope[1], "/") // date/region/service/aws4_request
	if len(parts) != 4 || parts[0] != at.Format("20060102") {
		return "Malformed credential scope."
	}
	want := presignSignature(r, s.SecretKey, at, scope[1], parts[1], parts[2])
	if !hmac.Equal([]byte(want), []byte(q.Get("X-Amz-Signature"))) {
		return "The request signature we calculated does not match the signature you provided."
	}
	return ""
}

// presignSignature computes the SigV4 query signature of r the way S3
// clients compute it: only the host header signed, payload unsigned.
func presignSignature(r *http.Request, secret string, at time.Time, scope, region, service string) string {
	q := r.URL.Query()
	q.Del("X-Amz-Signature")
	canonical := strings.Join([]string{
		r.Method,
		r.URL.EscapedPath(),
		strings.ReplaceAll(q.Encode(), "+", "%20"),
		"host:" + r.Host + "\n",
		"host",
		"UNSIGNED-PAYLOAD",
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	toSign := "AWS4-HMAC-SHA256\n" + at.Format(amzDate) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	key := hmacSHA256([]byte("AWS4"+secret), at.Format("20060102"))
	for _, part := range []string{region, service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// denied answers 403 with an S3 error document.
func denied(w http.ResponseWriter, reason string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<Error><Code>AccessDenied</Code><Message>` + reason + `</Message></Error>`))
}
