package rules_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/rules"
)

func fixtures(code string) string { return filepath.Join("..", "fixtures", code) }

// setup runs the whole suite, so every fixture also proves the other rules
// stay silent on it.
func setup(target string) analysistest.Setup {
	v := analyzer.MustVersion(target)
	// A release or minor of the data is chosen as the command line does;
	// versions between releases (for gating tests) take the newest release
	// before them.
	rng, err := analyzer.NewAPIRange(nil, target)
	if err != nil {
		rng = analyzer.APIRangeAt(v)
	}
	return analysistest.Setup{Rules: rules.Suite, TextRules: rules.TextSuite, Target: v,
		RuleTriggers: rules.Triggers, RuleWords: rules.WordsFor(rng), Yield: rules.Yield, API: &rng}
}

func TestRules(t *testing.T) {
	for _, code := range rules.Codes() {
		t.Run(code, func(t *testing.T) {
			analysistest.Run(t, fixtures(code), setup("3.15"))
		})
	}
}

// TestPrefilterIsExact runs every fixture with and without the prefilter
// (which skips files that never mention MLflow before parsing them) and
// requires identical findings.
func TestPrefilterIsExact(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "fixtures", "*", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, p := range files {
		if strings.HasSuffix(p, ".golden") || strings.HasSuffix(p, ".md") {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		with := setup("3.15")
		without := setup("3.15")
		without.NoPrefilter = true
		mentionsOnly := setup("3.15")
		mentionsOnly.RuleTriggers = nil
		mentionsOnly.RuleWords = nil
		a, _, err := analysistest.Analyze(with, p, src, false, false)
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := analysistest.Analyze(without, p, src, false, false)
		if err != nil {
			t.Fatal(err)
		}
		c, _, err := analysistest.Analyze(mentionsOnly, p, src, false, false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Findings, b.Findings) {
			t.Errorf("%s: findings differ with the prefilter and rule triggers (%d) and without either (%d)", p, len(a.Findings), len(b.Findings))
		}
		if !reflect.DeepEqual(c.Findings, b.Findings) {
			t.Errorf("%s: findings differ with the mlflow prefilter alone (%d) and without it (%d)", p, len(c.Findings), len(b.Findings))
		}
	}
	// Also with the MLflow mentions removed: nothing may be found either way.
	for _, p := range files {
		if !strings.HasSuffix(p, ".py") {
			continue
		}
		src, _ := os.ReadFile(p)
		src = []byte(strings.NewReplacer("mlflow", "mlfl0w", "MLFLOW", "MLFL0W").Replace(string(src)))
		without := setup("3.15")
		without.NoPrefilter = true
		b, _, err := analysistest.Analyze(without, p, src, false, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Findings) != 0 {
			t.Errorf("%s: %d findings in a source that never mentions MLflow: %s", p, len(b.Findings), b.Findings[0].Message)
		}
	}
}
