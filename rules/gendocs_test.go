package rules_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/rules"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules.md")

var rulesMarkdown = filepath.Join("..", "docs", "rules.md")

// TestRulesMarkdown fails when docs/rules.md drifts from the rule docs.
func TestRulesMarkdown(t *testing.T) {
	got := rules.RenderMarkdown()
	if *updateDocs {
		if err := os.WriteFile(rulesMarkdown, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(rulesMarkdown)
	if err != nil {
		t.Fatalf("%v (run `go test ./rules/ -run TestRulesMarkdown -update-docs`)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/rules.md is out of date: run `go test ./rules/ -run TestRulesMarkdown -update-docs`")
	}
}

// TestRulesMarkdownAnchors checks that every rule's URL lands on its section
// and that the table lists every rule.
func TestRulesMarkdownAnchors(t *testing.T) {
	md := string(rules.RenderMarkdown())
	for _, d := range rules.AllDocs() {
		_, frag, ok := strings.Cut(d.URL, "#")
		if !ok || !strings.HasPrefix(d.URL, rules.DocsURL) {
			t.Errorf("%s: URL %q is not a fragment of %s", d.Code, d.URL, rules.DocsURL)
			continue
		}
		if !strings.Contains(md, `<a id="`+frag+`"></a>`) {
			t.Errorf("%s: no anchor %q", d.Code, frag)
		}
		if !strings.Contains(md, "| ["+d.Code+"](#"+frag+") |") {
			t.Errorf("%s: not in the table", d.Code)
		}
	}
	if strings.Contains(md, "| MLF033 |") {
		t.Error("MLF033 has a rule, yet it is listed as not covered")
	}
	if !strings.Contains(md, "| MLF024 |") {
		t.Error("MLF024 has no rule, yet it is not listed as not covered")
	}
	if !strings.Contains(md, "[#15343](https://github.com/mlflow/mlflow/pull/15343)") {
		t.Error("PR references are not linked")
	}
}
