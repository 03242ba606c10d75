package rules_test

import (
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/rules"
)

// TestTextRules runs the fixtures of the rules that only read non-Python
// files (rules with a Python half run theirs in TestRules).
func TestTextRules(t *testing.T) {
	py := map[string]bool{}
	for _, a := range rules.Suite {
		py[a.Name] = true
	}
	done := map[string]bool{}
	for _, tr := range rules.TextSuite {
		if py[tr.Code] || done[tr.Code] {
			continue
		}
		done[tr.Code] = true
		t.Run(tr.Code, func(t *testing.T) {
			analysistest.Run(t, fixtures(tr.Code), setup("3.15"))
		})
	}
}
