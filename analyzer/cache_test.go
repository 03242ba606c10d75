package analyzer

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// cacheRun runs renameRule over dir with a cache in cacheDir.
func cacheRun(t *testing.T, dir, cacheDir string, edit func(*Options)) *Result {
	t.Helper()
	c, err := OpenCache(cacheDir, 0)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}, Cache: c, CacheKeyExtra: "test 1"}
	if edit != nil {
		edit(&opt)
	}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	return res
}

// findingsJSON is what a report can print of findings: their fields and
// their lines.
func findingsJSON(t *testing.T, fs []Finding) string {
	t.Helper()
	type shown struct {
		F     Finding
		Lines []string
	}
	var out []shown
	for _, f := range fs {
		out = append(out, shown{f, f.Lines()})
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCacheHitAndMisses(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.py":     "import mlflow\nmlflow.old()\n",
		"b.py":     "import mlflow\nx = 1\n",
		"plain.py": "print('no tracking here')\n",
	})
	cacheDir := filepath.Join(t.TempDir(), "cache")
	cold := cacheRun(t, dir, cacheDir, nil)
	if cold.Parsed != 2 || cold.Cached != 0 || len(cold.Findings) != 1 {
		t.Fatalf("cold run: parsed %d, cached %d, %d findings; want 2, 0, 1", cold.Parsed, cold.Cached, len(cold.Findings))
	}
	warm := cacheRun(t, dir, cacheDir, nil)
	if warm.Parsed != 0 || warm.Cached != 2 {
		t.Errorf("warm run: parsed %d, cached %d; want 0, 2", warm.Parsed, warm.Cached)
	}
	if got, want := findingsJSON(t, warm.Findings), findingsJSON(t, cold.Findings); got != want {
		t.Errorf("cached findings differ:\n got %s\nwant %s", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(cacheDir, ".gitignore")); err != nil || !strings.Contains(string(b), "\n*\n") {
		t.Errorf(".gitignore: %q, %v", b, err)
	}

	// Every setting a result depends on changes the key.
	for name, edit := range map[string]func(*Options){
		"unsafe fixes":     func(o *Options) { o.UnsafeFixes = true },
		"target version":   func(o *Options) { o.Target, _ = ParseVersion("3.1") },
		"key extra":        func(o *Options) { o.CacheKeyExtra = "test 2" },
		"rules":            func(o *Options) { o.Rules = append(o.Rules, panicRule) },
		"unused noqa":      func(o *Options) { o.ReportUnusedNoqa = true },
		"per-file ignores": func(o *Options) { o.IgnoreFor = func(string) []string { return []string{"MLF99"} } },
	} {
		res := cacheRun(t, dir, t.TempDir(), nil) // a fresh cache fills without hits
		if res.Cached != 0 {
			t.Fatalf("a fresh cache served %d files", res.Cached)
		}
		cacheRun(t, dir, cacheDir, nil)
		t.Run(name, func(t *testing.T) {
			c, _ := OpenCache(cacheDir, 0)
			opt := Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}, Cache: c, CacheKeyExtra: "test 1"}
			edit(&opt)
			res, _ := Run(context.Background(), opt)
			if res.Cached != 0 {
				t.Errorf("served %d files from the cache after the setting changed", res.Cached)
			}
		})
	}

	// A changed file misses; the unchanged one still hits.
	if err := os.WriteFile(filepath.Join(dir, "a.py"), []byte("import mlflow\nmlflow.old()\nmlflow.old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := cacheRun(t, dir, cacheDir, nil)
	if res.Parsed != 1 || res.Cached != 1 || len(res.Findings) != 2 {
		t.Errorf("after an edit: parsed %d, cached %d, %d findings; want 1, 1, 2", res.Parsed, res.Cached, len(res.Findings))
	}
}

func TestCacheWithFix(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.py": "import mlflow\nmlflow.old()\n",
		"b.py": "import mlflow\nx = 1\n",
	})
	cacheDir := t.TempDir()
	cacheRun(t, dir, cacheDir, nil)
	// b.py has nothing to fix and is served; a.py has a fix, which runs.
	res := cacheRun(t, dir, cacheDir, func(o *Options) { o.Fix = true })
	if res.Fixed != 1 || res.Cached != 1 || res.Parsed != 1 {
		t.Errorf("fix run: fixed %d, cached %d, parsed %d; want 1, 1, 1", res.Fixed, res.Cached, res.Parsed)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.py")); string(b) != "import mlflow\nmlflow.new()\n" {
		t.Errorf("a.py after --fix: %q", b)
	}
	res = cacheRun(t, dir, cacheDir, nil)
	if len(res.Findings) != 0 || res.Cached != 1 {
		t.Errorf("after the fix: %d findings, cached %d; want 0 findings, b.py cached", len(res.Findings), res.Cached)
	}
}

func TestCacheIgnoresCorruptEntries(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.py": "import mlflow\nmlflow.old()\n"})
	cacheDir := t.TempDir()
	want := findingsJSON(t, cacheRun(t, dir, cacheDir, nil).Findings)
	entries, _ := filepath.Glob(filepath.Join(cacheDir, cacheFormat, "*"))
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1", len(entries))
	}
	valid, _ := os.ReadFile(entries[0])
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"truncated": valid[:len(valid)-5],
		"garbage":   []byte("not an entry at all"),
		"flipped":   append(append([]byte{}, valid[:len(valid)-3]...), 'X', valid[len(valid)-2], valid[len(valid)-1]),
		"no hash":   []byte(entryMagic + "\n{\"findings\": []}"),
	} {
		if err := os.WriteFile(entries[0], bad, 0o644); err != nil {
			t.Fatal(err)
		}
		res := cacheRun(t, dir, cacheDir, nil)
		if res.Cached != 0 || findingsJSON(t, res.Findings) != want {
			t.Errorf("%s entry: cached %d, findings %s; want a fresh analysis", name, res.Cached, findingsJSON(t, res.Findings))
		}
		if res := cacheRun(t, dir, cacheDir, nil); res.Cached != 1 {
			t.Errorf("%s entry was not rewritten", name)
		}
	}
}

func TestCacheConcurrentRuns(t *testing.T) {
	files := map[string]string{}
	for i := range 30 {
		files[fmt.Sprintf("m%02d.py", i)] = fmt.Sprintf("import mlflow\n%smlflow.old()\n", strings.Repeat("x = 1\n", i))
	}
	dir := writeFiles(t, files)
	cacheDir := t.TempDir()
	want := findingsJSON(t, cacheRun(t, dir, t.TempDir(), nil).Findings)
	var wg sync.WaitGroup
	got := make([]string, 4)
	for i := range got {
		wg.Go(func() {
			c, err := OpenCache(cacheDir, 0)
			if err != nil {
				got[i] = err.Error()
				return
			}
			res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}, Cache: c, Jobs: 2})
			if err != nil || len(res.Errors) != 0 {
				got[i] = fmt.Sprint(err, res.Errors)
				return
			}
			got[i] = findingsJSON(t, res.Findings)
		})
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("run %d: %s\nwant %s", i, g, want)
		}
	}
	res := cacheRun(t, dir, cacheDir, func(o *Options) { o.CacheKeyExtra = "" })
	if res.Cached != 30 || findingsJSON(t, res.Findings) != want {
		t.Errorf("after concurrent runs: cached %d of 30", res.Cached)
	}
	if tmp, _ := filepath.Glob(filepath.Join(cacheDir, cacheFormat, ".tmp-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestCacheSizeBound(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("m%02d.py", i)] = fmt.Sprintf("import mlflow\n# %d\nmlflow.old()\n", i)
	}
	dir := writeFiles(t, files)
	cacheDir := t.TempDir()
	const bound = 2 << 10
	c, err := OpenCache(cacheDir, bound)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}, Cache: c})
	if err != nil || len(res.Findings) != 40 {
		t.Fatalf("%v, %d findings", err, len(res.Findings))
	}
	var total int64
	n := 0
	des, _ := os.ReadDir(filepath.Join(cacheDir, cacheFormat))
	for _, de := range des {
		info, _ := de.Info()
		total += info.Size()
		n++
	}
	if total > bound || n == 0 || n >= 40 {
		t.Errorf("%d entries of %d bytes in all; want some, fewer than 40, at most %d bytes", n, total, bound)
	}
}
