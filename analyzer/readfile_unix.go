//go:build linux || darwin

package analyzer

import (
	"io"
	"io/fs"
	"syscall"
)

// openSource opens a file to read without the runtime's poller. os.Open
// registers every descriptor with epoll, which fails for regular files and
// costs an epoll_ctl and fcntl calls per file: on a tree of thousands of
// files, a tenth of a warm run. O_NONBLOCK: opening a named pipe must not
// wait for a writer.
func openSource(path string) (sourceFile, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return &rawFile{fd: fd, path: path}, nil
	}
}

type rawFile struct {
	fd   int
	path string
	// st is the last Stat's result (statted set).
	st      syscall.Stat_t
	statted bool
}

func (f *rawFile) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.path, Err: err}
		}
		if n == 0 && len(b) > 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f *rawFile) Close() error { return syscall.Close(f.fd) }

// Stat returns the file's type and permission bits, and its size.
func (f *rawFile) Stat() (fs.FileMode, int64, error) {
	st := &f.st
	for {
		err := syscall.Fstat(f.fd, st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, 0, &fs.PathError{Op: "stat", Path: f.path, Err: err}
		}
		f.statted = true
		break
	}
	mode := fs.FileMode(uint32(st.Mode) & 0o777)
	switch uint32(st.Mode) & syscall.S_IFMT {
	case syscall.S_IFDIR:
		mode |= fs.ModeDir
	case syscall.S_IFIFO:
		mode |= fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		mode |= fs.ModeSocket
	case syscall.S_IFCHR:
		mode |= fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		mode |= fs.ModeDevice
	case syscall.S_IFLNK:
		mode |= fs.ModeSymlink
	}
	return mode, st.Size, nil
}
