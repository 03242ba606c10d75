package apidb_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
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
	for _, rng := range migrationsTo(t, "3.5.0") {
		t.Run(rng.TargetVersion().String(), func(t *testing.T) { exactOnChangedPaths(t, rng) })
	}
}

// migrationsTo returns the default migration and 2.9.x -> tgt.
func migrationsTo(t *testing.T, tgt string) []analyzer.APIRange {
	t.Helper()
	s29, err := apidb.Select("2.9")
	if err != nil {
		t.Fatal(err)
	}
	ts, err := apidb.Select(tgt)
	if err != nil {
		t.Fatal(err)
	}
	return []analyzer.APIRange{analyzer.DefaultAPIRange(), {Source: s29, Target: ts[0]}}
}

// prefiltered is the setup of the whole suite with the prefilter for the
// migration rng.
func prefiltered(rng analyzer.APIRange) analysistest.Setup {
	return analysistest.Setup{Rules: rules.Suite, TextRules: rules.TextSuite, Target: rng.TargetVersion(),
		RuleTriggers: rules.Triggers, RuleWords: rules.WordsFor(rng), Yield: rules.Yield, API: &rng}
}

// analyzeBoth analyses code with setup s and without its prefilter, and
// fails the test when their findings differ.
func analyzeBoth(t *testing.T, s analysistest.Setup, code string) (with, without *analyzer.Result) {
	t.Helper()
	with, _, err := analysistest.Analyze(s, "x.py", []byte(code), false, false)
	if err != nil {
		t.Fatal(err)
	}
	s.NoPrefilter = true
	without, _, err = analysistest.Analyze(s, "x.py", []byte(code), false, false)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(with.Findings, without.Findings) {
		t.Errorf("findings differ with the prefilter (%d) and without it (%d) on\n%s", len(with.Findings), len(without.Findings), code)
	}
	return with, without
}

func exactOnChangedPaths(t *testing.T, rng analyzer.APIRange) {
	db := apidb.Load()
	objs := db.ChangedModuleMembers(rng.Source, rng.Target, 6)
	if len(objs) < 100 {
		t.Fatalf("only %d changed module members", len(objs))
	}
	with := prefiltered(rng)
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
		_, c := analyzeBoth(t, with, b.String())
		found += len(c.Findings)
	}
	if found < n {
		t.Errorf("%d findings in %d sources: the sample reaches too few changed objects", found, n)
	}
	t.Logf("%d findings in %d sources", found, n)
}

// TestPrefilterExactOnMemberChains holds the triggers of changed members
// of classes, which need the words of a chain of makers down to a member
// of a module, to the type inference: for a seeded sample of them, a
// source reaches each through chains of makers two or three classes deep
// (a client made, a method of it returning a run, a property of the run
// returning its info, the member), one chain per source; the findings
// must be the same with the prefilter as without it, a chain with
// findings must spell the words of a trigger (where another statement's
// trigger could not hide a missing one), and there must be findings.
func TestPrefilterExactOnMemberChains(t *testing.T) {
	for _, rng := range migrationsTo(t, "3.5.0") {
		t.Run(rng.TargetVersion().String(), func(t *testing.T) {
			db := apidb.Load()
			objs := db.ChangedMemberChains(rng.Source, rng.Target, 4)
			t.Logf("%d changed members with chains", len(objs))
			if len(objs) < 25 {
				t.Fatalf("only %d changed members with chains", len(objs))
			}
			ts := apidb.Triggers(rng.Source, rng.Target)
			with := prefiltered(rng)
			r := rand.New(rand.NewPCG(7, 17))
			n := 100
			if testing.Short() {
				n = 30
			}
			found := 0
			for range n {
				for _, c := range objs[r.IntN(len(objs))] {
					_, without := analyzeBoth(t, with, "import mlflow\nv = "+c+"\n")
					if len(without.Findings) > 0 && !spellsTrigger(ts, c) {
						t.Errorf("%s: %d findings, and it spells no trigger", c, len(without.Findings))
					}
					found += len(without.Findings)
				}
			}
			if found < n/4 {
				t.Errorf("%d findings in the chains of %d members: the sample reaches too few changed members", found, n)
			}
			t.Logf("%d findings in the chains of %d members", found, n)
		})
	}
}

// spellsTrigger reports whether the words of code (and mlflow) hold a
// trigger of ts: its name and every word of one of its alternatives.
func spellsTrigger(ts []apidb.Trigger, code string) bool {
	words := map[string]bool{"mlflow": true}
	for _, w := range strings.FieldsFunc(code, func(r rune) bool {
		return r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
	}) {
		words[w] = true
	}
	for _, tr := range ts {
		if !words[tr.Name] {
			continue
		}
		if len(tr.With) == 0 {
			return true
		}
		for _, alt := range tr.With {
			// The code is one statement, which writes the name in
			// its chain: WrittenMark holds.
			if !slices.ContainsFunc(alt, func(w string) bool { return !words[w] && w != apidb.WrittenMark }) {
				return true
			}
		}
	}
	return false
}

// TestPrefilterExactOnKeywordBreaks holds the keywords that the triggers of
// functions only keywords break add to their words: for a seeded sample of
// them, a call that names each keyword must give the same findings with the
// prefilter as without it (and some must give findings), and a call that
// passes as many positional arguments as the target takes and no keyword
// must give no finding of the generic rules and, most often, no parse at
// all (hand-written rules read some positions: MLF901, MLF016).
func TestPrefilterExactOnKeywordBreaks(t *testing.T) {
	for _, rng := range migrationsTo(t, "3.0.0") {
		t.Run(rng.TargetVersion().String(), func(t *testing.T) { exactOnKeywordBreaks(t, rng) })
	}
}

func exactOnKeywordBreaks(t *testing.T, rng analyzer.APIRange) {
	cases := apidb.Load().KeywordCases(rng.Source, rng.Target)
	if len(cases) < 10 {
		t.Fatalf("only %d functions that only keywords break", len(cases))
	}
	with := prefiltered(rng)
	r := rand.New(rand.NewPCG(11, 5))
	n := 60
	if testing.Short() {
		n = 20
	}
	named, skipped := 0, 0
	for range n {
		c := cases[r.IntN(len(cases))]
		var kw strings.Builder
		kw.WriteString("import mlflow\n")
		for _, k := range c.Keywords {
			fmt.Fprintf(&kw, "%s(%s=1)\n", c.Path, k)
		}
		args := make([]string, c.Positional)
		for i := range args {
			args[i] = fmt.Sprint(i)
		}
		plain := fmt.Sprintf("import mlflow\n%s(%s)\n", c.Path, strings.Join(args, ", "))
		for _, code := range []string{kw.String(), plain} {
			a, b := analyzeBoth(t, with, code)
			if code == plain {
				for _, f := range b.Findings {
					if slices.Contains(rules.GenericCodes, f.Code) {
						t.Errorf("a call of %s naming no keyword has a generic finding: %s %s", c.Path, f.Code, f.Message)
					}
				}
				if a.Parsed == 0 {
					skipped++
				}
			} else if len(b.Findings) > 0 {
				named++
			}
		}
	}
	if named < n/2 {
		t.Errorf("only %d of %d calls naming the keywords have findings", named, n)
	}
	if skipped < n/2 {
		t.Errorf("the prefilter skipped only %d of %d calls naming no keyword", skipped, n)
	}
	t.Logf("%d of %d calls naming keywords have findings; %d of %d plain calls not parsed", named, n, skipped, n)
}
