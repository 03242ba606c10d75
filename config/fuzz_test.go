package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary documents to Load under both kinds of file name.
// Load must not panic, and since the file is always readable every error
// comes from its contents and must carry a line.
func FuzzLoad(f *testing.F) {
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".toml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f.Add(data, filepath.Base(p) == PyprojectName)
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("[tool.mlflowlint]\nper-file-ignores.\"a\".b = [\"MLF0\"]\n"), true)
	f.Add([]byte("select = [[\"MLF0\"], {a = 1}]\n"), false)
	f.Add([]byte("[[a]]\n[a.b]\nc = 1\n"), false)

	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, pyproject bool) {
		name := PlainName
		if pyproject {
			name = PyprojectName
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Load error %T %v, want *Error", err, err)
			}
			if e.File != path || e.Line < 1 || e.Col < 0 {
				t.Fatalf("Load error without a position: %+v", e)
			}
			if cfg != nil {
				t.Fatalf("Load returned a Config with error %v", err)
			}
			return
		}
		// Whatever loaded must be usable.
		_ = cfg.CheckCodes(knownCodes)
		cfg.Excluded(filepath.Join(dir, "a", "b.py"))
		cfg.IgnoredFor(filepath.Join(dir, "tests", "c.py"))
	})
}
