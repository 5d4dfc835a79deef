package faults

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/dailyreports/dailyreports/internal/apptest"
	"github.com/dailyreports/dailyreports/internal/document"
	"github.com/dailyreports/dailyreports/internal/store"
)

// versions returns every object version in the bucket (delete markers
// aside), by key, newest first.
func (c *cluster) versions() map[string][]minio.ObjectInfo {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := make(map[string][]minio.ObjectInfo)
	for oi := range c.minioClient().ListObjects(ctx, c.App.Config.S3Bucket, minio.ListObjectsOptions{Recursive: true, WithVersions: true}) {
		if oi.Err != nil {
			c.t.Fatalf("list object versions: %v", oi.Err)
		}
		if !oi.IsDeleteMarker {
			out[oi.Key] = append(out[oi.Key], oi)
		}
	}
	return out
}

// uploadedOnce fails the test unless every row's object has exactly one
// version: it was uploaded once.
func (c *cluster) uploadedOnce(rows []*store.ChunkState) {
	c.t.Helper()
	vs := c.versions()
	for _, r := range rows {
		if n := len(vs[key(r)]); n != 1 {
			c.t.Errorf("%s: uploaded %d times, want exactly once", key(r), n)
		}
	}
}

// checkObjects fails the test unless every version of every stored row's
// object is whole (its bytes hash to the sha256 in its metadata and its zip
// opens on a document of its hour) and the latest is the one the database
// records. It returns the latest documents by key.
func (c *cluster) checkObjects(rows []*store.ChunkState) map[string]apptest.Doc {
	c.t.Helper()
	vs := c.versions()
	docs := make(map[string]apptest.Doc)
	for _, r := range rows {
		if !stored(r) {
			continue
		}
		if len(vs[key(r)]) == 0 {
			c.t.Errorf("%s: stored in the database, but no object", key(r))
			continue
		}
		for i, v := range vs[key(r)] {
			sum, doc, err := c.readVersion(r, v.VersionID)
			if err != nil {
				c.t.Errorf("%s version %s: %v", key(r), v.VersionID, err)
				continue
			}
			if i == 0 {
				docs[key(r)] = doc
				if sum != r.ReportSHA256() || doc.ConversationCount != r.Report.ConversationCount || doc.MessageCount != r.Report.MessageCount {
					c.t.Errorf("%s: latest object sha256 %s with %d conversations, database says %s with %d",
						key(r), sum, doc.ConversationCount, r.ReportSHA256(), r.Report.ConversationCount)
				}
			}
		}
	}
	return docs
}

// readVersion reads one version of a row's object and checks that it is
// whole; it returns the sha256 of its bytes and its document.
func (c *cluster) readVersion(r *store.ChunkState, versionID string) (string, apptest.Doc, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	obj, err := c.minioClient().GetObject(ctx, c.App.Config.S3Bucket, key(r), minio.GetObjectOptions{VersionID: versionID})
	if err != nil {
		return "", apptest.Doc{}, err
	}
	defer obj.Close()
	info, err := obj.Stat()
	if err != nil {
		return "", apptest.Doc{}, err
	}
	b, err := io.ReadAll(obj)
	if err != nil {
		return "", apptest.Doc{}, err
	}
	h := sha256.Sum256(b)
	sum := hex.EncodeToString(h[:])
	if meta := userMeta(info, "Report-Sha256"); meta != sum || int64(len(b)) != info.Size {
		return "", apptest.Doc{}, fmt.Errorf("half-written: %d bytes hashing to %s, metadata says %s", len(b), sum, meta)
	}
	doc, err := decodeZip(b, hourOf(r))
	return sum, doc, err
}

// userMeta returns one user metadata value of an object.
func userMeta(info minio.ObjectInfo, name string) string {
	for k, v := range info.UserMetadata {
		if http.CanonicalHeaderKey(strings.TrimPrefix(http.CanonicalHeaderKey(k), "X-Amz-Meta-")) == name {
			return v
		}
	}
	return ""
}

// decodeZip opens a report zip, which must hold the hour's document as its
// one deflated entry, and decodes the document strictly.
func decodeZip(b []byte, h document.Hour) (apptest.Doc, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return apptest.Doc{}, fmt.Errorf("open zip: %w", err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != h.EntryName() || zr.File[0].Method != zip.Deflate {
		return apptest.Doc{}, fmt.Errorf("zip holds %d entries, want only %s deflated", len(zr.File), h.EntryName())
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return apptest.Doc{}, err
	}
	defer rc.Close()
	var d apptest.Doc
	dec := json.NewDecoder(rc)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return apptest.Doc{}, fmt.Errorf("decode document: %w", err)
	}
	// Reading to the end makes the zip check the entry's CRC-32.
	if _, err := io.Copy(io.Discard, rc); err != nil {
		return apptest.Doc{}, fmt.Errorf("read entry: %w", err)
	}
	return d, nil
}

// sameDoc fails the test unless two documents are equal but for GeneratedAt,
// showing where they differ.
func sameDoc(t testing.TB, what string, got, want apptest.Doc) {
	t.Helper()
	got.GeneratedAt, want.GeneratedAt = "", ""
	if reflect.DeepEqual(got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := 0; i < min(len(gl), len(wl)); i++ {
		if gl[i] != wl[i] {
			t.Errorf("%s differs from a clean build at line %d: got %s, want %s", what, i+1, gl[i], wl[i])
			return
		}
	}
	t.Errorf("%s differs from a clean build: %d lines, want %d", what, len(gl), len(wl))
}

// cleanDoc builds a row's report in this process, without storing it, and
// returns its document.
func (c *cluster) cleanDoc(r *store.ChunkState) apptest.Doc {
	c.t.Helper()
	built, err := c.App.Builder().Build(apptest.System(), store.ChunkRef{TenantID: r.Ref.TenantID, Hour: hourOf(r)})
	if err != nil {
		c.t.Fatalf("clean build: %v", err)
	}
	defer built.Remove()
	b, err := io.ReadAll(built.Spool.Open())
	if err != nil {
		c.t.Fatal(err)
	}
	doc, err := decodeZip(b, hourOf(r))
	if err != nil {
		c.t.Fatalf("clean build: %v", err)
	}
	return doc
}
