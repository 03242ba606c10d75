package apidb_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/rules"
)

// TestPrefilterExactOnChangedPaths holds the generic rules' trigger words
// to the objects the API data changes: for a seeded sample of the changed
// members of modules, a source reaches each through every path the data
// knows (its own, re-exports of it, re-exports of its module), by an
// attribute chain, a from-import and a patch target; the findings must be
// the same with the prefilter as without it, and there must be findings.
func TestPrefilterExactOnChangedPaths(t *testing.T) {
	db := apidb.Load()
	src, tgt := apidb.DefaultMigration()
	objs := db.ChangedModuleMembers(src, tgt, 6)
	if len(objs) < 100 {
		t.Fatalf("only %d changed module members", len(objs))
	}
	rng := analyzer.DefaultAPIRange()
	with := analysistest.Setup{Rules: rules.Suite, TextRules: rules.TextSuite, Target: analyzer.MustVersion(apidb.Newest()),
		RuleTriggers: rules.Triggers, RuleWords: rules.WordsFor(rng), Yield: rules.Yield, API: &rng}
	without := with
	without.NoPrefilter = true
	r := rand.New(rand.NewPCG(7, 13))
	n := 150
	if testing.Short() {
		n = 40
	}
	found := 0
	for range n {
		paths := objs[r.IntN(len(objs))]
		var b strings.Builder
		b.WriteString("import mlflow\nfrom unittest import mock\n")
		for i, p := range paths {
			mod, name := p[:strings.LastIndexByte(p, '.')], p[strings.LastIndexByte(p, '.')+1:]
			fmt.Fprintf(&b, "v%d = %s\n", i, p)
			if mod != "mlflow" {
				fmt.Fprintf(&b, "from %s import %s as w%d\n", mod, name, i)
			}
			fmt.Fprintf(&b, "mock.patch(%q)\n", p)
		}
		code := []byte(b.String())
		a, _, err := analysistest.Analyze(with, "x.py", code, false, false)
		if err != nil {
			t.Fatal(err)
		}
		c, _, err := analysistest.Analyze(without, "x.py", code, false, false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Findings, c.Findings) {
			t.Errorf("findings differ with the prefilter (%d) and without it (%d) on\n%s", len(a.Findings), len(c.Findings), code)
		}
		found += len(c.Findings)
	}
	if found < n {
		t.Errorf("%d findings in %d sources: the sample reaches too few changed objects", found, n)
	}
	t.Logf("%d findings in %d sources", found, n)
}
