//go:build linux

package analyzer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// withSlack sets quietSlack for one test: files written by the test are
// as new as the run, so the real slack would record none of them.
func withSlack(t *testing.T, d time.Duration) {
	old := quietSlack
	quietSlack = d
	t.Cleanup(func() { quietSlack = old })
}

func TestQuietIndexSkipsUnchangedQuietFiles(t *testing.T) {
	withSlack(t, -time.Hour) // every file counts as old enough
	dir := writeFiles(t, map[string]string{
		"used.py":  "import mlflow\nmlflow.old()\n",
		"quiet.py": "import numpy\nnumpy.ones(3)\n",
	})
	cacheDir := filepath.Join(t.TempDir(), "cache")
	cold := cacheRun(t, dir, cacheDir, nil)
	if cold.Unread != 0 || len(cold.Findings) != 1 {
		t.Fatalf("cold run: %d unread, %d findings; want 0, 1", cold.Unread, len(cold.Findings))
	}
	warm := cacheRun(t, dir, cacheDir, nil)
	if warm.Unread != 1 || warm.Cached != 1 || warm.Files != 2 || len(warm.Findings) != 1 {
		t.Fatalf("warm run: %d unread, %d cached, %d files, %d findings; want 1, 1, 2, 1", warm.Unread, warm.Cached, warm.Files, len(warm.Findings))
	}

	// New content of the same size, even with the old modification time
	// put back, is read again: the status-change time moved.
	quiet := filepath.Join(dir, "quiet.py")
	st, err := os.Stat(quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(quiet, []byte("import mlflow\nmlflow.old()\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(quiet, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if st2, _ := os.Stat(quiet); st2.Size() != st.Size() || !st2.ModTime().Equal(st.ModTime()) {
		t.Fatalf("the rewrite changed size or modification time: %d %v", st2.Size(), st2.ModTime())
	}
	changed := cacheRun(t, dir, cacheDir, nil)
	if changed.Unread != 0 || len(changed.Findings) != 2 {
		t.Fatalf("after the rewrite: %d unread, %d findings; want 0, 2", changed.Unread, len(changed.Findings))
	}

	// A run over the file alone (pre-commit) neither uses nor needs the
	// index; a run with --no-prefilter reads everything.
	if r := cacheRun(t, filepath.Join(dir, "used.py"), cacheDir, func(o *Options) { o.Paths = []string{filepath.Join(dir, "used.py")} }); r.Unread != 0 {
		t.Errorf("explicit file: %d unread", r.Unread)
	}
	if r := cacheRun(t, dir, cacheDir, func(o *Options) { o.NoPrefilter = true }); r.Unread != 0 {
		t.Errorf("--no-prefilter: %d unread", r.Unread)
	}
}

// A file as new as the run could still change within the file system's
// timestamp granularity: it is read again next time.
func TestQuietIndexLeavesOutNewFiles(t *testing.T) {
	withSlack(t, time.Hour)
	dir := writeFiles(t, map[string]string{"quiet.py": "x = 1\n"})
	cacheDir := filepath.Join(t.TempDir(), "cache")
	cacheRun(t, dir, cacheDir, nil)
	if r := cacheRun(t, dir, cacheDir, nil); r.Unread != 0 {
		t.Errorf("a new file went unread: %d", r.Unread)
	}
}

// An index that does not check out is ignored and rewritten.
func TestQuietIndexCorrupt(t *testing.T) {
	withSlack(t, -time.Hour)
	dir := writeFiles(t, map[string]string{"quiet.py": "x = 1\n", "used.py": "import mlflow\nmlflow.old()\n"})
	cacheDir := filepath.Join(t.TempDir(), "cache")
	cacheRun(t, dir, cacheDir, nil)
	idx, err := filepath.Glob(filepath.Join(cacheDir, cacheFormat, "quiet-*"))
	if err != nil || len(idx) != 1 {
		t.Fatalf("index files: %v %v", idx, err)
	}
	good, err := os.ReadFile(idx[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{good[:len(good)-3], append([]byte("x"), good...), []byte("garbage")} {
		if err := os.WriteFile(idx[0], bad, 0o600); err != nil {
			t.Fatal(err)
		}
		r := cacheRun(t, dir, cacheDir, nil)
		if r.Unread != 0 || len(r.Findings) != 1 {
			t.Errorf("corrupt index: %d unread, %d findings", r.Unread, len(r.Findings))
		}
		if r := cacheRun(t, dir, cacheDir, nil); r.Unread != 1 {
			t.Errorf("index not rewritten: %d unread", r.Unread)
		}
	}
}

// TestQuietIndexPerWorkingDirectory: two projects run as `.` with one
// shared cache directory keep an index each, so alternating between them
// still leaves each project's quiet files unread.
func TestQuietIndexPerWorkingDirectory(t *testing.T) {
	withSlack(t, -time.Hour)
	files := map[string]string{"used.py": "import mlflow\nmlflow.old()\n", "quiet.py": "import numpy\n"}
	a, b := writeFiles(t, files), writeFiles(t, files)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	dot := func(o *Options) { o.Paths = []string{"."} }
	t.Chdir(a)
	cacheRun(t, ".", cacheDir, dot)
	t.Chdir(b)
	cacheRun(t, ".", cacheDir, dot)
	t.Chdir(a)
	if r := cacheRun(t, ".", cacheDir, dot); r.Unread != 1 {
		t.Errorf("project a after a run in project b: %d unread, want 1", r.Unread)
	}
	t.Chdir(b)
	if r := cacheRun(t, ".", cacheDir, dot); r.Unread != 1 {
		t.Errorf("project b after a run in project a: %d unread, want 1", r.Unread)
	}
}

// The index follows the tree: a warm run that finds every loaded file
// quiet again leaves it as it is, and one over a tree where a quiet file
// went and another came holds the one that stayed and the new one.
func TestQuietIndexFollowsTheTree(t *testing.T) {
	withSlack(t, -time.Hour)
	dir := writeFiles(t, map[string]string{"a.py": "x = 1\n", "b.py": "y = 2\n", "used.py": "import mlflow\nmlflow.old()\n"})
	cacheDir := filepath.Join(t.TempDir(), "cache")
	indexed := func() (string, []string) {
		t.Helper()
		found, _ := filepath.Glob(filepath.Join(cacheDir, "*", "quiet-*"))
		more, _ := filepath.Glob(filepath.Join(cacheDir, "quiet-*"))
		found = append(found, more...)
		if len(found) != 1 {
			t.Fatalf("%d quiet indexes: %v", len(found), found)
		}
		data, err := os.ReadFile(found[0])
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
			names = append(names, filepath.Base(line[strings.LastIndexByte(line, ' ')+1:]))
		}
		return found[0], names
	}
	cacheRun(t, dir, cacheDir, nil)
	path, names := indexed()
	if !slices.Equal(names, []string{"a.py", "b.py"}) {
		t.Fatalf("after the cold run the index holds %v", names)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if warm := cacheRun(t, dir, cacheDir, nil); warm.Unread != 2 {
		t.Fatalf("warm run: %d unread, want 2", warm.Unread)
	}
	if after, err := os.Stat(path); err != nil || !after.ModTime().Equal(before.ModTime()) || !os.SameFile(before, after) {
		t.Errorf("the warm run rewrote the index (%v)", err)
	}
	if err := os.Remove(filepath.Join(dir, "b.py")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.py"), []byte("z = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := cacheRun(t, dir, cacheDir, nil); r.Unread != 1 {
		t.Fatalf("after the change: %d unread, want 1 (a.py)", r.Unread)
	}
	if _, names = indexed(); !slices.Equal(names, []string{"a.py", "c.py"}) {
		t.Fatalf("after the change the index holds %v, want a.py and c.py", names)
	}
	if r := cacheRun(t, dir, cacheDir, nil); r.Unread != 2 {
		t.Fatalf("the run after: %d unread, want 2", r.Unread)
	}
}
