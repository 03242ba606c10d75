package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPinsInWorkflowsAndCompose: pip pins inside a workflow's run: block
// and a compose command: string are reported at their own line and column,
// and the unsafe fix rewrites only the specifier inside the YAML.
func TestPinsInWorkflowsAndCompose(t *testing.T) {
	workflow := "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: actions/checkout@v4\n      - run: |\n          python -m pip install --upgrade pip\n" +
		"          pip install \"mlflow==2.9.2\"\n"
	compose := "services:\n  app:\n    image: python:3.11\n    command: pip install mlflow==2.9.2\n"
	dir := project(t, map[string]string{".github/workflows/ci.yml": workflow, "docker-compose.yml": compose})

	o := runCLI(t, "", "--isolated", "--output-format", "concise", dir)
	if o.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", o.code, o.stdout, o.stderr)
	}
	for _, want := range []string{
		filepath.ToSlash(filepath.Join(dir, ".github/workflows/ci.yml")) + ":10:24: MLF040 mlflow pinned to `==2.9.2`",
		filepath.ToSlash(filepath.Join(dir, "docker-compose.yml")) + ":4:26: MLF040 mlflow pinned to `==2.9.2`",
	} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, o.stdout)
		}
	}
	if n := strings.Count(o.stdout, "MLF040"); n != 2 {
		t.Errorf("%d MLF040 findings, want 2:\n%s", n, o.stdout)
	}

	if o := runCLI(t, "", "--isolated", "--fix", "--unsafe-fixes", dir); o.code != 0 {
		t.Fatalf("--fix --unsafe-fixes: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
	if got, want := readFile(t, filepath.Join(dir, ".github/workflows/ci.yml")), strings.Replace(workflow, "mlflow==2.9.2", "mlflow==3.18.*", 1); got != want {
		t.Errorf("fixed workflow:\n%s\nwant:\n%s", got, want)
	}
	if got, want := readFile(t, filepath.Join(dir, "docker-compose.yml")), strings.Replace(compose, "mlflow==2.9.2", "mlflow==3.18.*", 1); got != want {
		t.Errorf("fixed compose file:\n%s\nwant:\n%s", got, want)
	}
}
