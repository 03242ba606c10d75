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
	"sync/atomic"
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
	// old numbers the loaded files, whose identities are ids; seen marks
	// those this run found quiet with the same identity, so that a warm
	// run, which finds them all so, adds nothing to a map nor takes a
	// lock for each.
	old  map[string]int
	ids  []fileID
	seen []atomic.Bool
	mu   sync.Mutex
	// now holds the other files this run found quiet.
	now map[string]fileID
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
	old, ids, ok := parseQuiet(string(body))
	if !ok {
		return q // not written by this code: trust none of it
	}
	q.old, q.ids, q.seen = old, ids, make([]atomic.Bool, len(ids))
	return q
}

// parseQuiet reads the lines of an index: five numbers and a path each.
func parseQuiet(body string) (map[string]int, []fileID, bool) {
	n := strings.Count(body, "\n")
	old := make(map[string]int, n)
	ids := make([]fileID, 0, n)
	for line := range strings.Lines(body) {
		rest, ok := strings.CutSuffix(line, "\n")
		if !ok {
			return nil, nil, false
		}
		var v [5]int64
		for i := range v {
			var f string
			if f, rest, ok = strings.Cut(rest, " "); !ok {
				return nil, nil, false
			}
			var err error
			if v[i], err = strconv.ParseInt(f, 10, 64); err != nil {
				return nil, nil, false
			}
		}
		if _, dup := old[rest]; dup {
			return nil, nil, false
		}
		old[rest] = len(ids)
		ids = append(ids, fileID{uint64(v[0]), uint64(v[1]), v[2], v[3], v[4]})
	}
	return old, ids, true
}

// known reports whether the file at path is one the last run found quiet,
// with the same identity now; it stays in the index.
func (q *quietIndex) known(path string) bool {
	i, ok := q.old[path]
	if !ok {
		return false
	}
	id, ok := statID(path)
	if !ok || id != q.ids[i] {
		return false
	}
	q.seen[i].Store(true)
	return true
}

// record notes that the file at path, read with identity id, is quiet.
func (q *quietIndex) record(path string, id fileID) {
	cut := q.start.Add(-quietSlack).UnixNano()
	if id.mtime >= cut || id.ctime >= cut || strings.ContainsRune(path, '\n') {
		return
	}
	if i, ok := q.old[path]; ok && q.ids[i] == id {
		q.seen[i].Store(true)
		return
	}
	q.mu.Lock()
	q.now[path] = id
	q.mu.Unlock()
}

// save writes the index when this run's quiet files differ from the
// loaded ones: the loaded ones it found so again, and the others.
func (q *quietIndex) save() {
	same := len(q.now) == 0
	for i := 0; same && i < len(q.seen); i++ {
		same = q.seen[i].Load()
	}
	if same {
		return
	}
	quiet := make(map[string]fileID, len(q.ids)+len(q.now))
	for p, i := range q.old {
		if q.seen[i].Load() {
			quiet[p] = q.ids[i]
		}
	}
	for p, id := range q.now {
		quiet[p] = id
	}
	paths := make([]string, 0, len(quiet))
	for p := range quiet {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var body bytes.Buffer
	for _, p := range paths {
		id := quiet[p]
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
