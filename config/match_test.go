package config

import (
	"path/filepath"
	"reflect"
	"testing"
)

func loadMatch(t *testing.T) *Config {
	t.Helper()
	cfg, err := Load("testdata/match/mlflowlint.toml")
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestExcluded(t *testing.T) {
	cfg := loadMatch(t)
	const r = "testdata/match/"
	tests := []struct {
		path string
		want bool
	}{
		// "/build": anchored at the config's directory.
		{r + "build", true},
		{r + "build/x.py", true},
		{r + "build/deep/x.py", true},
		{r + "src/build/x.py", false},
		{r + "builder.py", false},
		// "gen/": directories named gen at any depth (these exist on disk).
		{r + "gen", true},
		{r + "gen/a.py", true},
		{r + "src/gen", true},
		{r + "src/gen/a.py", true},
		{r + "lib/gen", false}, // not a directory on disk
		// "notebooks/**/scratch_*.ipynb": "**" is zero or more directories.
		{r + "notebooks/scratch_1.ipynb", true},
		{r + "notebooks/a/b/scratch_2.ipynb", true},
		{r + "notebooks/a/final.ipynb", false},
		{r + "src/notebooks/scratch_1.ipynb", false},
		// "*.generated.py": a name at any depth.
		{r + "api.generated.py", true},
		{r + "x/y/api.generated.py", true},
		{r + "x/y/api.generated.pyi", false},
		// "vendor" then "!vendor/keep.py": nothing below an excluded directory
		// comes back.
		{r + "vendor/lib.py", true},
		{r + "vendor/keep.py", true},
		{r + "a/vendor/lib.py", true},
		// "docs/**" then "!keep_me.py": the last matching pattern wins.
		{r + "docs/index.py", true},
		{r + "docs/keep_me.py", false},
		{r + "docs", false}, // "docs/**" matches what is inside, not docs itself
		// extend-exclude "/src/legacy/".
		{r + "src/legacy/old.py", true},
		{r + "lib/src/legacy/old.py", false},
		{r + "main.py", false},
		// The root itself and paths outside it are never excluded, even when a
		// directory above the root has an excluded name.
		{r, false},
		{"testdata/build/x.py", false},
		{"testdata/vendor/lib.py", false},
		{"testdata/match/../vendor/lib.py", false},
	}
	for _, tt := range tests {
		if got := cfg.Excluded(tt.path); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", tt.path, got, tt.want)
		}
		a, _ := filepath.Abs(tt.path)
		if got := cfg.Excluded(a); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", a, got, tt.want)
		}
	}
}

func TestExcludedFollowsChangedFields(t *testing.T) {
	cfg := loadMatch(t)
	p := "testdata/match/main.py"
	if cfg.Excluded(p) {
		t.Fatalf("Excluded(%s) before the change", p)
	}
	cfg.ExtendExclude = append(cfg.ExtendExclude, "main.py")
	if !cfg.Excluded(p) {
		t.Errorf("Excluded(%s) = false after adding main.py to extend-exclude", p)
	}
	cfg.PerFileIgnores = map[string][]string{"main.py": {"MLF001"}}
	if got := cfg.IgnoredFor(p); !reflect.DeepEqual(got, []string{"MLF001"}) {
		t.Errorf("IgnoredFor(%s) = %v after replacing per-file-ignores", p, got)
	}
}

func TestExcludedLiteralConfig(t *testing.T) {
	root := t.TempDir()
	cfg := &Config{Root: root, Exclude: []string{"/out"}}
	if !cfg.Excluded(filepath.Join(root, "out", "a.py")) {
		t.Error("literal Config: /out/a.py not excluded")
	}
	if cfg.Excluded(filepath.Join(root, "src", "out", "a.py")) {
		t.Error("literal Config: src/out/a.py excluded by an anchored pattern")
	}
	var none *Config
	if none.Excluded("a.py") || none.IgnoredFor("a.py") != nil {
		t.Error("a nil Config excludes or ignores something")
	}
}

func TestIgnoredFor(t *testing.T) {
	cfg := loadMatch(t)
	const r = "testdata/match/"
	tests := []struct {
		path string
		want []string
	}{
		// "tests/" (a directory at any depth) and "!src/**" (everything not under src).
		{r + "tests/test_a.py", []string{"MLF011", "MLF2"}},
		// "**/conftest.py" and "tests/" overlap: codes are merged without repeats.
		{r + "src/tests/conftest.py", []string{"MLF011", "MLF012"}},
		{r + "conftest.py", []string{"MLF011", "MLF012", "MLF2"}},
		// "/scripts/*.py": one level only.
		{r + "scripts/run.py", []string{"MLF2", "MLF9"}},
		{r + "scripts/sub/run.py", []string{"MLF2"}},
		{r + "src/nb/a.ipynb", []string{"MLF902"}},
		{r + "src/app.py", nil},
		{"testdata/other.py", nil}, // outside the root
	}
	for _, tt := range tests {
		if got := cfg.IgnoredFor(tt.path); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("IgnoredFor(%q) = %#v, want %#v", tt.path, got, tt.want)
		}
	}
}
