package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/report"
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
				if err := report.ValidateSARIF([]byte(o.stdout), filepath.Join("..", "shared", "schemas", "sarif-schema-2.1.0.json")); err != nil {
					t.Errorf("SARIF: %v", err)
				}
			}
			got := strings.ReplaceAll(o.stdout, root, "<root>")
			golden(t, filepath.Join("cmd", "mlflowlint", "testdata", "example."+format), got)
		})
	}
}
