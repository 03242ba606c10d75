package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/report/sarifcheck"
)

// TestExampleAllFormats renders the bundled example in every output format
// and compares each with its golden file; the SARIF also passes the
// official schema and GitHub's own rules.
func TestExampleAllFormats(t *testing.T) {
	t.Chdir("../..")
	root, _ := os.Getwd()
	for _, format := range []string{"concise", "json", "sarif", "markdown", "github"} {
		t.Run(format, func(t *testing.T) {
			o := runCLI(t, "", "--isolated", "--target-version", "3.4", "--output-format", format, "examples/churn")
			if o.code != 1 {
				t.Fatalf("exit %d: %s", o.code, o.stderr)
			}
			if format == "sarif" {
				if err := sarifcheck.Validate([]byte(o.stdout), filepath.Join("..", "shared", "schemas", "sarif-schema-2.1.0.json")); err != nil {
					t.Errorf("SARIF: %v", err)
				}
			}
			got := strings.ReplaceAll(o.stdout, root, "<root>")
			golden(t, filepath.Join("cmd", "mlflowlint", "testdata", "example."+format), got)
		})
	}
}

// TestNonASCIIColumns checks every format's columns on a line with CJK
// and an emoji before the finding. Before `custom_metrics` stand 33
// characters, 34 UTF-16 code units (the emoji takes two) and 40 bytes.
func TestNonASCIIColumns(t *testing.T) {
	src := "import mlflow\ns = \"日本😀\"; mlflow.evaluate(m, d, custom_metrics=[f])\n"
	run := func(format string) string {
		o := runCLI(t, src, "--isolated", "--select", "MLF012", "--output-format", format, "-", "--stdin-filename", "nb.py")
		if o.code != 1 {
			t.Fatalf("%s: exit %d: %s", format, o.code, o.stderr)
		}
		return o.stdout
	}
	if got := run("concise"); !strings.HasPrefix(got, "nb.py:2:34: MLF012") {
		t.Errorf("concise (character columns, as ruff): %q", got)
	}
	if got := run("json"); !strings.Contains(got, "\"column\": 34,") || !strings.Contains(got, "\"column\": 48,") {
		t.Errorf("json columns: %s", got)
	}
	if got := run("sarif"); !strings.Contains(got, "\"startColumn\": 35") || !strings.Contains(got, "\"endColumn\": 49") {
		t.Errorf("sarif UTF-16 columns: %s", got)
	}
	if got := run("github"); !strings.Contains(got, "col=34,") {
		t.Errorf("github columns: %s", got)
	}
	full := run("full")
	lines := strings.Split(full, "\n")
	framed := false
	for i, l := range lines {
		if strings.Contains(l, "custom_metrics=[f]") && i+1 < len(lines) {
			framed = true
			// Carets sit under the keyword: CJK and emoji are two columns wide.
			src := l[strings.Index(l, "| ")+2:]
			carets := lines[i+1][strings.Index(lines[i+1], "| ")+2:]
			width := len([]rune(src[:strings.Index(src, "custom_metrics")])) + 3
			if !strings.HasPrefix(carets, strings.Repeat(" ", width)+"^^^^^^^^^^^^^^") {
				t.Errorf("carets misplaced:\n%s\n%s", l, lines[i+1])
			}
		}
	}
	if !framed {
		t.Errorf("no code frame in the full output:\n%s", full)
	}
}
