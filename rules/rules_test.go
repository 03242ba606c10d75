package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/rules"
)

func fixtures(code string) string { return filepath.Join("..", "fixtures", code) }

// setup runs the whole suite, so every fixture also proves the other rules
// stay silent on it.
func setup(target string) analysistest.Setup {
	return analysistest.Setup{Rules: rules.Suite, TextRules: rules.TextSuite, Target: analyzer.MustVersion(target)}
}

func TestRules(t *testing.T) {
	for _, code := range rules.Codes() {
		t.Run(code, func(t *testing.T) {
			analysistest.Run(t, fixtures(code), setup("3.15"))
		})
	}
}
