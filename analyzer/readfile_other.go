//go:build !linux && !darwin

package analyzer

import (
	"io/fs"
	"os"
	"syscall"
)

// openSource opens a file to read. O_NONBLOCK: opening a named pipe must
// not wait for a writer.
func openSource(path string) (sourceFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

type osFile struct{ *os.File }

func (f osFile) Stat() (fs.FileMode, int64, error) {
	st, err := f.File.Stat()
	if err != nil {
		return 0, 0, err
	}
	return st.Mode(), st.Size(), nil
}
