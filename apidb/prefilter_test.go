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
// The default migration, and 2.9.x -> 3.5.0, whose triggers are the
// precomputed ones of every 2.x -> 3.x migration.
func TestPrefilterExactOnChangedPaths(t *testing.T) {
	s29, err := apidb.Select("2.9")
	if err != nil {
		t.Fatal(err)
	}
	t350, err := apidb.Select("3.5.0")
	if err != nil {
		t.Fatal(err)
	}
	for _, rng := range []analyzer.APIRange{analyzer.DefaultAPIRange(), {Source: s29, Target: t350[0]}} {
		t.Run(rng.TargetVersion().String(), func(t *testing.T) { exactOnChangedPaths(t, rng) })
	}
}

func exactOnChangedPaths(t *testing.T, rng analyzer.APIRange) {
	db := apidb.Load()
	objs := db.ChangedModuleMembers(rng.Source, rng.Target, 6)
	if len(objs) < 100 {
		t.Fatalf("only %d changed module members", len(objs))
	}
	with := analysistest.Setup{Rules: rules.Suite, TextRules: rules.TextSuite, Target: rng.TargetVersion(),
		RuleTriggers: rules.Triggers, RuleWords: rules.WordsFor(rng), Yield: rules.Yield, API: &rng}
	without := with
	without.NoPrefilter = true
	r := rand.New(rand.NewPCG(7, 13))
	n := 100
	if testing.Short() {
		n = 30
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
