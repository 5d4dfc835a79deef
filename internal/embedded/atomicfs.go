package embedded

import (
	"crypto/rand"
	"os"
	"path/filepath"

	"github.com/spf13/afero"
)

// tmpDir is where atomicFs writes files before they appear, on the same
// filesystem as the files so a rename moves them.
const tmpDir = "tmp"

// atomicFs makes every file written from scratch appear whole or not at all:
// Create (and OpenFile with O_CREATE|O_TRUNC) write a temporary file and
// rename it over the target on Close. gofakes3's filesystem backend writes
// objects in place, so without it a reader could see half an object, and a
// rebuild would truncate the object under a download in progress; with it, a
// download keeps reading the object it opened.
type atomicFs struct{ afero.Fs }

// newAtomicFs wraps fs, clearing temporary files a crash left behind.
func newAtomicFs(fs afero.Fs) (atomicFs, error) {
	if err := fs.RemoveAll(tmpDir); err != nil {
		return atomicFs{}, err
	}
	return atomicFs{fs}, fs.MkdirAll(tmpDir, 0o700)
}

// Create returns a file that replaces name when closed.
func (f atomicFs) Create(name string) (afero.File, error) {
	return f.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

// OpenFile writes files opened with O_CREATE|O_TRUNC atomically and opens
// the others as they are.
func (f atomicFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&(os.O_CREATE|os.O_TRUNC) != os.O_CREATE|os.O_TRUNC {
		return f.Fs.OpenFile(name, flag, perm)
	}
	tmp := filepath.Join(tmpDir, rand.Text())
	file, err := f.Fs.OpenFile(tmp, flag|os.O_EXCL, perm)
	if err != nil {
		return nil, err
	}
	return &renameOnClose{File: file, fs: f.Fs, tmp: tmp, name: name}, nil
}

// renameOnClose is a temporary file that becomes name when closed.
type renameOnClose struct {
	afero.File
	fs        afero.Fs
	tmp, name string
	closed    bool
}

// Name is the name the file will have.
func (r *renameOnClose) Name() string { return r.name }

// Close closes the temporary file and renames it over the target.
func (r *renameOnClose) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if err := r.File.Close(); err != nil {
		_ = r.fs.Remove(r.tmp)
		return err
	}
	if err := r.fs.Rename(r.tmp, r.name); err != nil {
		_ = r.fs.Remove(r.tmp)
		return err
	}
	return nil
}
