package analyzer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A quiet index lets a warm run skip reading the files that never
// mention MLflow, which are most of a repository (64 of the benchmark
// corpus's 76 MB): a file the last run read and found quiet is not read
// again while its identity is unchanged. The identity is what git's index
// and ruff's cache trust: device, inode, size, and the modification and
// status-change times in nanoseconds. Writing a file updates both times,
// and no call sets the status-change time but the clock, so new content
// shows as a new identity. A file whose times were within quietSlack of
// the start of the run that read it is not recorded (racy): it could
// still change within the file system's timestamp granularity.
//
// The index is one file in the cache per tool build, size limit and set
// of walked roots (with the working directory), rewritten (whole, atomically) by a run that found another set of
// quiet files; it holds only the files that run read or skipped, so it
// follows the tree. Runs on files named one by one (pre-commit), with
// --no-prefilter, or with an upgrade matrix do not use it.

// quietSlack: see above.
var quietSlack = 2 * time.Second

// fileID is the identity of a file's content.
type fileID struct {
	dev, ino           uint64
	size, mtime, ctime int64
}

type quietIndex struct {
	path  string
	start time.Time
	old   map[string]fileID
	mu    sync.Mutex
	now   map[string]fileID
}

const quietMagic = "mlflowlint-quiet " + cacheFormat + " "

// openQuietIndex loads the index of a run over roots (all directories);
// nil when this platform cannot tell a file's identity or the working
// directory is unknown.
func openQuietIndex(c *Cache, extra string, maxSize int64, roots []string, start time.Time) *quietIndex {
	if !fileIDs {
		return nil
	}
	h := sha256.New()
	for _, p := range []string{extra, strconv.FormatInt(maxSize, 10)} {
		fmt.Fprintf(h, "%d:%s|", len(p), p)
	}
	// Roots as written and as absolute paths: the index holds paths as
	// the run shows them, and two projects run as `.` with one shared
	// cache directory keep an index each.
	for _, r := range roots {
		abs, err := filepath.Abs(r)
		if err != nil {
			return nil
		}
		fmt.Fprintf(h, "%d:%s|%d:%s|", len(r), r, len(abs), abs)
	}
	for _, t := range Triggers {
		fmt.Fprintf(h, "%d:%s|", len(t), t)
	}
	q := &quietIndex{
		path:  filepath.Join(c.dir, "quiet-"+hex.EncodeToString(h.Sum(nil))[:32]),
		start: start,
		old:   map[string]fileID{},
		now:   map[string]fileID{},
	}
	data, err := readEntry(q.path)
	if err != nil {
		return q
	}
	head, body, ok := bytes.Cut(data, []byte{'\n'})
	sum, ok2 := bytes.CutPrefix(head, []byte(quietMagic))
	want := sha256.Sum256(body)
	if !ok || !ok2 || string(sum) != hex.EncodeToString(want[:]) {
		return q
	}
	for line := range strings.Lines(string(body)) {
		f := strings.SplitN(strings.TrimSuffix(line, "\n"), " ", 6)
		if len(f) != 6 {
			return q // not written by this code: trust none of it
		}
		var n [5]int64
		for i := range n {
			if n[i], err = strconv.ParseInt(f[i], 10, 64); err != nil {
				return q
			}
		}
		q.old[f[5]] = fileID{uint64(n[0]), uint64(n[1]), n[2], n[3], n[4]}
	}
	return q
}

// known reports whether the file at path is one the last run found quiet,
// with the same identity now; it stays in the index.
func (q *quietIndex) known(path string) bool {
	id0, ok := q.old[path]
	if !ok {
		return false
	}
	id, ok := statID(path)
	if !ok || id != id0 {
		return false
	}
	q.mu.Lock()
	q.now[path] = id
	q.mu.Unlock()
	return true
}

// record notes that the file at path, read with identity id, is quiet.
func (q *quietIndex) record(path string, id fileID) {
	cut := q.start.Add(-quietSlack).UnixNano()
	if id.mtime >= cut || id.ctime >= cut || strings.ContainsRune(path, '\n') {
		return
	}
	q.mu.Lock()
	q.now[path] = id
	q.mu.Unlock()
}

// save writes the index when this run's quiet files differ from the
// loaded ones.
func (q *quietIndex) save() {
	if len(q.now) == len(q.old) {
		same := true
		for p, id := range q.now {
			if q.old[p] != id {
				same = false
				break
			}
		}
		if same {
			return
		}
	}
	paths := make([]string, 0, len(q.now))
	for p := range q.now {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var body bytes.Buffer
	for _, p := range paths {
		id := q.now[p]
		fmt.Fprintf(&body, "%d %d %d %d %d %s\n", id.dev, id.ino, id.size, id.mtime, id.ctime, p)
	}
	sum := sha256.Sum256(body.Bytes())
	data := append([]byte(quietMagic+hex.EncodeToString(sum[:])+"\n"), body.Bytes()...)
	_ = writeEntry(filepath.Dir(q.path), q.path, data)
}

// quietRoots returns the roots of a run that may use a quiet index: every
// path a directory.
func quietRoots(paths []string) ([]string, bool) {
	if len(paths) == 0 {
		return nil, false
	}
	for _, p := range paths {
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			return nil, false
		}
	}
	return paths, true
}
