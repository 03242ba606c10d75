package apidb

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// A small data file in the generator's format: releases 0 to 3.
const sample = "# test data\n" +
	"versions\t1.0.0\t2.0.0\t2.1.0\t3.0.0\n" +
	"mlflow\tm\t*\n" +
	" Client\tx\t*\tt=mlflow.client.\n" +
	" client\tm\t*\n" +
	"  Base\tc\t*\n" +
	"   ping\tf\t*\tsig=self\n" +
	"  Client\tc\t*\tb=mlflow.client.Base\n" +
	"   __init__\tf\t0-2\tsig=self,uri=,token=\n" +
	"   __init__\tf\t3\tsig=self,uri=\n" +
	"   get_run\tf\t*\tsig=self,run_id\tret=mlflow.entities.Run\n" +
	"   list_things\tf\t0\tsig=self,view=\n" +
	"   search\tf\t0-2\tsig=self,query=,max=,**kwargs\n" +
	"   search\tf\t3\tsig=self,query=,+max=\tdepp=max\n" +
	"  Dyn\tc\t*\tdyn=1\n" +
	" entities\tm\t*\n" +
	"  Run\tx\t*\tt=mlflow.entities.run.\n" +
	"  run\tm\t*\n" +
	"   Run\tc\t*\n" +
	"    info\tp\t*\tret=mlflow.entities.run.RunInfo\n" +
	"   RunInfo\tc\t*\n" +
	"    run_uuid\tp\t0-2\n" +
	" old\tm\t0-2\n" +
	"  helper\tf\t0-2\tsig=/x,*args\tdep=1\talt=mlflow.client.Client\n"

func load(t *testing.T) *DB {
	t.Helper()
	db, err := Parse(sample)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestParse(t *testing.T) {
	db := load(t)
	if got := db.Versions(); !reflect.DeepEqual(got, []string{"1.0.0", "2.0.0", "2.1.0", "3.0.0"}) {
		t.Fatalf("versions %v", got)
	}
	if len(db.Inputs) != 1 || db.Inputs[0] != "test data" {
		t.Errorf("inputs %q", db.Inputs)
	}
	n := db.Node("mlflow.client.Client.search")
	if n == nil || len(n.Entries) != 2 {
		t.Fatalf("search: %+v", n)
	}
	old, cur := n.At(1), n.At(3)
	if old == cur || !old.In.Has(0) || old.In.Has(3) || !cur.In.Has(3) {
		t.Errorf("variants by release wrong: %+v %+v", old, cur)
	}
	want := []Param{{"self", PositionalOrKeyword, false}, {"query", PositionalOrKeyword, true}, {"max", KeywordOnly, true}}
	if !reflect.DeepEqual(cur.Params(), want) {
		t.Errorf("params %+v, want %+v", cur.Params(), want)
	}
	if !reflect.DeepEqual(cur.DeprecatedParams(), []string{"max"}) {
		t.Errorf("deprecated params %v", cur.DeprecatedParams())
	}
	h := db.Node("mlflow.old.helper").At(0)
	if ps := h.Params(); ps[0].Kind != PositionalOnly || ps[1].Kind != VarPositional || !h.Deprecated() || h.Alt() != "mlflow.client.Client" {
		t.Errorf("helper %+v", h)
	}
	if e := db.Node("mlflow.Client").At(0); e.Target() != "mlflow.client.Client" {
		t.Errorf("a trailing dot in t= names the re-export's own name: %q", e.Target())
	}
	if p := db.Node("mlflow.entities.run.RunInfo.run_uuid").Path(); p != "mlflow.entities.run.RunInfo.run_uuid" {
		t.Errorf("Path() = %q", p)
	}
}

func TestParseErrors(t *testing.T) {
	for _, bad := range []string{
		"",
		"versions\t1.0\nmlflow\tm\n",
		"versions\t1.0\nmlflow\tm\t0-3\n",
		"versions\t1.0\nmlflow\tm\t*\n   deep\tm\t*\n",
		"versions\t1.0\nmlflow\tm\tx\n",
		"versions\t1.0\nmlflow\tm\t*\n b\tm\t*\n a\tm\t*\n",
		// A variant of a path after its members, a second root, a bad
		// line deep in a module that a lazy read would not reach yet.
		"versions\t1.0\nmlflow\tm\t*\n a\tm\t*\n  x\tf\t*\n a\tc\t*\n",
		"versions\t1.0\nmlflow\tm\t*\nother\tm\t*\n",
		"mlflow\tm\t*\nversions\t1.0\nmlflow\tm\t*\n",
		"versions\t1.0\nmlflow\tm\t*\n a\tm\t*\n  b\tm\t*\n   c\tf\t9\n",
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) gave no error", bad)
		}
	}
}

func TestResolve(t *testing.T) {
	db := load(t)
	for _, c := range []struct {
		path string
		rel  int
		want Status
		at   int
		node string
	}{
		{"mlflow.Client", 0, Found, 0, "mlflow.client.Client"},
		{"mlflow.Client.ping", 3, Found, 0, "mlflow.client.Base.ping"}, // inherited
		{"mlflow.Client.list_things", 0, Found, 0, "mlflow.client.Client.list_things"},
		{"mlflow.Client.list_things", 1, Missing, 2, ""},
		{"mlflow.Client.__eq__", 1, Unknown, 2, ""}, // object's dunders
		{"mlflow.client.Dyn.anything", 1, Unknown, 3, ""},
		{"mlflow.entities.Run.info", 2, Found, 0, "mlflow.entities.run.Run.info"},
		{"mlflow.entities.Run.info.whatever", 2, Unknown, 4, ""}, // a value's members
		{"mlflow.old.helper", 2, Found, 0, "mlflow.old.helper"},
		{"mlflow.old.helper", 3, Missing, 1, ""},
		{"mlflow.nothing", 3, Missing, 1, ""},
		{"other.mlflow", 3, Unknown, 0, ""},
	} {
		r := db.Resolve(c.path, c.rel)
		if r.Status != c.want || r.Status != Found && r.At != c.at || r.Status == Found && r.Node.Path() != c.node {
			got := ""
			if r.Node != nil {
				got = r.Node.Path()
			}
			t.Errorf("Resolve(%s, %d) = %v at %d node %q; want %v at %d node %q", c.path, c.rel, r.Status, r.At, got, c.want, c.at, c.node)
		}
	}
	if r := db.Member("mlflow.client.Client", "get_run", 3); r.Status != Found || r.Entry.Returns() != "mlflow.entities.Run" {
		t.Errorf("Member get_run: %+v", r)
	}
}

func TestSelection(t *testing.T) {
	db := load(t)
	for spec, want := range map[string][]int{"2": {1, 2}, "2.1": {2}, "2.1.0": {2}, "3.0.0": {3}} {
		got, err := db.Selection(spec)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Selection(%q) = %v, %v; want %v", spec, got, err, want)
		}
	}
	for _, spec := range []string{"", "2.2", "2.1.0.1", "21"} {
		if _, err := db.Selection(spec); err == nil || !strings.Contains(err.Error(), "1.0.0, 2.0.0, 2.1.0, 3.0.0") {
			t.Errorf("Selection(%q): want an error listing the releases, got %v", spec, err)
		}
	}
}

func TestChangedNames(t *testing.T) {
	db := load(t)
	// From 2.x to 3.0: __init__ lost a keyword (so its class is the
	// trigger), search lost **kwargs, run_uuid and old.helper went.
	// list_things was gone before 2.0 (already broken there). Nothing else
	// changed.
	// A module's member needs the words of its path (mlflow aside), except
	// those a re-export avoids: mlflow.Client reaches client.Client without
	// spelling `client`, so the class's name alone triggers. A class's
	// member needs the words of one of its makers: RunInfo objects come
	// from mlflow.entities.run.RunInfo or from Run.info, a member of Run,
	// so from a Run (mlflow.entities.Run, or get_run of a client, which
	// comes from Client) and `info`. Client's own trigger fires alone,
	// but only where a call of it may break (its gate: one positional
	// argument after self, the keyword uri), so it stands for none of
	// the alternatives that hold `Client` (the one through get_run,
	// list_things', search's). search keeps a gate of its own: query
	// passes, max is deprecated, and one positional argument fits.
	// What went is reported only where its name is written, so its
	// alternatives ask for that (WrittenMark): old's fires in a statement
	// that writes `old` as a member, and old.helper needs a trigger of its
	// own, as a statement may write `helper` after an `old` it takes from
	// another (a module bound by an import).
	want := []Trigger{
		{"Client", nil, &CallGate{Cap: 1, AttrCap: 1, Keywords: []string{"uri"}}, nil},
		{"helper", [][]string{{WrittenMark, "old"}}, nil, nil},
		{"list_things", [][]string{{WrittenMark, "Client"}}, nil, nil},
		{"old", [][]string{{WrittenMark}}, nil, nil},
		{"run_uuid", [][]string{{WrittenMark, "Client", "get_run", "info"}, {WrittenMark, "Run", "entities", "info"}, {WrittenMark, "RunInfo", "entities", "run"}}, nil, nil},
		{"search", nil, &CallGate{Cap: 1, AttrCap: 1, Keywords: []string{"query"}}, [][]string{{"Client"}}},
	}
	if got := db.ChangedNames([]int{1, 2}, 3); !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedNames = %v, want %v", got, want)
	}
	// Within 2.x nothing changed but what 2.0 removed, and the deprecated
	// helper, which 2.1 has: no call of it breaks (its signature stays),
	// so it too is reported only where its name is written.
	if got := db.ChangedNames([]int{1}, 2); !reflect.DeepEqual(got, []Trigger{{"helper", [][]string{{WrittenMark, "old"}}, nil, nil}, {"list_things", [][]string{{WrittenMark, "Client"}}, nil, nil}}) {
		t.Errorf("ChangedNames(2.0 -> 2.1) = %v", got)
	}
}

func TestEmbedded(t *testing.T) {
	db := Load()
	if len(db.Versions()) < 2 || Newest() != db.Version(db.Last()) {
		t.Fatalf("embedded data: %d releases, newest %q vs %q", len(db.Versions()), Newest(), db.Version(db.Last()))
	}
	if r := db.Resolve("mlflow.MlflowClient", db.Last()); r.Status != Found || r.Entry.Kind != Class {
		t.Errorf("mlflow.MlflowClient in the newest release: %+v", r)
	}
}

// TestParseRanges checks release range lists against the indexes they
// spell, one by one, and refuses malformed lists whole.
func TestParseRanges(t *testing.T) {
	const n = 100
	rng := rand.New(rand.NewPCG(7, 7))
	for range 2000 {
		var want Set
		var parts []string
		for range 1 + rng.IntN(4) {
			lo := rng.IntN(n)
			hi := lo + rng.IntN(min(n-lo, 70))
			for i := lo; i <= hi; i++ {
				want.add(i)
			}
			if lo == hi && rng.IntN(2) == 0 {
				parts = append(parts, strconv.Itoa(lo))
			} else {
				parts = append(parts, fmt.Sprintf("%d-%d", lo, hi))
			}
		}
		list := strings.Join(parts, ",")
		var got Set
		if err := parseRanges(list, n, &got); err != nil || got != want {
			t.Fatalf("parseRanges(%q) = %v, %v; want %v", list, got, err, want)
		}
	}
	var all, want Set
	for i := range 128 {
		want.add(i)
	}
	if err := parseRanges("*", 128, &all); err != nil || all != want {
		t.Errorf(`parseRanges("*", 128) = %v, %v`, all, err)
	}
	for _, bad := range []string{"", ",", "1,", ",1", "3-", "-3", "5-2", "1-100", "100", "+1", "1x", "1-2-3", "99999", "a"} {
		var s Set
		if err := parseRanges(bad, n, &s); err == nil {
			t.Errorf("parseRanges(%q) accepted: %v", bad, s)
		}
	}
}

// TestLazyLoad: the embedded data is read a module at a time, and what a
// lazy read finds is what reading every line finds.
func TestLazyLoad(t *testing.T) {
	strict, err := Parse(embedded)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := parseLazy(embedded)
	if err != nil {
		t.Fatal(err)
	}
	if r := lazy.Resolve("mlflow.pyfunc.log_model", lazy.Last()); r.Status != Found {
		t.Fatalf("mlflow.pyfunc.log_model: %+v", r)
	}
	loaded := 0
	var count func(n *Node)
	count = func(n *Node) {
		loaded++
		for _, c := range n.children {
			count(c)
		}
	}
	count(lazy.root)
	all := strict.nodes()
	t.Logf("resolving mlflow.pyfunc.log_model read %d of %d nodes", loaded, len(all))
	if loaded*10 > len(all) {
		t.Errorf("resolving one path read %d of %d nodes", loaded, len(all))
	}
	for _, n := range all {
		m := lazy.Node(n.Path())
		if m == nil {
			t.Fatalf("%s: missing from the lazy read", n.Path())
		}
		if len(m.Entries) != len(n.Entries) || len(m.members()) != len(n.members()) {
			t.Fatalf("%s: %d entries and %d members, want %d and %d", n.Path(), len(m.Entries), len(m.members()), len(n.Entries), len(n.members()))
		}
		for i := range n.Entries {
			a, b := &n.Entries[i], &m.Entries[i]
			if a.Kind != b.Kind || a.In != b.In || a.fields != b.fields || b.node != m {
				t.Fatalf("%s: entry %d differs", n.Path(), i)
			}
		}
	}
	if got := lazy.nodes(); len(got) != len(all) {
		t.Errorf("%d nodes after the lazy read, %d read at once", len(got), len(all))
	}
}

// TestRootAlias: a module's binding of the mlflow package (import mlflow
// in the module) is not its API: paths through it are Unknown, and a
// module that stops importing mlflow changes nothing, unlike a module that
// drops a function.
func TestRootAlias(t *testing.T) {
	db, err := Parse("versions\t2.0.0\t3.0.0\n" +
		"mlflow\tm\t*\n" +
		" cli\tm\t*\n" +
		"  helper\tf\t0\tsig=\n" +
		"  mlflow\tx\t0\tt=mlflow\n" +
		" log_param\tf\t*\tsig=key,value\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"mlflow.cli.mlflow", "mlflow.cli.mlflow.log_param"} {
		for v := range 2 {
			if r := db.Resolve(p, v); r.Status != Unknown {
				t.Errorf("%s in release %d: %v, want Unknown", p, v, r.Status)
			}
		}
	}
	if r := db.Resolve("mlflow.cli.helper", 1); r.Status != Missing {
		t.Errorf("mlflow.cli.helper in 3.0.0: %v, want Missing", r.Status)
	}
	var names []string
	for _, tr := range db.ChangedNames([]int{0}, 1) {
		names = append(names, tr.Name)
	}
	if !reflect.DeepEqual(names, []string{"helper"}) {
		t.Errorf("changed names %v, want [helper]", names)
	}
}

// FuzzParseData: Parse never panics, and where it reads data, a lazy read
// of the same text finds the same paths with the same entries.
func FuzzParseData(f *testing.F) {
	f.Add(sample)
	f.Add("versions\t1.0\nmlflow\tm\t*\n a\tm\t*\n  x\tf\t*\n a\tc\t*\n")
	f.Add("versions\t1.0\t2.0\nmlflow\tm\t*\n\n a\tm\t0\n  b\tc\t1\tb=mlflow.a\n")
	f.Fuzz(func(t *testing.T, text string) {
		strict, err := Parse(text)
		if err != nil {
			return
		}
		lazy, err := parseLazy(text)
		if err != nil {
			t.Fatalf("Parse read it, the lazy read did not: %v", err)
		}
		for _, n := range strict.nodes() {
			m := lazy.Node(n.Path())
			if m == nil || len(m.Entries) != len(n.Entries) || len(m.members()) != len(n.members()) {
				t.Fatalf("%s differs", n.Path())
			}
			for i := range n.Entries {
				if m.Entries[i].In != n.Entries[i].In || m.Entries[i].fields != n.Entries[i].fields || m.Entries[i].Kind != n.Entries[i].Kind {
					t.Fatalf("%s: entry %d differs", n.Path(), i)
				}
			}
		}
	})
}

// BenchmarkFirstLookup measures what a run pays before its first lookup
// of a module's member: the header and root of the embedded data, and the
// members of the root.
func BenchmarkFirstLookup(b *testing.B) {
	for b.Loop() {
		db, err := parseLazy(embedded)
		if err != nil {
			b.Fatal(err)
		}
		db.root.members()
	}
}
