package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/rules"
)

var codeRe = regexp.MustCompile(`^MLF[0-9]{3}$`)

// TestMeta fails for a rule without docs, positive and negative fixtures,
// and (where it fixes) a golden file.
func TestMeta(t *testing.T) {
	if err := analysis.Validate(rules.Suite); err != nil {
		t.Fatal(err)
	}
	codes := rules.Codes()
	if len(codes) == 0 {
		t.Fatal("empty suite")
	}
	seen := map[string]bool{}
	for _, code := range codes {
		if seen[code] {
			t.Errorf("%s registered twice", code)
		}
		seen[code] = true
		if !codeRe.MatchString(code) {
			t.Errorf("%s: code must look like MLF001", code)
		}
		doc, ok := rules.Doc(code)
		if !ok {
			t.Errorf("%s: no rules/docs/%s.md", code, code)
			continue
		}
		dir := filepath.Join("..", "fixtures", code)
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Errorf("%s: no fixtures: %v", code, err)
			continue
		}
		var pos, neg, golden int
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || strings.HasSuffix(name, ".md") {
				continue
			}
			if strings.HasSuffix(name, ".golden") {
				golden++
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			wants, err := analysistest.Wants(name, src)
			if err != nil {
				t.Errorf("%s/%s: %v", code, name, err)
			}
			mine := 0
			for _, w := range wants {
				if strings.Contains(w.Re.String(), code) || !strings.Contains(w.Re.String(), "MLF") {
					mine++
				}
			}
			if mine > 0 {
				pos++
			} else {
				neg++
			}
		}
		if pos == 0 {
			t.Errorf("%s: no positive fixture (a file with # want comments)", code)
		}
		if neg == 0 {
			t.Errorf("%s: no negative fixture (a file without # want comments: look-alikes)", code)
		}
		if doc.FixAvailability != "never" && golden == 0 {
			t.Errorf("%s: fixes but has no .golden file", code)
		}
	}
	for _, d := range rules.AllDocs() {
		if !seen[d.Code] && d.Code != "MLF000" {
			t.Errorf("docs/%s.md documents no registered rule", d.Code)
		}
	}
}
