package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// The command-line half of the hostile-input suite: exit codes, and the
// fix guarantees over every fixture (docs/robustness.md).

const fixturesDir = "../../fixtures"

// fixtureTree copies the fixtures without their golden files and, when
// variants is set, adds generated variants of every Python fixture: CRLF
// line endings and a stray `)` in the middle (BOMs are covered by the
// analyzer's tests).
func fixtureTree(t *testing.T, variants bool) string {
	t.Helper()
	dir := copyTree(t, fixturesDir)
	var py []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".golden") || strings.HasSuffix(p, ".md") {
			return os.Remove(p)
		}
		if strings.HasSuffix(p, ".py") {
			py = append(py, p)
		}
		return nil
	})
	if err != nil || len(py) == 0 {
		t.Fatalf("fixtures: %v, %d Python files", err, len(py))
	}
	for _, p := range py {
		if !variants {
			break
		}
		src, _ := os.ReadFile(p)
		base := strings.TrimSuffix(p, ".py")
		lines := strings.SplitAfter(string(src), "\n")
		mid := len(lines) / 2
		broken := strings.Join(lines[:mid], "") + ")\n" + strings.Join(lines[mid:], "")
		for name, body := range map[string]string{
			base + "_crlf.py":   strings.ReplaceAll(string(src), "\n", "\r\n"),
			base + "_broken.py": broken,
		} {
			if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// snapshot reads every file of a tree.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out[p], err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestFixConvergesAndMatchesDiff runs --diff then --fix over the fixtures
// and their generated variants, with and without unsafe fixes: --diff
// writes nothing and prints exactly the changes --fix writes, CRLF files
// stay CRLF, fixing never fails, and a second --fix changes nothing.
func TestFixConvergesAndMatchesDiff(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		dir := fixtureTree(t, true)
		args := []string{"--isolated", "--no-respect-gitignore", "--target-version", "3.15"}
		if unsafe {
			args = append(args, "--unsafe-fixes")
		}
		before := snapshot(t, dir)
		d := runCLI(t, "", append(args, "--diff", dir)...)
		if d.code == 2 {
			t.Fatalf("--diff: exit 2\n%s", d.stderr)
		}
		if after := snapshot(t, dir); !equalTrees(before, after) {
			t.Fatal("--diff wrote files")
		}
		f := runCLI(t, "", append(args, "--fix", dir)...)
		if f.code == 2 || strings.Contains(f.stderr, "fix not") {
			t.Fatalf("--fix: exit %d\n%s", f.code, f.stderr)
		}
		fixed := snapshot(t, dir)
		var want strings.Builder
		changed := 0
		for _, p := range sortedKeys(fixed) {
			if !bytes.Equal(before[p], fixed[p]) {
				changed++
				want.WriteString(unifiedDiff(filepath.ToSlash(p), before[p], fixed[p]))
				if strings.HasSuffix(p, "_crlf.py") && bytes.Count(fixed[p], []byte("\n")) != bytes.Count(fixed[p], []byte("\r\n")) {
					t.Errorf("%s: the fix left bare LF line endings in a CRLF file", p)
				}
			}
		}
		if changed < 10 {
			t.Fatalf("only %d files changed; the fixtures should hold many fixes", changed)
		}
		if d.stdout != want.String() {
			t.Errorf("unsafe=%v: --diff output differs from what --fix wrote (%d files changed)", unsafe, changed)
		}
		again := runCLI(t, "", append(args, "--fix", dir)...)
		if second := snapshot(t, dir); !equalTrees(fixed, second) {
			for _, p := range sortedKeys(second) {
				if !bytes.Equal(fixed[p], second[p]) {
					t.Errorf("unsafe=%v: a second --fix changed %s", unsafe, p)
				}
			}
		}
		if again.code == 2 {
			t.Errorf("second --fix: exit 2\n%s", again.stderr)
		}
	}
}

func equalTrees(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestFixturesDeterministicAcrossJobs: the same bytes for -j 1, 2 and 8
// over the fixtures, for findings and for fixes.
func TestFixturesDeterministicAcrossJobs(t *testing.T) {
	dir := fixtureTree(t, false)
	for _, mode := range [][]string{{"--output-format", "json"}, {"--diff", "--unsafe-fixes"}} {
		var first outcome
		for _, j := range []string{"1", "2", "8"} {
			o := runCLI(t, "", append([]string{"--isolated", "--no-respect-gitignore", "-j", j, dir}, mode...)...)
			if j == "1" {
				first = o
				if o.code != 1 || len(o.stdout) < 1000 {
					t.Fatalf("%v: exit %d, %d bytes of output", mode, o.code, len(o.stdout))
				}
			} else if o.stdout != first.stdout || o.stderr != first.stderr || o.code != first.code {
				t.Errorf("%v: output with -j %s differs from -j 1", mode, j)
			}
		}
	}
}

// TestExitCodes: 2 only when the request itself cannot be honoured.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badTOML := write("cfg/pyproject.toml", "[tool.mlflowlint]\nselect = [\"MLF0\"\nignore = []\n")
	badKey := write("cfg/mlflowlint.toml", "select = [\"MLF011\"]\nno-such-option = true\n")
	finding := "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f])\n"
	write("tree/ok.py", finding)
	write("tree/binary.py", "import mlflow\x00")
	write("tree/latin1.py", "import mlflow\n# caf\xe9\n")
	write("clean/ok.py", "import mlflow\nmlflow.models.evaluate(m, d)\n")
	write("clean/binary.py", "import mlflow\x00")
	pipe := filepath.Join(dir, "pipe.py")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr []string
	}{
		{"config with a TOML syntax error", []string{"--config", badTOML, dir + "/tree"}, 2, []string{"pyproject.toml:3:"}},
		{"config with an unknown option", []string{"--config", badKey, dir + "/tree"}, 2, []string{"mlflowlint.toml:2", "no-such-option"}},
		{"named path missing", []string{"--isolated", dir + "/nope.py", dir + "/tree"}, 2, []string{"nope.py: error: no such file or directory"}},
		{"named pipe", []string{"--isolated", pipe}, 2, []string{"pipe.py: error: skipped: not a regular file (a named pipe)"}},
		{"bad files among good ones", []string{"--isolated", dir + "/tree"}, 1, []string{"binary.py: error: skipped: binary file (NUL byte at offset 13)", "latin1.py: error: skipped: not valid UTF-8 (invalid byte at offset 19)"}},
		{"bad file in a clean tree", []string{"--isolated", dir + "/clean"}, 0, []string{"binary.py: error: skipped: binary file"}},
		{"bad file named explicitly", []string{"--isolated", dir + "/tree/binary.py"}, 0, []string{"binary.py: error: skipped: binary file"}},
	}
	for _, c := range cases {
		o := runCLI(t, "", c.args...)
		if o.code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, o.code, c.code, o.stderr)
		}
		for _, s := range c.stderr {
			if !strings.Contains(o.stderr, s) {
				t.Errorf("%s: stderr lacks %q:\n%s", c.name, s, o.stderr)
			}
		}
	}
}

// TestMissingPathIsAnError: a named path that does not exist stops the run
// before anything is analysed, so no format reports a clean result and
// --fix leaves the paths that do exist untouched.
func TestMissingPathIsAnError(t *testing.T) {
	dir := t.TempDir()
	fixable := "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f])\n"
	good := filepath.Join(dir, "good.py")
	if err := os.WriteFile(good, []byte(fixable), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-dir")
	formats := []string{"full", "concise", "json", "sarif", "markdown", "github"}
	for _, format := range formats {
		for _, args := range [][]string{{missing}, {good, missing}, {"--fix", missing, good}} {
			args = append([]string{"--isolated", "--output-format", format}, args...)
			o := runCLI(t, "", args...)
			if o.code != 2 {
				t.Errorf("%v: exit %d, want 2", args, o.code)
			}
			if o.stdout != "" {
				t.Errorf("%v: wrote a report:\n%s", args, o.stdout)
			}
			want := filepath.ToSlash(missing) + ": error: no such file or directory\n"
			if o.stderr != want {
				t.Errorf("%v: stderr %q, want %q", args, o.stderr, want)
			}
		}
	}
	if got, _ := os.ReadFile(good); string(got) != fixable {
		t.Errorf("--fix with a missing path changed good.py:\n%s", got)
	}
	if o := runCLI(t, "", "--isolated", "--add-noqa", good, missing); o.code != 2 {
		t.Errorf("--add-noqa with a missing path: exit %d, want 2", o.code)
	}
	if got, _ := os.ReadFile(good); string(got) != fixable {
		t.Errorf("--add-noqa with a missing path changed good.py:\n%s", got)
	}
}
