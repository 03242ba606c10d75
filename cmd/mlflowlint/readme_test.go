package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeIsCurrent keeps the README honest: the snippets it shows are
// the example files the other tests exercise, and the Markdown report it
// shows is what mlflowlint prints for the bundled example today.
func TestReadmeIsCurrent(t *testing.T) {
	t.Chdir("../..")
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	for _, f := range []string{"examples/pre-commit-config.yaml", "examples/workflows/code-scanning.yml", "examples/mlflowlint.toml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, string(b)) {
			t.Errorf("README.md does not show %s as it is", f)
		}
	}
	const start, end = "<!-- report:start -->\n", "<!-- report:end -->"
	i, j := strings.Index(text, start), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatal("README.md lacks the report markers")
	}
	o := runCLI(t, "", "--isolated", "--output-format", "markdown", "--target-version", "3.4", "examples/churn")
	if o.code != 1 {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	got := text[i+len(start) : j]
	if got != o.stdout {
		if *update {
			text = text[:i+len(start)] + o.stdout + text[j:]
			if err := os.WriteFile("README.md", []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the README's report differs from the current output; run go test ./cmd/mlflowlint -run TestReadmeIsCurrent -update")
	}
	for _, cmd := range []string{"go install ./cmd/mlflowlint", "make test"} {
		if !strings.Contains(text[:900], cmd) {
			t.Errorf("README.md must open with %q", cmd)
		}
	}
}
