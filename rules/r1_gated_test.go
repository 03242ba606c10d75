package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
)

// TestDeprecatedThenRemoved checks the target gating of MLF005 and MLF006:
// silent below 3.6, a warning on 3.6, an error from 3.7, on the lines the
// positive fixture expects.
func TestDeprecatedThenRemoved(t *testing.T) {
	for _, code := range []string{"MLF005", "MLF006"} {
		path := filepath.Join(fixtures(code), "names.py")
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wants, err := analysistest.Wants(path, src)
		if err != nil {
			t.Fatal(err)
		}
		lines := map[int]bool{}
		for _, w := range wants {
			lines[w.Line] = true
		}
		for _, tc := range []struct {
			target string
			want   analyzer.Severity // "" means no finding
		}{
			{"3.0", ""}, {"3.5.2", ""}, {"3.6", analyzer.SeverityWarning}, {"3.6.1", analyzer.SeverityWarning},
			{"3.7", analyzer.SeverityError}, {"3.15", analyzer.SeverityError},
		} {
			res, _, err := analysistest.Analyze(setup(tc.target), path, src, false, false)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int]bool{}
			for _, f := range res.Findings {
				if f.Code != code {
					continue
				}
				got[f.Start.Line] = true
				if f.Severity != tc.want {
					t.Errorf("%s target %s: line %d has severity %q, want %q", code, tc.target, f.Start.Line, f.Severity, tc.want)
				}
			}
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("%s target %s: want no finding, got lines %v", code, tc.target, got)
				}
				continue
			}
			for l := range lines {
				if !got[l] {
					t.Errorf("%s target %s: no finding on line %d", code, tc.target, l)
				}
			}
		}
	}
}
