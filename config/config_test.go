package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func boolPtr(b bool) *bool { return &b }

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// exported returns the exported fields of c, for comparison.
func exported(c *Config) Config {
	return Config{
		Path: c.Path, TargetVersion: c.TargetVersion,
		Select: c.Select, Ignore: c.Ignore, ExtendSelect: c.ExtendSelect,
		Exclude: c.Exclude, ExtendExclude: c.ExtendExclude,
		PerFileIgnores:   c.PerFileIgnores,
		RespectGitignore: c.RespectGitignore, UnsafeFixes: c.UnsafeFixes,
		OutputFormat: c.OutputFormat, Root: c.Root,
	}
}

func TestLoadValid(t *testing.T) {
	tests := []struct {
		file string
		want Config // Path and Root are filled in from file
	}{
		{
			file: "testdata/valid/hidden/.mlflowlint.toml",
			want: Config{
				TargetVersion: "3.4",
				Select:        []string{"MLF0", "MLF9"},
				Ignore:        []string{"MLF011"},
				ExtendSelect:  []string{"MLF902"},
				Exclude:       []string{"/build", "generated/"},
				ExtendExclude: []string{"notebooks/scratch/**"},
				PerFileIgnores: map[string][]string{
					"tests/**": {"MLF0"},
					"*.ipynb":  {"MLF902", "MLF011"},
				},
				RespectGitignore: boolPtr(false),
				UnsafeFixes:      boolPtr(true),
				OutputFormat:     "sarif",
			},
		},
		{
			file: "testdata/valid/plain/mlflowlint.toml",
			want: Config{
				TargetVersion: "3.1.2",
				Select:        []string{"ALL"},
				Exclude:       []string{}, // set, and empty: not the same as absent
				OutputFormat:  "github",
			},
		},
		{
			// [project], [tool.ruff] (with a key that would be wrong for us) and
			// [tool.pytest.ini_options] are not looked at.
			file: "testdata/valid/pyproject/pyproject.toml",
			want: Config{
				TargetVersion:    "3.0",
				ExtendSelect:     []string{"MLF"},
				PerFileIgnores:   map[string][]string{"scripts/legacy_*.py": {"MLF2"}},
				RespectGitignore: boolPtr(true),
				OutputFormat:     "json",
			},
		},
		{
			file: "testdata/valid/inline/pyproject.toml",
			want: Config{
				Ignore:         []string{"MLF901"},
				PerFileIgnores: map[string][]string{"docs/*.py": {"MLF0"}},
			},
		},
		{
			// An explicit pyproject.toml without the table configures nothing.
			file: "testdata/find/tableless/pyproject.toml",
			want: Config{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cfg, err := Load(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Path = tt.file
			want.Root = abs(t, filepath.Dir(tt.file))
			if got := exported(cfg); !reflect.DeepEqual(got, want) {
				t.Errorf("Load(%s)\n got %+v\nwant %+v", tt.file, got, want)
			}
		})
	}
}

func TestTarget(t *testing.T) {
	cfg, err := Load("testdata/valid/plain/mlflowlint.toml")
	if err != nil {
		t.Fatal(err)
	}
	v, ok := cfg.Target()
	if !ok || v.Major != 3 || v.Minor != 1 || v.Patch != 2 {
		t.Errorf("Target() = %v, %v; want 3.1.2, true", v, ok)
	}
	if _, ok := (&Config{}).Target(); ok {
		t.Error("Target() of an empty Config reports a version")
	}
}

func TestFind(t *testing.T) {
	tests := []struct {
		start, want string
	}{
		{"testdata/find", "testdata/find/mlflowlint.toml"},
		// Up three levels, past a pyproject.toml that mentions mlflowlint
		// but has no [tool.mlflowlint] table.
		{"testdata/find/proj/src/pkg", "testdata/find/mlflowlint.toml"},
		// Past a pyproject.toml that never mentions mlflowlint.
		{"testdata/find/tableless/deep", "testdata/find/mlflowlint.toml"},
		{"testdata/find/both", "testdata/find/both/.mlflowlint.toml"},
		{"testdata/find/plainpy", "testdata/find/plainpy/mlflowlint.toml"},
		{"testdata/find/py/sub", "testdata/find/py/pyproject.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.start, func(t *testing.T) {
			cfg, err := Find(tt.start)
			if err != nil {
				t.Fatal(err)
			}
			if cfg == nil {
				t.Fatalf("Find(%s) = nil", tt.start)
			}
			if want := abs(t, tt.want); cfg.Path != want {
				t.Errorf("Find(%s).Path = %s, want %s", tt.start, cfg.Path, want)
			}
			if want := abs(t, filepath.Dir(tt.want)); cfg.Root != want {
				t.Errorf("Find(%s).Root = %s, want %s", tt.start, cfg.Root, want)
			}
			if len(cfg.Select) != 1 {
				t.Errorf("Find(%s).Select = %v, want the file's one code", tt.start, cfg.Select)
			}
		})
	}
}

func TestFindNone(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A directory with a configuration file's name is not a file.
	if err := os.Mkdir(filepath.Join(dir, PlainName), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg, err := Find(dir)
	if err != nil || cfg != nil {
		t.Errorf("Find(empty tree) = %v, %v; want nil, nil", cfg, err)
	}
}

func TestFindReportsBrokenFile(t *testing.T) {
	cfg, err := Find("testdata/errors/py_unknown")
	var e *Error
	if cfg != nil || !errors.As(err, &e) || e.Line != 9 {
		t.Errorf("Find(py_unknown) = %v, %v; want an *Error at line 9", cfg, err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		file      string
		line, col int
		msg       string // a part of the message
	}{
		{"unknown_key.toml", 4, 1, `unknown key "extend_select" (did you mean "extend-select"?)`},
		{"select_string.toml", 2, 3, "select must be an array of strings, not a string"},
		{"unsafe_string.toml", 3, 1, "unsafe-fixes must be true or false, not a string"},
		{"respect_int.toml", 1, 1, "respect-gitignore must be true or false, not an integer"},
		{"syntax.toml", 3, 1, "invalid TOML"},
		{"syntax_unterminated.toml", 1, 22, "invalid TOML"},
		{"duplicate.toml", 3, 1, "already defined"},
		{"version_two.toml", 2, 18, `"2.22" is not an MLflow 3 release`},
		{"version_major_only.toml", 1, 18, `invalid version "3"`},
		{"version_garbage.toml", 1, 18, `invalid version "3.x"`},
		{"version_number.toml", 1, 1, "target-version must be a string, not a float"},
		{"output_format.toml", 2, 17, `unknown output format "text"`},
		{"list_element.toml", 3, 5, "extend-exclude[1] must be a string, not an integer"},
		{"bad_glob.toml", 3, 5, `exclude[1]: invalid glob "bad[glob"`},
		{"pfi_not_table.toml", 1, 1, "per-file-ignores must be a table"},
		{"pfi_unquoted.toml", 3, 1, "quote globs that contain dots"},
		{"pfi_value.toml", 2, 1, `per-file-ignores."tests/**" must be an array of strings, not a string`},
		{"empty_code.toml", 1, 21, "ignore[1]: empty rule code"},
		{"tool_in_plain.toml", 1, 2, `unknown key "tool"`},
		{"py_unknown/pyproject.toml", 9, 1, `unknown key "tool.mlflowlint.fix"`},
		{"py_nottable/pyproject.toml", 2, 1, "tool.mlflowlint must be a table, not a string"},
		{"py_subtable/pyproject.toml", 4, 18, `unknown key "tool.mlflowlint.lint"`},
		{"py_arraytable/pyproject.toml", 1, 8, "tool.mlflowlint must be a table, not an array of tables"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "errors", tt.file)
			cfg, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want an error", path, exported(cfg))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Load(%s) error %T %v, want *Error", path, err, err)
			}
			if e.File != path || e.Line != tt.line || e.Col != tt.col {
				t.Errorf("error at %s:%d:%d, want %s:%d:%d (%s)", e.File, e.Line, e.Col, path, tt.line, tt.col, e.Msg)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Msg, tt.msg)
			}
			if want := fmt.Sprintf("%s:%d:%d: %s", path, tt.line, tt.col, e.Msg); err.Error() != want {
				t.Errorf("Error() = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/no-such-file.toml")
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want a not-exist error", err)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "a.toml", Line: 3, Col: 7, Msg: "m"}, "a.toml:3:7: m"},
		{Error{File: "a.toml", Line: 3, Msg: "m"}, "a.toml:3: m"},
		{Error{File: "a.toml", Msg: "m"}, "a.toml: m"},
		{Error{Msg: "m"}, "m"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v.Error() = %q, want %q", tt.e, got, tt.want)
		}
	}
}
