package analyzer

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/apidb"
)

// TestGateHolds reads the use of `save` marked by the first `@` of each
// source (the mark removed) under a gate of three positional arguments
// (two after a dot) and the keywords path and example: it holds wherever
// the call's arguments or the use itself may be reported.
func TestGateHolds(t *testing.T) {
	g := &apidb.CallGate{Cap: 3, AttrCap: 2, Keywords: []string{"example", "path"}}
	for _, c := range []struct {
		src  string
		want bool
	}{
		// Calls that fit.
		{"@save(m, e, p)", false},
		{"@save(m, e, path=p)", false},
		{"@save(m, e, p,)", false},
		{"@save ( m,\n  e  # a comment, with (\n  , example = \"(,\" )", false},
		{"x = @save(m, *rest, path=p)", false},
		{"@save(m, [a, b, c], {d: e, f: g})", false},
		{"@save(m, b'a, b', r'\\', ')", false},
		{"@save(m, lambda: (a, b), p)", false},
		{"@save()", false},
		{"@save(m, e, \\\n p)", false},
		{"@save \\\n(m, e, p)", false},
		{"obj.@save(m, e)", false},
		{"@save(m, a == b, p)", false},
		{"@save(m, (a := 1), p)", false},
		{"@save(m, a for a in b)", false},
		// Calls that may be reported.
		{"@save(m, e, p, True)", true},
		{"@save(m, [a, b, c], {d: e, f: g}, (h, i))", true},
		{"@save(m, e, no_conversion=True)", true},
		{"@save(m, e, mlflow_model=m)", true},
		{"@save(m, **kwargs)", true},
		{"@save(m, **{\"no_conversion\": True})", true},
		{"obj.@save(m, e, p)", true},
		{"obj.  # a comment\n  @save(m, e, p)", true},
		{"(obj  # a comment\n  .@save(m, e, p))", true},
		{"@save(m, f\"{a, b}\")", true},
		{"@save(m, e, lambda a, b: 1)", true},
		{"@save(m, e", true},
		{"@save(m, 'e", true},
		{"@save(m, e]", true},
		// Uses other than a call.
		{"f = @save", true},
		{"partial(@save, m)", true},
		{"@@save", true},
		{"class C(@save): pass", true},
		{"@save.__wrapped__(m)", true},
		{"@save . __init__(self, m)", true},
		{"@save.", true},
		{"@save.from_proto(p)", false},
		{"x = @save.attr", false},
		{"def f() -> @save:", false},
		{"def f() -> @save(m, e, p, x):", true},
		{"def f() -> \\\n  @save:", false},
		{"x = a - > @save", true},
		{"x = a>@save", true},
		{"(a -  # ->\n @save)", true},
		{"@save[0](m)", true},
		{"f(@save\n(m, e, p))", true},
		{"x: @save = None", true},
		// Imports.
		{"from mlflow.models.utils import @save", false},
		{"from mlflow.models.utils import a, @save, b", false},
		{"from mlflow.models.utils import (\n    a,\n    @save,\n)", false},
		{"from . import @save", false},
		{"from .utils import \\\n    @save", false},
		{"import @save", false},
		{"from mlflow.models.utils import @save as s", true},
		{"from mlflow.models.utils import (\n    @save\n    as s,\n)", true},
		{"from mlflow.models.utils import (@save  # keep\n, a)", false},
		{"from mlflow.models.utils import a as b, @save", false},
		{"from mlflow.models.utils import a\n@save, b = 1, 2", true},
		{"from mlflow.models.utils import a, b\n(@save, c) = 1, 2", true},
		{"# from m import (\n@save, c)", true},
		{"from m import (a,  # b\n @save)", true},
		{"x = y import @save", true},
		{"from mlflow.@save import a", true},
	} {
		at := strings.Index(c.src, "@save")
		if strings.HasPrefix(c.src, "@@") {
			at = 1
		}
		src := []byte(c.src[:at] + c.src[at+1:])
		budget := 1 << 20
		if got := gateHolds(src, at, false, g, &budget); got != c.want {
			t.Errorf("%q: gateHolds = %v, want %v", c.src, got, c.want)
		}
	}
	// A whole string literal holds; so does any use once the budget is
	// spent.
	budget := 1 << 20
	if !gateHolds([]byte(`getattr(m, "save")`), 12, true, g, &budget) {
		t.Error("a quoted name: does not hold")
	}
	budget = 0
	if !gateHolds([]byte("save(m, e, p)"), 0, false, g, &budget) {
		t.Error("a call read past the budget: does not hold")
	}
	// Each read spends the bytes it reads.
	budget = 100
	gateHolds([]byte("save(m, e, p)"), 0, false, g, &budget)
	if budget != 100-len("(m, e, p)") {
		t.Errorf("a call of 9 bytes left a budget of %d", budget)
	}
}

// TestGateOpenKeywords: under a gate of a target that takes **kwargs,
// only the keywords it lists (deprecated ones) hold.
func TestGateOpenKeywords(t *testing.T) {
	g := &apidb.CallGate{Cap: -1, AttrCap: -1, Open: true, Keywords: []string{"old"}}
	budget := 1 << 20
	for src, want := range map[string]bool{
		"f(a, b, c, d, e, any=1)": false,
		"f(a, old=1)":             true,
		"f(a, **kw)":              true,
	} {
		if got := gateHolds([]byte(src), 0, false, g, &budget); got != want {
			t.Errorf("%q: gateHolds = %v, want %v", src, got, want)
		}
	}
}

// TestGateSplat: a gate that counts positional arguments beside an
// unpacked sequence (a rule that reads those before it) holds where they
// are too many; one that does not, never at such a call.
func TestGateSplat(t *testing.T) {
	budget := 1 << 20
	for _, splat := range []bool{false, true} {
		g := &apidb.CallGate{Cap: 1, AttrCap: 1, Open: true, Splat: splat}
		if got := gateHolds([]byte("f(a, b, *rest)"), 0, false, g, &budget); got != splat {
			t.Errorf("Splat %v: gateHolds = %v", splat, got)
		}
		if gateHolds([]byte("f(a, *rest)"), 0, false, g, &budget) {
			t.Errorf("Splat %v: one positional argument holds", splat)
		}
	}
}

// TestGatingBareTrigger: a trigger without alternatives that a set gates
// fires in a whole source wherever its word is, and where a source is
// read a statement at a time only with a use that holds its gate.
func TestGatingBareTrigger(t *testing.T) {
	ws := NewWords(func() WordSet { return WordSet{"save": nil} }).Gating("save", &apidb.CallGate{Cap: 1, AttrCap: 1, Open: true})
	rt := newRuleTriggers([]*analysis.Analyzer{{Name: "X"}}, nil, map[string]*Words{"X": ws})
	rt.vocabulary()
	id := rt.vocab.id([]byte("save"))
	p := rt.newPresence()
	p.bits[id/64] |= 1 << (id % 64)
	p.ids = append(p.ids, id)
	sel := rt.selectSets([]int{0})
	always := func(int) bool { return true }
	if !rt.firesAny(sel, p, always) {
		t.Error("a whole source: the gated word does not fire")
	}
	p.held = make([]uint64, len(p.bits))
	if rt.firesAny(sel, p, always) {
		t.Error("a statement without a use that holds the gate fires")
	}
	p.held[id/64] |= 1 << (id % 64)
	if !rt.firesAny(sel, p, always) {
		t.Error("a statement with a use that holds the gate does not fire")
	}
}
