package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain gives the in-process runs of this package one cache of their
// own, outside the source tree. Runs share it, so a run that sees a file
// and settings another test saw before is served from it: every golden
// and expectation must hold either way.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mlflowlint-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("MLFLOWLINT_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestCacheFlags(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "train.py")
	if err := os.WriteFile(src, []byte("import mlflow.fastai\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(dir, "c")
	first := runCLI(t, "", "--isolated", "--verbose", "--cache-dir", cache, src)
	if first.code != 1 || !strings.Contains(first.stderr, "1 files considered, 1 parsed\n") {
		t.Fatalf("cold run: exit %d\n%s", first.code, first.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(cache, ".gitignore")); err != nil || !strings.HasSuffix(string(b), "\n*\n") {
		t.Errorf("the cache directory ignores itself: %q, %v", b, err)
	}
	warm := runCLI(t, "", "--isolated", "--verbose", "--cache-dir", cache, src)
	if warm.code != 1 || warm.stdout != first.stdout || !strings.Contains(warm.stderr, "0 parsed, 1 from the cache") {
		t.Errorf("warm run: exit %d, stdout same: %v\n%s", warm.code, warm.stdout == first.stdout, warm.stderr)
	}
	none := runCLI(t, "", "--isolated", "--verbose", "--no-cache", "--cache-dir", cache, src)
	if none.stdout != first.stdout || !strings.Contains(none.stderr, "1 parsed\n") {
		t.Errorf("--no-cache run was served from the cache:\n%s", none.stderr)
	}
	t.Setenv("MLFLOWLINT_NO_CACHE", "1")
	if o := runCLI(t, "", "--isolated", "--verbose", "--cache-dir", cache, src); !strings.Contains(o.stderr, "1 parsed\n") {
		t.Errorf("MLFLOWLINT_NO_CACHE=1 run was served from the cache:\n%s", o.stderr)
	}
	t.Setenv("MLFLOWLINT_NO_CACHE", "")
	// A cache that cannot be created is no reason to fail.
	blocked := filepath.Join(dir, "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if o := runCLI(t, "", "--isolated", "--cache-dir", filepath.Join(blocked, "c"), src); o.code != 1 || o.stdout != first.stdout {
		t.Errorf("unusable cache dir: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
}
