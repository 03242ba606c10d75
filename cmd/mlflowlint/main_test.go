package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// copyTree copies the bundled example (or another fixture tree) to a
// temporary directory and returns it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

type outcome struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) outcome {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return outcome{code, out.String(), errb.String()}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := name
	if !strings.Contains(name, string(filepath.Separator)) {
		path = filepath.Join("testdata", name)
	}
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

const example = "../../examples/churn"

func TestExampleFullOutput(t *testing.T) {
	dir := copyTree(t, example)
	o := runCLI(t, "", "--isolated", dir)
	if o.code != 1 {
		t.Fatalf("exit %d, want 1; stderr: %s", o.code, o.stderr)
	}
	golden(t, "example.txt", strings.ReplaceAll(o.stdout, dir, "<dir>"))
}

func TestFormatsAreDeterministicAcrossJobs(t *testing.T) {
	dir := copyTree(t, example)
	for _, format := range []string{"full", "concise", "json"} {
		var first string
		for _, j := range []string{"1", "2", "8"} {
			o := runCLI(t, "", "--isolated", "-j", j, "--output-format", format, dir)
			if first == "" {
				first = o.stdout
			} else if o.stdout != first {
				t.Errorf("%s output with -j %s differs from -j 1", format, j)
			}
		}
	}
}

func TestJSONFollowsRuffSchema(t *testing.T) {
	dir := copyTree(t, example)
	o := runCLI(t, "", "--isolated", "--output-format", "json", dir)
	var items []map[string]any
	if err := json.Unmarshal([]byte(o.stdout), &items); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, o.stdout)
	}
	concise := runCLI(t, "", "--isolated", "--output-format", "concise", dir)
	if n := strings.Count(concise.stdout, dir+"/"); len(items) != n || n < 9 {
		t.Fatalf("got %d JSON findings, %d concise lines", len(items), n)
	}
	for _, it := range items {
		for _, k := range []string{"code", "message", "filename", "location", "end_location", "fix", "url", "noqa_row", "cell"} {
			if _, ok := it[k]; !ok {
				t.Errorf("finding lacks %q: %v", k, it)
			}
		}
	}
	fixable := 0
	for _, it := range items {
		if fx, ok := it["fix"].(map[string]any); ok {
			fixable++
			if a := fx["applicability"]; a != "safe" && a != "unsafe" {
				t.Errorf("unexpected applicability %v", a)
			}
			if edits, _ := fx["edits"].([]any); len(edits) == 0 {
				t.Errorf("fix without edits: %v", fx)
			}
		}
		if it["code"] == "MLF011" && it["fix"] == nil {
			t.Errorf("MLF011 finding without its safe fix: %v", it)
		}
	}
	if fixable < 3 {
		t.Errorf("got %d fixes, want at least 3", fixable)
	}
}

func TestFixDiffAndConvergence(t *testing.T) {
	dir := copyTree(t, example)
	before, _ := os.ReadFile(filepath.Join(dir, "validate.py"))
	d := runCLI(t, "", "--isolated", "--diff", dir)
	if d.code != 1 || !strings.Contains(d.stdout, "+    \"f1_score\": MT(threshold=0.7, min_absolute_change=0.01, greater_is_better=True),") {
		t.Fatalf("--diff: exit %d\n%s\n%s", d.code, d.stdout, d.stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "validate.py"))
	if !bytes.Equal(before, after) {
		t.Fatal("--diff wrote the file")
	}
	f := runCLI(t, "", "--isolated", "--fix", dir)
	if f.code != 1 {
		t.Fatalf("--fix exit %d (unfixable findings remain): %s", f.code, f.stderr)
	}
	m := regexp.MustCompile(`Found (\d+) errors \((\d+) fixed, (\d+) remaining\)\.`).FindStringSubmatch(f.stdout)
	if m == nil || m[2] == "0" {
		t.Fatalf("summary missing or nothing fixed:\n%s", f.stdout)
	}
	fixed, _ := os.ReadFile(filepath.Join(dir, "validate.py"))
	// --diff and --fix agree byte for byte.
	if got := unifiedDiff(filepath.ToSlash(filepath.Join(dir, "validate.py")), before, fixed); !strings.Contains(d.stdout, got) {
		t.Errorf("--diff output does not match what --fix wrote:\n%s\nvs\n%s", d.stdout, got)
	}
	again := runCLI(t, "", "--isolated", "--fix", dir)
	second, _ := os.ReadFile(filepath.Join(dir, "validate.py"))
	if !bytes.Equal(fixed, second) || !strings.Contains(again.stdout, "(0 fixed, "+m[3]+" remaining)") {
		t.Errorf("second --fix changed something:\n%s", again.stdout)
	}
	nb, _ := os.ReadFile(filepath.Join(dir, "explore.ipynb"))
	orig, _ := os.ReadFile(filepath.Join(example, "explore.ipynb"))
	back := strings.NewReplacer("greater_is_better=True)", "higher_is_better=True)", "extra_metrics=[lift]", "custom_metrics=[lift]", "mlflow.models.evaluate(", "mlflow.evaluate(").Replace(string(nb))
	if back != string(orig) || bytes.Equal(nb, orig) {
		t.Errorf("notebook fix: only the fixed source strings may change:\n%s", nb)
	}
	st, _ := os.Stat(filepath.Join(dir, "validate.py"))
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode changed to %v", st.Mode())
	}
}

func TestSelectIgnoreAndTarget(t *testing.T) {
	dir := copyTree(t, example)
	o := runCLI(t, "", "--isolated", "--select", "MLF011", "--output-format", "concise", dir)
	if strings.Count(o.stdout, "MLF011") != 3 || strings.Contains(o.stdout, "MLF002") {
		t.Errorf("--select MLF011:\n%s", o.stdout)
	}
	o = runCLI(t, "", "--isolated", "--ignore", "MLF0,MLF9", dir)
	if o.code != 0 || !strings.Contains(o.stdout, "All checks passed!") {
		t.Errorf("--ignore MLF0,MLF9: exit %d\n%s", o.code, o.stdout)
	}
	// MLF033 (file store) applies from 3.13: off for 3.4, on for 3.13.
	src := "import mlflow\nmlflow.set_tracking_uri(\"file:./mlruns\")\n"
	if o := runCLI(t, src, "--isolated", "--target-version", "3.4", "-", "--stdin-filename", "t.py"); o.code != 0 {
		t.Errorf("target 3.4 reported MLF033:\n%s", o.stdout)
	}
	if o := runCLI(t, src, "--isolated", "--target-version", "3.13", "-", "--stdin-filename", "t.py"); o.code != 1 || !strings.Contains(o.stdout, "MLF033") {
		t.Errorf("target 3.13 missed MLF033:\n%s", o.stdout)
	}
	o = runCLI(t, "", "--isolated", "--exit-zero", dir)
	if o.code != 0 {
		t.Errorf("--exit-zero: exit %d", o.code)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--no-such-flag"},
		{"--target-version", "2.9"},
		{"--target-version", "three"},
		{"--select", "XYZ1"},
		{"--output-format", "xml"},
		{"--isolated", "does/not/exist"},
		{"--jobs", "0"},
	} {
		o := runCLI(t, "", args...)
		if o.code != 2 || o.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and a message", args, o.code, o.stderr)
		}
	}
}

func TestStdin(t *testing.T) {
	src := "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f])\n"
	o := runCLI(t, src, "--isolated", "-", "--stdin-filename", "pipeline.py", "--output-format", "concise")
	if o.code != 1 || !strings.Contains(o.stdout, "pipeline.py:2:23: MLF012") {
		t.Fatalf("exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	o = runCLI(t, src, "--isolated", "--fix", "-", "--stdin-filename", "pipeline.py")
	// Two fixes in one round: MLF902 (callee) and MLF012 (keyword).
	if o.stdout != "import mlflow\nmlflow.models.evaluate(m, d, extra_metrics=[f])\n" {
		t.Errorf("fixed source on stdout:\n%s", o.stdout)
	}
}

func TestRuleCommand(t *testing.T) {
	o := runCLI(t, "", "rule", "MLF011")
	if o.code != 0 || !strings.Contains(o.stdout, "greater_is_better") || !strings.Contains(o.stdout, "## Fix safety") {
		t.Errorf("rule MLF011: exit %d\n%s", o.code, o.stdout)
	}
	o = runCLI(t, "", "rule", "--all", "--output-format", "json")
	var docs []map[string]any
	if err := json.Unmarshal([]byte(o.stdout), &docs); err != nil || len(docs) < 5 {
		t.Errorf("rule --all json: %v, %d docs", err, len(docs))
	}
	if o := runCLI(t, "", "rule", "MLF999"); o.code != 2 {
		t.Errorf("unknown rule: exit %d", o.code)
	}
}
