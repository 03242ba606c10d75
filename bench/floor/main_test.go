package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

const sample = `import os
from mlflow import pyfunc as pf, log_metric

X = 1


@pf.trace(name="a")
def train(df):
    """Doc."""
    for i in range(3):
        pf.log_model(
            artifact_path="m",
        )
    with open("f") as fh:
        y = fh.read()
    if df:
        log_metric("x", 1)
    return y


class C:
    def f(self):
        import mlflow
        mlflow.evaluate(1, custom_metrics=[])
`

func module(t *testing.T, src string, rows ...int) string {
	t.Helper()
	f, err := parser.Parse(context.Background(), "sample.py", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return string(floorModule(f, rows))
}

func TestFloorModule(t *testing.T) {
	for _, c := range []struct {
		name string
		rows []int
		want string
	}{
		{"imports alone", nil, "import os\nfrom mlflow import pyfunc as pf, log_metric\nimport mlflow\n"},
		// A call over three lines, inside a for loop inside a def: the
		// expression statement alone, dedented.
		{"nested call", []int{12}, "import os\nfrom mlflow import pyfunc as pf, log_metric\n" +
			"pf.log_model(\n    artifact_path=\"m\",\n)\nimport mlflow\n"},
		// A finding on a for line: its header, with pass.
		{"header", []int{10}, "import os\nfrom mlflow import pyfunc as pf, log_metric\n" +
			"for i in range(3):\n    pass\nimport mlflow\n"},
		// A finding on a decorator: the decorated def's header.
		{"decorator", []int{7}, "import os\nfrom mlflow import pyfunc as pf, log_metric\n" +
			"@pf.trace(name=\"a\")\ndef train(df):\n    pass\nimport mlflow\n"},
		// Two findings in one statement and one in a method: each once.
		{"method", []int{17, 17, 24}, "import os\nfrom mlflow import pyfunc as pf, log_metric\n" +
			"log_metric(\"x\", 1)\nimport mlflow\nmlflow.evaluate(1, custom_metrics=[])\n"},
		// A row past the end or on a blank line holds no statement.
		{"no statement", []int{5, 99}, "import os\nfrom mlflow import pyfunc as pf, log_metric\nimport mlflow\n"},
	} {
		if got := module(t, sample, c.rows...); got != c.want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, got, c.want)
		}
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	py := filepath.Join(dir, "a.py")
	if err := os.WriteFile(py, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	fs := []map[string]any{
		{"filename": py, "location": map[string]int{"row": 12}},
		{"filename": filepath.Join(dir, "n.ipynb"), "location": map[string]int{"row": 1}},
	}
	data, _ := json.Marshal(fs)
	findings := filepath.Join(dir, "f.json")
	if err := os.WriteFile(findings, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	mods := filepath.Join(dir, "mods")
	if err := run(findings, 2, 3, mods, &out); err != nil {
		t.Fatal(err)
	}
	want := module(t, sample, 12)
	got, err := os.ReadFile(filepath.Join(mods, "0000.py"))
	if err != nil || string(got) != want {
		t.Fatalf("module written: %q, %v; want %q", got, err, want)
	}
	for _, line := range []string{
		"findings 2 in 1 files (0.000 MB)",
		"their statements and imports: 0.000 MB",
		"their parse, 2 workers, median of 3:",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
	out.Reset()
	if err := parseDir(mods, 1, &out); err != nil || !strings.HasPrefix(out.String(), "1 modules, 0.000 MB: ") {
		t.Errorf("parseDir: %q, %v", out.String(), err)
	}
	if err := parseDir(dir, 1, &out); err != nil {
		t.Errorf("parseDir of a directory with a.py: %v", err)
	}
	if err := parseDir(filepath.Join(dir, "none"), 1, &out); err == nil {
		t.Error("parseDir of a missing directory: no error")
	}
	if err := parseDir(t.TempDir(), 1, &out); err == nil || !strings.Contains(err.Error(), "no .py file") {
		t.Errorf("parseDir of an empty directory: %v", err)
	}
	if err := os.WriteFile(findings, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(findings, 1, 1, "", &out); err == nil || !strings.Contains(err.Error(), "not mlflowlint's JSON output") {
		t.Errorf("an object instead of a list: %v", err)
	}
	if err := os.WriteFile(findings, []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(findings, 1, 1, "", &out); err == nil || !strings.Contains(err.Error(), "no finding") {
		t.Errorf("no findings: %v", err)
	}
}
