package document

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// gzip framing (RFC 1952): a 10-byte header and an 8-byte trailer around a
// raw deflate stream.
const (
	gzipHeaderLen  = 10
	gzipTrailerLen = 8
)

// gzipHeader is a member header with no name, no time and no extra fields:
// ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=255 (unknown).
var gzipHeader = [gzipHeaderLen]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// GzipEntry returns the one JSON entry of a stored report zip of size bytes
// as a gzip stream, without inflating it: the entry's raw deflate bytes are
// framed by a gzip header and a trailer made from the CRC-32 and size that
// the zip's central directory records. It returns the stream's length, so an
// answer can carry its Content-Length before a byte is read. Decoded, the
// stream is exactly what OpenEntry reads.
func GzipEntry(r io.ReaderAt, size int64) (stream io.Reader, length int64, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, 0, fmt.Errorf("document: open zip: %w", err)
	}
	if len(zr.File) != 1 {
		return nil, 0, fmt.Errorf("document: zip holds %d entries, want 1", len(zr.File))
	}
	f := zr.File[0]
	if f.Method != zip.Deflate {
		return nil, 0, fmt.Errorf("document: zip entry %q is not deflated", f.Name)
	}
	offset, err := f.DataOffset()
	if err != nil {
		return nil, 0, fmt.Errorf("document: locate entry %q: %w", f.Name, err)
	}
	compressed := int64(f.CompressedSize64)
	if compressed < 0 || offset < 0 || offset+compressed > size {
		return nil, 0, fmt.Errorf("document: zip entry %q lies outside the zip", f.Name)
	}
	var trailer [gzipTrailerLen]byte
	binary.LittleEndian.PutUint32(trailer[:4], f.CRC32)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(f.UncompressedSize64)) // ISIZE is the size mod 2^32
	stream = io.MultiReader(
		bytes.NewReader(gzipHeader[:]),
		io.NewSectionReader(r, offset, compressed),
		bytes.NewReader(trailer[:]),
	)
	return stream, gzipHeaderLen + compressed + gzipTrailerLen, nil
}
