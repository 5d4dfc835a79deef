// Package blob is the object store: the one package that speaks S3, through
// minio-go. It stores whole objects of known size, so an object is visible
// only once complete, and presigns downloads.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/dailyreports/dailyreports/internal/apperr"
)

// partSize bounds minio-go's upload buffers; without it an upload of unknown
// size allocates about 512 MiB.
const partSize = 16 << 20

// MaxPresignTTL is the longest lifetime of a presigned link (SigV4's limit).
const MaxPresignTTL = 7 * 24 * time.Hour

// UnavailableMessage is the client message of errors raised when the object
// store cannot be reached.
const UnavailableMessage = "object storage unavailable"

// Config locates the bucket.
type Config struct {
	Endpoint  string // host:port
	AccessKey string
	SecretKey string
	Bucket    string
	Region    string
	Secure    bool
	// UnsignedPayload sends bodies unsigned instead of with streaming
	// signatures; needed by S3 emulations that store aws-chunked framing.
	UnsignedPayload bool
	// Transport overrides the HTTP transport (tests, embedded TLS).
	Transport http.RoundTripper
	// WrapTransport, when set, wraps the transport in effect (Transport or
	// minio-go's default): tracing each call.
	WrapTransport func(http.RoundTripper) http.RoundTripper
	// NoLifecycle marks a store without the bucket-lifecycle API (S3
	// emulations): the lifecycle methods then return ErrNoLifecycle without
	// a request, since such stores may route the lifecycle subresource to
	// another bucket operation (DELETE ?lifecycle to DeleteBucket).
	NoLifecycle bool
	// LinkBase, when set, is the URL presigned links are rewritten onto
	// (scheme, host and a path prefix), for a store that clients reach
	// through another server than the endpoint: the embedded store, served
	// under PUBLIC_URL by the API listener. The signature still covers the
	// request as the store sees it.
	LinkBase string
}

// Store is one bucket.
type Store struct {
	c           *minio.Client
	bucket      string
	region      string
	unsigned    bool
	noLifecycle bool
	linkBase    *url.URL
}

// Info describes a stored object.
type Info struct {
	Key          string
	Size         int64
	ETag         string
	LastModified time.Time
	// Metadata holds the user metadata, keys in canonical header form
	// without the X-Amz-Meta- prefix.
	Metadata map[string]string
}

// New returns a client of the bucket; it does not contact the server.
func New(cfg Config) (*Store, error) {
	opts := &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       cfg.Secure,
		Region:       cfg.Region,
		BucketLookup: minio.BucketLookupPath,
		// A few quick retries for a blip; the generation's retry passes and
		// the callers handle longer outages.
		MaxRetries: 2,
	}
	if cfg.Transport != nil {
		opts.Transport = cfg.Transport
	}
	if cfg.WrapTransport != nil {
		if opts.Transport == nil {
			t, err := minio.DefaultTransport(cfg.Secure)
			if err != nil {
				return nil, fmt.Errorf("blob: transport: %w", err)
			}
			opts.Transport = t
		}
		opts.Transport = cfg.WrapTransport(opts.Transport)
	}
	c, err := minio.New(cfg.Endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("blob: client: %w", err)
	}
	s := &Store{c: c, bucket: cfg.Bucket, region: cfg.Region, unsigned: cfg.UnsignedPayload,
		noLifecycle: cfg.NoLifecycle}
	if cfg.LinkBase != "" {
		if s.linkBase, err = url.Parse(strings.TrimRight(cfg.LinkBase, "/")); err != nil || s.linkBase.Host == "" {
			return nil, fmt.Errorf("blob: link base %q is not an absolute URL", cfg.LinkBase)
		}
	}
	return s, nil
}

// Bucket is the bucket's name.
func (s *Store) Bucket() string { return s.bucket }

// EnsureBucket creates the bucket when it does not exist. Credentials that
// may use the bucket but not create buckets are enough once it exists;
// when it does not, or when they may not even use it, the error says so.
func (s *Store) EnsureBucket(ctx context.Context) error {
	ok, err := s.c.BucketExists(ctx, s.bucket)
	if isAccessDenied(err) {
		return fmt.Errorf("blob: bucket %q: access denied: the credentials are wrong or lack the bucket's policy (deploy/minio/policy.json): %w", s.bucket, err)
	}
	if err != nil {
		return classify("bucket exists", err)
	}
	if ok {
		return nil
	}
	err = s.c.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region})
	if err != nil {
		if resp := minio.ToErrorResponse(err); resp.Code == "BucketAlreadyOwnedByYou" || resp.Code == "BucketAlreadyExists" {
			return nil
		}
		if isAccessDenied(err) {
			return fmt.Errorf("blob: bucket %q does not exist and the credentials may not create it: create it first (as docker-compose.yml's minio-setup does): %w", s.bucket, err)
		}
		return classify("make bucket", err)
	}
	return nil
}

// isAccessDenied reports whether the store refused err's request for want
// of permission.
func isAccessDenied(err error) bool {
	if err == nil {
		return false
	}
	resp := minio.ToErrorResponse(err)
	return resp.Code == "AccessDenied" || resp.StatusCode == http.StatusForbidden
}

// Ping checks that the bucket is reachable.
func (s *Store) Ping(ctx context.Context) error {
	_, err := s.c.BucketExists(ctx, s.bucket)
	return classify("ping", err)
}

// Put stores size bytes read from r under key with the given metadata and
// content type. The object becomes visible only when the upload completes.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string, meta map[string]string) error {
	_, err := s.c.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType:          contentType,
		UserMetadata:         meta,
		PartSize:             partSize,
		DisableContentSha256: s.unsigned,
	})
	return classify("put "+key, err)
}

// Stat returns the object's description, or a NotFound error.
func (s *Store) Stat(ctx context.Context, key string) (Info, error) {
	oi, err := s.c.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, classify("stat "+key, err)
	}
	return toInfo(oi), nil
}

// Object is an open stored object: seekable and readable at offsets, so
// http.ServeContent and archive/zip can read it.
type Object struct {
	*minio.Object
	Info Info
}

// Open opens the object for reading, or returns a NotFound error.
func (s *Store) Open(ctx context.Context, key string) (*Object, error) {
	o, err := s.c.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, classify("get "+key, err)
	}
	oi, err := o.Stat()
	if err != nil {
		_ = o.Close()
		return nil, classify("get "+key, err)
	}
	return &Object{Object: o, Info: toInfo(oi)}, nil
}

// Remove deletes the object; a missing object is not an error.
func (s *Store) Remove(ctx context.Context, key string) error {
	return classify("remove "+key, s.c.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}))
}

// Presign returns a GET link to the object valid for ttl (1 s to 7 days)
// that downloads it as filename.
func (s *Store) Presign(ctx context.Context, key string, ttl time.Duration, filename string) (string, time.Time, error) {
	if ttl < time.Second || ttl > MaxPresignTTL {
		return "", time.Time{}, apperr.New(apperr.Invalid, "link lifetime must be between 1 second and 7 days")
	}
	params := url.Values{}
	if filename != "" {
		params.Set("response-content-disposition", fmt.Sprintf("attachment; filename=%q", filename))
	}
	expires := time.Now().Add(ttl)
	u, err := s.c.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return "", time.Time{}, classify("presign "+key, err)
	}
	if b := s.linkBase; b != nil {
		escaped := b.EscapedPath() + u.EscapedPath()
		u.Scheme, u.Host, u.RawPath = b.Scheme, b.Host, escaped
		if u.Path, err = url.PathUnescape(escaped); err != nil {
			return "", time.Time{}, fmt.Errorf("blob: presign %s: %w", key, err)
		}
	}
	return u.String(), expires, nil
}

func toInfo(oi minio.ObjectInfo) Info {
	meta := make(map[string]string, len(oi.UserMetadata))
	for k, v := range oi.UserMetadata {
		meta[http.CanonicalHeaderKey(strings.TrimPrefix(http.CanonicalHeaderKey(k), "X-Amz-Meta-"))] = v
	}
	return Info{Key: oi.Key, Size: oi.Size, ETag: oi.ETag, LastModified: oi.LastModified, Metadata: meta}
}

// classify maps minio-go errors into the error vocabulary: a missing object
// is NotFound, an unreachable server Unavailable, the rest Internal.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey" || resp.Code == "NoSuchBucket" || resp.StatusCode == http.StatusNotFound:
		return apperr.Wrap(fmt.Errorf("blob: %s: %w", op, err), apperr.NotFound, "object not found")
	case isUnreachable(err) || resp.StatusCode == http.StatusServiceUnavailable:
		return apperr.Wrap(fmt.Errorf("blob: %s: %w", op, err), apperr.Unavailable, UnavailableMessage)
	}
	return fmt.Errorf("blob: %s: %w", op, err)
}

func isUnreachable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection refused")
}
