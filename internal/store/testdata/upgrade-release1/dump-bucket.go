//go:build ignore

// Command dump-bucket writes every object of make-fixture.sh's bucket into
// the directory it is given, and their user metadata into metadata.json.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func main() {
	c, err := minio.New("127.0.0.1:9500", &minio.Options{Creds: credentials.NewStaticV4("fixtureadmin", "fixtureadmin-secret", "")})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	out := os.Args[1]
	meta := map[string]map[string]string{}
	for o := range c.ListObjects(ctx, "fixture", minio.ListObjectsOptions{Recursive: true, WithMetadata: true}) {
		if o.Err != nil {
			panic(o.Err)
		}
		obj, err := c.GetObject(ctx, "fixture", o.Key, minio.GetObjectOptions{})
		if err != nil {
			panic(err)
		}
		st, _ := obj.Stat()
		b, _ := io.ReadAll(obj)
		p := filepath.Join(out, o.Key)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, b, 0o644)
		meta[o.Key] = st.UserMetadata
	}
	j, _ := json.MarshalIndent(meta, "", " ")
	os.WriteFile(filepath.Join(out, "metadata.json"), j, 0o644)
	fmt.Println(len(meta))
}
