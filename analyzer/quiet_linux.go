//go:build linux

package analyzer

import "syscall"

// fileIDs is set where files' identities are read (quietIndex).
const fileIDs = true

func idOf(st *syscall.Stat_t) fileID {
	return fileID{dev: st.Dev, ino: st.Ino, size: st.Size, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}
}

// statID returns the identity of the file path names (links followed, as
// opening it does).
func statID(path string) (fileID, bool) {
	var st syscall.Stat_t
	for {
		err := syscall.Stat(path, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
			return fileID{}, false
		}
		return idOf(&st), true
	}
}

// sourceID returns the identity of an opened file, from the stat that
// processFile made of it.
func sourceID(f sourceFile) (fileID, bool) {
	r, ok := f.(*rawFile)
	if !ok || !r.statted {
		return fileID{}, false
	}
	return idOf(&r.st), true
}
