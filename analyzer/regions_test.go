package analyzer

import (
	"bytes"
	"context"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

// regionText lists each region of src as "name|def|class: first line".
func regionText(src string) []string {
	var out []string
	for _, r := range splitRegions([]byte(src)) {
		text := src[r.start:r.end]
		first := strings.TrimSpace(strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' })[0])
		kind := "stmt"
		switch {
		case r.class:
			kind = "class " + r.name
		case r.def:
			kind = "def " + r.name
		}
		out = append(out, kind+": "+first)
	}
	return out
}

func TestSplitRegions(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"statements", "import a\nx = 1\ndef f():\n    return 1\nclass C(B):\n    pass\n",
			[]string{"stmt: import a", "stmt: x = 1", "def f: def f():", "class C: class C(B):"}},
		{"decorators and async", "@d\n@e(1)\nasync def f():\n    pass\n@c\nclass K: pass\n",
			[]string{"def f: @d", "class K: @c"}},
		{"decorators then no def", "@d\nx = 1\ny = 2\n",
			[]string{"stmt: @d", "stmt: x = 1", "stmt: y = 2"}},
		{"clauses", "try:\n    import a\nexcept ImportError:\n    a = None\nelse:\n    pass\nfinally:\n    pass\nif x:\n    pass\nelif y:\n    pass\n",
			[]string{"stmt: try:", "stmt: if x:"}},
		{"string with statements in it", "s = \"\"\"\ndef g():\nimport b\n\"\"\"\nt = '''\nclass Z: pass\n'''\nz = 'a\\\nb'\n",
			[]string{"stmt: s = \"\"\"", "stmt: t = '''", "stmt: z = 'a\\"}},
		{"brackets and continuations", "x = (\n1,\n)\ny = [\n]\nz = 1 + \\\n2\nw = {\n}\n",
			[]string{"stmt: x = (", "stmt: y = [", "stmt: z = 1 + \\", "stmt: w = {"}},
		{"comments and blank lines", "# head\n\nimport a\n# between\n\ndef f():\n    pass\n# tail\n",
			[]string{"stmt: # head", "def f: def f():"}},
		{"a comment's quote and bracket", "x = 1  # it's (\ndef f():\n    pass\n",
			[]string{"stmt: x = 1  # it's (", "def f: def f():"}},
		{"crlf and lone cr", "import a\r\ndef f():\r\n    pass\r\nx = 1\ry = 2\r",
			[]string{"stmt: import a", "def f: def f():", "stmt: x = 1", "stmt: y = 2"}},
		{"form feed", "def f():\n    pass\n\fdef g():\n    pass\n",
			[]string{"stmt: def f():"}},
		{"def with a clause", "def f():\n    pass\nelse:\n    pass\n",
			[]string{"stmt: def f():"}},
		{"keyword name", "def import():\n    pass\n", []string{"stmt: def import():"}},
	} {
		if got := regionText(tc.src); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestSplitRegionsCover: the regions are adjacent and cover the source,
// whatever it holds.
func TestSplitRegionsCover(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# only\n", "x", "'''open", "(\n(\n", "a\nb\n  c\nd", "\"\\\n"} {
		regs := splitRegions([]byte(src))
		at := 0
		for _, r := range regs {
			if r.start != at || r.end <= r.start {
				t.Errorf("%q: region %d..%d after %d", src, r.start, r.end, at)
			}
			at = r.end
		}
		if len(regs) > 0 && at != len(src) {
			t.Errorf("%q: regions end at %d of %d", src, at, len(src))
		}
	}
}

func TestImportBindings(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []string
		ok   bool
	}{
		{"import a.b.c\n", []string{"a"}, true},
		{"import a.b as x, c\n", []string{"x", "c"}, true},
		{"from a.b import c, d as e\n", []string{"c", "e"}, true},
		{"from . import c\n", []string{"c"}, true},
		{"from ..a import (\n    b,  # note\n    c as d,\n)\n# after\n", []string{"b", "d"}, true},
		{"from a import \\\n    b\n", []string{"b"}, true},
		{"from a import *\n", nil, false},
		{"import a; b = 1\n", nil, false},
		{"x = 1\n", nil, false},
		{"from a import (b\n", nil, false},
		{"import a as\n", nil, false},
	} {
		got, ok := importBindings([]byte(tc.src))
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: got %q %v, want %q %v", tc.src, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSimpleBinding(t *testing.T) {
	for _, tc := range []struct {
		src, want string
		ok        bool
	}{
		{"x = f(a=1, b=[c == d])\n", "x", true},
		{"x: Client = make()\n", "x", true},
		{"x: Client\n", "x", true},
		{"x += 1\n", "x", true},
		{"x //= 2\n", "x", true},
		{"x >>= 2\n", "x", true},
		{"\"\"\"Docstring.\"\"\"\n# comment\n", "", true},
		{"# lead\nx = 1\n", "x", true},
		{"x = y = 1\n", "", false},
		{"x = (y := 1)\n", "", false},
		{"x = 1; y = 2\n", "", false},
		{"\"a\" if x else y\n", "", false},
		{"\"a\".join(x)\n", "", false},
		{"f(x)\n", "", false},
		{"x == 1\n", "", false},
		{"a, b = 1, 2\n", "", false},
		{"x[0] = 1\n", "", false},
		{"if x:\n    y = 1\n", "", false},
	} {
		got, ok := simpleBinding([]byte(tc.src))
		if ok != tc.ok || got != tc.want {
			t.Errorf("%q: got %q %v, want %q %v", tc.src, got, ok, tc.want, tc.ok)
		}
	}
}

func TestImportsMlflow(t *testing.T) {
	for src, want := range map[string]bool{
		"import mlflow\n":                   true,
		"import os, mlflow.pyfunc as p\n":   true,
		"import os.path as p, mlflow\n":     true,
		"from mlflow.entities import Run\n": true,
		"def f():\n    import mlflow\n":     true,
		"import mlflow_extensions\n":        false,
		"from .mlflow import x\n":           false,
		"import os\nx = mlflow\n":           false,
		"from os import mlflow\n":           false,
	} {
		if got := importsMlflow([]byte(src)); got != want {
			t.Errorf("%q: %v, want %v", src, got, want)
		}
	}
	if !hasWildcardImport([]byte("from mlflow.entities import *\n")) || hasWildcardImport([]byte("from a import b\nx = a * b\n")) {
		t.Error("hasWildcardImport")
	}
}

// TestRegionGraphIsBounded: a source whose every statement binds and uses
// one name (hostile: the uses grow with the square of the statements)
// gives up on its budget at once, instead of building them.
func TestRegionGraphIsBounded(t *testing.T) {
	src := []byte(strings.Repeat("a = a\n", 50000))
	regs := splitRegions(src)
	if len(regs) != 50000 {
		t.Fatalf("%d regions", len(regs))
	}
	if g := buildRegionGraph(src, regs, nil, true, regionBudget*len(src)); g != nil {
		t.Errorf("a graph of %d regions within the budget", len(regs))
	}
	small := []byte("import mlflow\n\ndef f():\n    return mlflow.x\n\ndef g():\n    return f()\n")
	g := buildRegionGraph(small, splitRegions(small), nil, true, regionBudget*len(small))
	if g == nil || fmt.Sprint(g.uses) != "[[] [0] []]" {
		t.Errorf("uses %v, want f using the import, g using nothing (f is a function)", g)
	}
}

// TestNameTable: every name added is found under its id, through the
// table's growth, and names it lacks are not, colliding hashes included.
func TestNameTable(t *testing.T) {
	var nt nameTable
	for i := 0; i < 1000; i++ {
		w := []byte(fmt.Sprintf("name_%d", i))
		if _, ok := nt.find(w, hashWord(w)); ok {
			t.Fatalf("%s found before it was added", w)
		}
		if id := nt.add(w, hashWord(w)); id != int32(i) {
			t.Fatalf("%s numbered %d", w, id)
		}
	}
	for i := 0; i < 1000; i++ {
		w := []byte(fmt.Sprintf("name_%d", i))
		if id, ok := nt.find(w, hashWord(w)); !ok || id != int32(i) {
			t.Errorf("%s: %d %v", w, id, ok)
		}
	}
	// A word with the hash of another is told apart by its bytes.
	w := []byte("name_1")
	if _, ok := nt.find([]byte("other"), hashWord(w)); ok {
		t.Error("a different word under name_1's hash was found")
	}
}

// pieceText lists the regions of src after splitPieces as "kind: text"
// (the text's blanks trimmed), with "class N" for a header piece of a
// class, "method N" for a method, "import N..." for the first piece of
// an import statement (N... all its names) and "name N" for the piece of
// one name.
func pieceText(src string) []string {
	var out []string
	for _, r := range splitPieces([]byte(src), splitRegions([]byte(src))) {
		kind := "stmt"
		switch {
		case r.method:
			kind = "method " + r.name
		case r.imp && r.head:
			kind = "import " + strings.Join(r.names, " ")
		case r.imp:
			kind = "name " + strings.Join(r.names, " ")
		case r.class:
			kind = "class " + r.name
		case r.def:
			kind = "def " + r.name
		}
		if r.group > 0 {
			kind = fmt.Sprintf("%d %s", r.group, kind)
		}
		out = append(out, kind+": "+strings.TrimSpace(src[r.start:r.end]))
	}
	return out
}

func TestSplitPieces(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"class", "@dataclass\nclass C(B):\n    \"\"\"Doc.\n    def fake(self): pass\n    \"\"\"\n\n    def a(self):\n        def inner():\n            pass\n        return inner\n\n    @property\n    def b(self):\n        return 1\n    x = 1\n    y = 2\n\n    async def c(self):\n        pass\n# tail\nz = 1\n",
			[]string{
				"1 class C: @dataclass\nclass C(B):\n    \"\"\"Doc.\n    def fake(self): pass\n    \"\"\"",
				"1 method a: def a(self):\n        def inner():\n            pass\n        return inner",
				"1 method b: @property\n    def b(self):\n        return 1",
				"1 class C: x = 1\n    y = 2",
				"1 method c: async def c(self):\n        pass\n# tail",
				"stmt: z = 1",
			}},
		{"methods only, multi-line header", "class C(\n    B,\n):\n    def a(self):\n        return (\n    1)\n    def b(self): return 2\n",
			[]string{"1 class C: class C(\n    B,\n):", "1 method a: def a(self):\n        return (\n    1)", "1 method b: def b(self): return 2"}},
		{"tabs and crlf", "class C:\r\n\tdef a(self):\r\n\t\tpass\r\n\tdef b(self):\r\n\t\tpass\r\n",
			[]string{"1 class C: class C:", "1 method a: def a(self):\r\n\t\tpass", "1 method b: def b(self):\r\n\t\tpass"}},
		{"class statement kept whole", "class A: pass\nclass B:\n    x = 1\nclass C:\n    def f(self):\n        global g\nclass D:\n    def f(self):\n        pass\n  \tdef g(self):\n        pass\nclass E:\n    def f(self):\n        # global in a comment\n        return 'global'\n",
			[]string{"class A: class A: pass", "class B: class B:\n    x = 1", "class C: class C:\n    def f(self):\n        global g",
				"class D: class D:\n    def f(self):\n        pass\n  \tdef g(self):\n        pass",
				"1 class E: class E:", "1 method f: def f(self):\n        # global in a comment\n        return 'global'"}},
		{"imports", "from a.b import (x, y as z,  # c, d\n    w,\n)\nimport p.q, r as s\nimport one\nfrom m import *\nfrom n import k\n",
			[]string{"1 import x z w: from a.b import", "1 name x: (x,", "1 name z: y as z,", "1 name w: # c, d\n    w,\n)",
				"2 import p s: import", "2 name p: p.q,", "2 name s: r as s",
				"stmt: import one", "stmt: from m import *", "stmt: from n import k"}},
	} {
		if got := pieceText(tc.src); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestClassEdges: a method needs the header, the methods that may assign
// the members it reads (with their closures) and those named like them
// (to exist only), not those it assigns alone, and the methods named by
// the names it uses (a setter's decorator); a class-level statement, the
// methods it names, not those of the members it reads.
func TestClassEdges(t *testing.T) {
	src := []byte("class C:\n    def __init__(self):\n        self.client = make()\n        self.n = 0\n" +
		"    def use(self):\n        self.n = 1\n        return self.client.get(self.helper())\n" +
		"    def helper(self):\n        return 1\n    def other(self):\n        self.a, self.b = 1, 2\n" +
		"    @helper.setter\n    def helper(self, v):\n        pass\n    run = property(helper)\n    n = self.other\n")
	regs := splitPieces(src, splitRegions(src))
	g := buildRegionGraph(src, regs, nil, true, regionBudget*len(src))
	if len(regs) != 7 || g == nil {
		t.Fatalf("%d regions, graph %v", len(regs), g)
	}
	names := func(edges []int32) []string {
		var out []string
		for _, u := range edges {
			out = append(out, pieceText(string(src))[u][:strings.Index(pieceText(string(src))[u], ":")])
		}
		return out
	}
	for k, want := range map[int][]string{
		1: {"1 class C", "1 class C"},
		2: {"1 class C", "1 class C", "1 method __init__"},
		3: {"1 class C", "1 class C"},
		4: {"1 class C", "1 class C"},
		5: {"1 class C", "1 class C", "1 method helper"},
		6: {"1 class C", "1 method helper", "1 method helper"},
	} {
		if got := names(g.uses[k]); !reflect.DeepEqual(got, want) {
			t.Errorf("uses of %d: %q, want %q", k, got, want)
		}
	}
	for k := range regs {
		var want []string
		if k == 2 {
			want = []string{"1 method helper", "1 method helper"} // self.helper()
		}
		if got := names(g.exist[k]); !reflect.DeepEqual(got, want) {
			t.Errorf("methods %d needs to exist: %q, want %q", k, got, want)
		}
	}
}

// TestClassEdgesReadScopes: a method reads a member of its class's
// instance only through its first parameter's name (or a parenthesized
// expression, or across a comment, which cannot be told), and neither a
// member of another object, nor a name in its body (class-level names are
// out of a method body's scope), nor its docstring's words reach a
// method; a default value does. A member assigned on another object
// defines nothing.
func TestClassEdgesReadScopes(t *testing.T) {
	src := []byte("class C:\n" +
		"    def __init__(self):\n        self.client = make()\n        self.store = other.client\n" +
		"    def get(self):\n        return 1\n" +
		"    def use(s):\n        return s.store.get()\n" +
		"    def wrap(self):\n        x = obj.get()\n        return (self).get()\n" +
		"    def body(self):\n        return get() + items[0].get\n" +
		"    def deco(self, d=get):\n        pass\n" +
		"    def assigns(self):\n        thing.client = 1\n" +
		"    def reads(self):\n        return self.client\n" +
		"    def commented(self):\n        return (self  # why\n            .get())\n" +
		"    def documented(this):\n        \"\"\"Calls self.get() and this.get().\"\"\"\n        return this.store\n")
	regs, g := pieceGraph(t, src, 11)
	want := [][]int32{
		nil,    // the header
		{0},    // __init__: reads other.client, a member of another object
		{0},    // get
		{0, 1}, // use: s.store (the first parameter), not s.store.get
		{0},    // wrap: (self).get (to exist), not obj.get
		{0},    // body: get() and items[0].get
		{0, 2}, // deco: its default value
		{0},    // assigns
		{0, 1}, // reads: self.client, assigned by __init__ alone
		{0},    // commented: a comment between self and .get (to exist)
		{0, 1}, // documented: this.store, not the docstring's words
	}
	wantUses(t, src, regs, g, want)
	for k := range regs {
		var want []int32
		if k == 4 || k == 9 {
			want = []int32{2} // get, read as a member of the instance
		}
		if got := g.exist[k]; !slices.Equal(got, want) {
			t.Errorf("methods piece %d needs to exist: %v, want %v", k, got, want)
		}
	}
	for k, w := range map[int]string{1: "self", 3: "s", 10: "this"} {
		if regs[k].self != w {
			t.Errorf("first parameter of piece %d: %q, want %q", k, regs[k].self, w)
		}
	}
}

// TestClassEdgesAssignments: a method that reads self.x needs the
// methods that assign x as the typer reads assignments (plain, chained,
// augmented, annotated, an item of a bare or parenthesised tuple of
// targets), not those that pass it to a call, compare it, test it,
// return it in a tuple, loop over it or list it in a list of targets.
func TestClassEdgesAssignments(t *testing.T) {
	assigns := []string{
		"self.x = 1",
		"a = self.x = 1",
		"self.x += 1",
		"self.x //= 2",
		"self.x **= 2",
		"self.x >>= 1",
		"self.x: int = 1",
		"self.x: int",
		"if c: self.x: int = 1",
		"a, self.x = 1, 2",
		"self.x, = [1]",
		"self.x, a = f(b=1)",
		"(a, self.x) = f()",
		"(self.x, a) = f()",
		"(\n            self.x,  # why\n            a,\n        ) = f()",
		"a, \\\n            self.x = 1, 2",
		"self.x, \\\r\n            a = 1, 2",
		"self.x[0], self.x = 1, 2",
	}
	reads := []string{
		"f(self.x, 1)",
		"f(self.x)",
		"f(a=self.x, b=1)",
		"f(\n            self.x,\n            b=1,\n        )\n        y = 2",
		"if self.x:\n            pass",
		"while self.x: pass",
		"return self.x <= 1",
		"return self.x >= 1",
		"return self.x == 1",
		"return self.x != 1",
		"return self.x < 1 and self.x > 2",
		"return self.x + 1",
		"return self.x, 1\n        y = 2",
		"for self.x, b in pairs:\n            pass",
		"[a, self.x] = f()",
		"f(self.x, 1)[0] = 2",
		"d = {self.x: 1}",
		"s = a[self.x:]",
		"s = {self.x, 1}\n        t = 2",
		"s = \"self.x, y = 1\"",
		"s = f\"{self.x, 1}\"\n        t = 2",
		"lambda: (self.x, 1)",
	}
	var b strings.Builder
	b.WriteString("class C:\n    def use(self):\n        return self.x.get()\n")
	for k, body := range append(append([]string{}, assigns...), reads...) {
		fmt.Fprintf(&b, "    def m%d(self):\n        %s\n", k, body)
	}
	src := []byte(b.String())
	regs, g := pieceGraph(t, src, 2+len(assigns)+len(reads))
	want := map[int32]bool{0: true}
	for k := range assigns {
		want[int32(2+k)] = true
	}
	got := map[int32]bool{}
	for _, u := range g.uses[1] {
		got[u] = true
	}
	for k := range regs {
		if got[int32(k)] != want[int32(k)] {
			t.Errorf("use needs %q: %v, want %v", src[regs[k].start:regs[k].end], got[int32(k)], want[int32(k)])
		}
	}
}

// TestDefinedNames: the name a def or class statement defines follows
// its keyword on the keyword's line, the keyword starting a statement; a
// keyword at the end of a comment, or inside another word, defines
// nothing. "|" marks the word asked about.
func TestDefinedNames(t *testing.T) {
	for _, c := range []struct {
		src        string
		def, class bool
	}{
		{"def |f():", true, false},
		{"    def |f(self):", true, false},
		{"async def |f():", true, false},
		{"  async  def |f():", true, false},
		{"x = 1\r\ndef |f():", true, false},
		{"class |C:", false, true},
		{"\tclass |C(B):", false, true},
		{"x = 1\nclass |C:", false, true},
		{"# a base class\n|C()", false, false},
		{"# see def\n|f()", false, false},
		{"# see def |f", false, false},
		{"undef |f", false, false},
		{"myclass |C", false, false},
		{"x.def |f", false, false},
		{"\"def |f\"", false, false},
		{"def\\\n|f():", false, false},
		{"sync def |f():", false, false},
		{"def|f", false, false},
	} {
		i := strings.Index(c.src, "|")
		src := []byte(strings.Replace(c.src, "|", "", 1))
		if got := definedAt(src, i); got != c.def {
			t.Errorf("definedAt(%q): %v, want %v", c.src, got, c.def)
		}
		if got := classNamedAt(src, i); got != c.class {
			t.Errorf("classNamedAt(%q): %v, want %v", c.src, got, c.class)
		}
	}
}

// TestFirstParam: the first parameter of a def statement, across line
// breaks and comments, or "" where there is none or the header is not
// plain.
func TestFirstParam(t *testing.T) {
	for src, want := range map[string]string{
		"def f(self): pass":                             "self",
		"async def f(cls, x): pass":                     "cls",
		"def f(\n    # c\n    me: 'C' = None,\n): pass": "me",
		"def f(self, /): pass":                          "self",
		"def f(): pass":                                 "",
		"def f(*args): pass":                            "",
		"def f(**kw): pass":                             "",
		"def f(1x): pass":                               "",
		"class C: pass":                                 "",
		"def f\\\n(self): pass":                         "self",
	} {
		if got := firstParam([]byte(src), 0); got != want {
			t.Errorf("firstParam(%q) = %q, want %q", src, got, want)
		}
	}
	for src, want := range map[string]int{
		"def f(self, d={'a': 1}, e=lambda: 2) -> Dict[str, int]:\n    pass": 55,
		"def f(self, s='):'):  # ):\n    pass":                              20,
		"def f(self":                                                        0,
	} {
		if got := bodyStart([]byte(src), 0, len(src)); got != want {
			t.Errorf("bodyStart(%q) = %d, want %d", src, got, want)
		}
	}
}

// TestSoftSpans: comments and the statements made of string literals
// alone, at any depth, and nothing else.
func TestSoftSpans(t *testing.T) {
	src := "\"\"\"Module doc.\"\"\"\nimport a  # why\n\n\ndef f():\n    r'''Doc''' \\\n        \"more\"  # c\n" +
		"    x = \"not alone\"\n    \"a\".format(x)\n    f\"{(y := 1)}\"\n    \"a\"; z = 1\n    b'ok'\n    return (\n        \"in brackets\"\n    )\n"
	var got []string
	for _, sp := range softSpans([]byte(src)) {
		got = append(got, src[sp[0]:sp[1]])
	}
	want := []string{"\"\"\"Module doc.\"\"\"", "# why", "r'''Doc''' \\\n        \"more\"", "# c", "b'ok'"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestCodeNames: the names of comments and docstrings neither bind nor
// use: a function whose docstring and comments name `helper` does not
// need the statement that binds it, one whose code names it does (also
// right after a comment, after a dot or not), and a module-level `if`
// whose comment names `client` binds nothing.
func TestCodeNames(t *testing.T) {
	src := []byte("helper = make()\nif ready:  # client\n    pass\n" +
		"def doc():\n    \"\"\"Calls helper and client.\"\"\"\n    return 1  # helper\n" +
		"def code():\n    return helper()\n" +
		"def split():\n    return x.  # why\n        helper\n" +
		"def uses():\n    return client\n")
	regs, g := pieceGraph(t, src, 6)
	wantUses(t, src, regs, g, [][]int32{nil, nil, nil, {0}, {0}, nil})
	// Without the spans, comments and docstrings count as code: the
	// docstring uses helper and client, which the `if` binds by its
	// comment.
	g = buildRegionGraph(src, regs, nil, true, regionBudget*len(src))
	if got := g.uses[2]; !slices.Equal(got, []int32{0, 1}) {
		t.Errorf("uses of the docstring's function without spans: %v", got)
	}
}

// TestGlobalBindings: a function binds, besides its name, the names its
// global statements list (continued lines, nested functions, more than
// one statement), not the other words it holds, nor those of a comment or
// a string that says global: a statement that uses spark needs neither
// setup nor cached, one that uses a listed name needs the function.
func TestGlobalBindings(t *testing.T) {
	src := []byte("def setup(spark):\n    global _cache, \\\n        _conf\n    def inner():\n        global _other; x = 1\n" +
		"    # global spark\n    s = 'global spark'\n    _cache = spark\n" +
		"def cached():\n    \"\"\"Has global state.\"\"\"\n    return spark\n" +
		"def uses():\n    return spark.version\n" +
		"def reads():\n    return _cache, _conf, _other\n")
	regs, g := pieceGraph(t, src, 4)
	wantUses(t, src, regs, g, [][]int32{nil, nil, nil, {0, 0, 0}}) // a use per name
	if got, want := globalNames(src), []string{"_cache", "_conf", "_other"}; !slices.Equal(got, want) {
		t.Errorf("globalNames = %q, want %q", got, want)
	}
}

// TestProseString: a string literal holds prose where its value has a
// character no dotted name has, written as itself; f-strings and template
// strings (code in braces), escapes that may stand for a dot or a name's
// character, and unterminated literals do not count.
func TestProseString(t *testing.T) {
	for src, want := range map[string]bool{
		`"mlflow.pyfunc"`:                false,
		`"Use mlflow.pyfunc.load_model"`: true,
		`'mlflow/pyfunc'`:                true,
		`""`:                             false,
		`""""""`:                         false,
		`"""multi` + "\n" + `line"""`:    true,
		`b"a:b"`:                         true,
		`Rb'a b'`:                        true,
		`f"{mlflow.pyfunc} x"`:           false,
		`rf"a b"`:                        false,
		`t"a b"`:                         false,
		`r"mlflow\.x"`:                   true,
		`"mlflow\x2epyfunc"`:             false,
		`"mlflow\N{FULL STOP}pyfunc"`:    false,
		`"mlflow.\` + "\n" + `pyfunc"`:   false,
		`"mlflow.\` + "\r\n" + `pyfunc"`: false,
		`"a\"b c"`:                       true,
		`"unterminated prose`:            false,
		`"""unterminated prose"`:         false,
		`x = "two words"`:                true,
		`if"two words"`:                  false, // read as an f prefix: no harm
	} {
		i := strings.IndexAny(src, `"'`)
		j := parser.StringEnd([]byte(src), i)
		if got := proseString([]byte(src), i, j); got != want {
			t.Errorf("proseString(%s) = %v, want %v", src, got, want)
		}
	}
}

// wantUses requires the uses of each piece of g to be want's.
func wantUses(t *testing.T, src []byte, regs []region, g *regionGraph, want [][]int32) {
	t.Helper()
	for k, w := range want {
		if got := g.uses[k]; !slices.Equal(got, w) {
			t.Errorf("uses of piece %d (%.20q): %v, want %v", k, src[regs[k].start:regs[k].end], got, w)
		}
	}
}

// pieceGraph splits src into its pieces, which must number n, and builds
// their graph, comments and docstrings read as such.
func pieceGraph(t *testing.T, src []byte, n int) ([]region, *regionGraph) {
	t.Helper()
	top, soft, _ := splitSource(src, true)
	regs := splitPieces(src, top)
	g := buildRegionGraph(src, regs, soft, true, regionBudget*len(src))
	if len(regs) != n || g == nil {
		t.Fatalf("%d regions, graph %v", len(regs), g)
	}
	return regs, g
}

// TestContainsFold compares containsFold with a comparison at every
// offset, on texts built from the words' letters in both cases, their
// neighbours in ASCII (`M`|0x20 is `m`, `-`|0x20 is `-`) and a blank.
func TestContainsFold(t *testing.T) {
	naive := func(s []byte, w string) bool {
		for i := 0; i+len(w) <= len(s); i++ {
			if strings.EqualFold(string(s[i:i+len(w)]), w) {
				return true
			}
		}
		return false
	}
	const alphabet = "mMlLfFoOwWiInNtTqQaA -\r\x8dnoqa"
	next := lcg(7)
	for _, w := range []string{"mlflowlint", "noqa", "w", "ww"} {
		for range 3000 {
			b := make([]byte, next(40))
			for i := range b {
				b[i] = alphabet[next(len(alphabet))]
			}
			if next(3) == 0 && len(b) >= len(w) {
				at := next(len(b) - len(w) + 1)
				for j := range len(w) {
					c := w[j]
					if next(2) == 0 {
						c -= 'a' - 'A'
					}
					b[at+j] = c
				}
			}
			if got, want := containsFold(b, w), naive(b, w); got != want {
				t.Fatalf("containsFold(%q, %q) = %v, want %v", b, w, got, want)
			}
		}
	}
	for _, c := range []struct {
		s, w string
		want bool
	}{
		{"# MLflowLint: noqa", "mlflowlint", true},
		{"mlflowlin", "mlflowlint", false},
		{"mlflowLINTX", "mlflowlint", true},
		{"xNOQa", "noqa", true},
		{"", "noqa", false},
	} {
		if got := containsFold([]byte(c.s), c.w); got != c.want {
			t.Errorf("containsFold(%q, %q) = %v, want %v", c.s, c.w, got, c.want)
		}
	}
}

// TestCodeText blanks the comments and docstrings of a statement, line
// breaks kept, and hands back the source's own bytes when it has none.
func TestCodeText(t *testing.T) {
	src := []byte("x = 1  # set_tracking_uri\ndef f():\n    \"\"\"MlflowClient\n    here\"\"\"\n    return 2\n")
	_, soft, _ := splitSource(src, true)
	got := string(codeText(src, 0, len(src), soft))
	want := "x = 1" + strings.Repeat(" ", 20) + "\ndef f():\n" + strings.Repeat(" ", 19) + "\n" + strings.Repeat(" ", 11) + "\n    return 2\n"
	if got != want {
		t.Errorf("codeText:\n%q\nwant\n%q", got, want)
	}
	// From inside the comment to inside the docstring.
	a, b := strings.Index(string(src), "tracking"), strings.Index(string(src), "here")
	if got, want := string(codeText(src, a, b, soft)), strings.Repeat(" ", 12)+"\ndef f():\n"+strings.Repeat(" ", 19)+"\n    "; got != want {
		t.Errorf("codeText of a part: %q, want %q", got, want)
	}
	code := []byte("y = f(2)\n")
	if got := codeText(code, 0, len(code), nil); &got[0] != &code[0] {
		t.Error("codeText copied a text without comments")
	}
}

// TestWithoutDocstrings: the lines of an indented statement of strings
// alone leave the ranges when the next line of code in its range has
// its indentation; one that is the last statement of its block, ends
// its range, is followed by a comment on its line or a line break in
// brackets, holds a wanted pattern's match, or is a module's own, stays.
func TestWithoutDocstrings(t *testing.T) {
	src := []byte("\"\"\"Module.\"\"\"\n" + // 0: a module's own
		"def f():\n" +
		"    \"\"\"Doc of f.\"\"\"\n" + // cut: x = 1 follows
		"\n" +
		"    # a comment\n" +
		"    x = 1\n" +
		"    'two' 'strings'\n" + // cut: return follows
		"    return x\n" +
		"def g():\n" +
		"    \"\"\"Only this.\"\"\"\n" + // stays: the last of its block
		"def h():\n" +
		"    \"\"\"Commented.\"\"\"  # noqa\n" + // stays: a comment after it
		"    return 1\n" +
		"def k():\n" +
		"    \"\"\"Names MLFLOW_X.\"\"\"\n" + // stays: a wanted match
		"    return 2\n" +
		"def m():\n" +
		"    if a:\n" +
		"        \"\"\"Deeper.\"\"\"\n" + // stays: the next code is dedented
		"    return 3\n" +
		"def n():\n" +
		"    \"\"\"Ends the range.\"\"\"\n" + // stays: its next line is in no range
		"    return 4\n")
	line := func(s string) [2]int {
		i := bytes.Index(src, []byte(s))
		i = bytes.LastIndexByte(src[:i], '\n') + 1
		return [2]int{i, i + bytes.IndexByte(src[i:], '\n') + 1}
	}
	nEnd := line("return 4")[0]
	_, soft, _ := splitSource(src, true)
	match := bytes.Index(src, []byte("MLFLOW_X"))
	got, carved := withoutDocstrings(src, [][2]int{{0, nEnd}}, soft, []int{match})
	fDoc, strs := line("Doc of f."), line("'two'")
	want := [][2]int{{0, fDoc[0]}, {fDoc[1], strs[0]}, {strs[1], nEnd}}
	if !reflect.DeepEqual(got, want) || carved != fDoc[1]-fDoc[0]+strs[1]-strs[0] {
		t.Errorf("withoutDocstrings = %v, %d; want %v, %d", got, carved, want, fDoc[1]-fDoc[0]+strs[1]-strs[0])
	}
	// Every range keeps what is cut out of none; with no wanted match,
	// k's docstring goes too.
	got, _ = withoutDocstrings(src, [][2]int{{0, nEnd}}, soft, nil)
	if kDoc := line("Names MLFLOW_X"); len(got) != 4 || got[2] != [2]int{strs[1], kDoc[0]} || got[3] != [2]int{kDoc[1], nEnd} {
		t.Errorf("without a wanted match: %v", got)
	}
	// The parse of what is left has no error.
	f, err := parser.ParseRanges(context.Background(), "x.py", src, want, token.NewFileSet())
	if err != nil || f.ErrorCount() != 0 {
		t.Fatalf("ParseRanges: %v, %d errors", err, f.ErrorCount())
	}
	f.Close()
}

// TestExistence: a method kept to exist is cut after the first statement
// of its body, comments and a docstring count as none, and a statement
// that spans lines counts whole; nothing is cut where the body is on the
// def line, starts with a compound statement or a decorator, or has one
// statement only. What is left parses without an error.
func TestExistence(t *testing.T) {
	src := "class C:\n" +
		"    @property\n" +
		"    def doc(self):\n" +
		"        # a comment\n" +
		"        \"\"\"Doc.\"\"\"\n" +
		"        return self._doc\n" +
		"\n" +
		"    def call(self, x: int = (\n" +
		"            1)) -> int:\n" +
		"        y = f(x,\n" +
		"              2)  # (\n" +
		"        return y\n" +
		"    def inline(self): return 1\n" +
		"    def compound(self):\n" +
		"        if x:\n" +
		"            return 1\n" +
		"        return 2\n" +
		"    def soft(self):\n" +
		"        match = 1\n" +
		"        return match\n" +
		"    def nested(self):\n" +
		"        @wraps(f)\n" +
		"        def g():\n" +
		"            pass\n" +
		"        return g\n" +
		"    def last(self):\n" +
		"        return 3\n"
	b := []byte(src)
	after := func(s string) int {
		i := strings.Index(src, s)
		return i + strings.IndexByte(src[i:], '\n') + 1
	}
	want := map[string]int{
		"doc":  after("\"\"\"Doc.\"\"\""),
		"call": after("2)  # ("),
	}
	regs := splitPieces(b, splitRegions(b))
	ranges := [][2]int{{regs[0].start, regs[0].end}}
	for _, r := range regs {
		if !r.method {
			continue
		}
		got := existence(b, r)
		if got != want[r.name] {
			t.Errorf("existence(%s) = %d, want %d", r.name, got, want[r.name])
		}
		if got == 0 {
			got = r.end
		}
		ranges = append(ranges, [2]int{r.start, got})
	}
	f, err := parser.ParseRanges(context.Background(), "x.py", b, ranges, token.NewFileSet())
	if err != nil || f.ErrorCount() != 0 {
		t.Fatalf("ParseRanges of %v: %v, %d errors", ranges, err, f.ErrorCount())
	}
	f.Close()
}

// TestCodeHasWord: `global` in code, not in a comment or string, nor as
// part of another word.
func TestCodeHasWord(t *testing.T) {
	for text, want := range map[string]bool{
		"x = 1\nglobal g\n":                      true,
		"# global g\nx = 'global'\n":             false,
		"globals()\nnot_global = 1\n":            false,
		"x = 1\n":                                false,
		"f('''\nglobal\n''', global_)\nglobal y": true,
	} {
		if got := codeHasWord([]byte(text), "global"); got != want {
			t.Errorf("codeHasWord(%q, global) = %v, want %v", text, got, want)
		}
	}
}

// TestSplitPiecesReusesLines: splitting classes by the logical lines
// splitSourceLines read gives the pieces a pass over each class from its
// start gives, over the fixtures and sources made to test the lexer's
// edges (brackets and strings across lines, continued lines, CRLF, form
// feeds, decorators, a class first in the file, an unterminated string).
func TestSplitPiecesReusesLines(t *testing.T) {
	srcs := []string{
		"# lead\n\nclass A:\n    x = (1,\n  2)\n    def f(self):\n        return '''a\nclass B:\n'''\n    @dec(\n    1)\n    def g(self): pass\n",
		"class A(B):\r\n    def f(self, \\\r\n  y):\r\n        pass\r\n    s = \"x\\\r\n\"\r\n    def g(cls): return {\r\n1: 2}\r\nx = 1\r\n",
		"@d\nclass A:\n    def f(self):\n        pass\n\f\n    def g(self):\n        pass\nclass C:\n    def h(self): pass\n    '''open\n",
		"class A:\n    def f(self):\n        global g\n    def h(self): pass\n",
		"class A:\n\tdef f(self): pass\n        def g(self): pass\n",
		"class E: pass\nclass F:\n    if x:\n        def f(self): pass\n    else:\n        def f(self): pass\n    def g(self): pass\n",
	}
	srcs = append(srcs, fixtureSources(t)...)
	if len(srcs) < 50 {
		t.Fatalf("only %d sources", len(srcs))
	}
	classes := 0
	for n, s := range srcs {
		src := []byte(s)
		top, _, _, lines := splitSourceLines(src, true)
		for _, r := range top {
			if r.def && r.class {
				classes++
			}
			// The lines of each region are those a pass from its start
			// finds.
			var again []int32
			parser.LogicalLines(src, r.start, r.end, func(i int) bool { again = append(again, int32(i)); return true }, nil, nil)
			lo, _ := slices.BinarySearch(lines, int32(r.start))
			hi, _ := slices.BinarySearch(lines, int32(r.end))
			if !slices.Equal(lines[lo:hi], again) {
				t.Fatalf("source %d, region %d-%d: lines %v, a pass from its start %v", n, r.start, r.end, lines[lo:hi], again)
			}
		}
		want := splitPieces(src, slices.Clone(top))
		got := splitPiecesLines(src, slices.Clone(top), lines)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("source %d:\nby the lines read %+v\nby a pass per class %+v", n, got, want)
		}
	}
	if classes < 20 {
		t.Fatalf("only %d classes split", classes)
	}
	t.Logf("%d sources, %d classes", len(srcs), classes)
}

// TestCodeWordsPerRegion: the code words of a source, read once, give each
// statement, import piece, class header and method the words (with their
// hashes and dots) that reading that region alone, outside its soft
// spans, gives: no region starts or ends inside a word or after a dot.
func TestCodeWordsPerRegion(t *testing.T) {
	srcs := []string{
		"from a import (b,\n  c as d, e)  # x.\nimport f.g, h\nx = f.g.y\n",
		"class A:\n    '''doc.'''\n    x = 1\n    def f(self):\n        self.x = 2 # .y\n    @p.setter\n    def g(self): return self . x\n",
		"s = '''a\n.b'''\nt = s.\\\n  upper()\n# c.\nd = 1\n\"doc\"\ne = 2\n",
	}
	srcs = append(srcs, fixtureSources(t)...)
	regions := 0
	for n, s := range srcs {
		src := []byte(s)
		top, soft, _, lines := splitSourceLines(src, true)
		words := codeWords(readCodeWords(src, soft, nil))
		for _, r := range splitPiecesLines(src, top, lines) {
			regions++
			var want []codeWord
			eachCodeRun(r.start, r.end, soft, func(a, b int) {
				text := src[a:b]
				for i := 0; i < len(text); {
					j := i
					for j < len(text) && wordByte[text[j]] {
						j++
					}
					if j == i {
						i++
						continue
					}
					if text[i] < '0' || text[i] > '9' {
						want = append(want, codeWord{uint32(a + i), uint32(a + j), hashWord(text[i:j]), afterDot(text, i)})
					}
					i = j
				}
			})
			if got := words.in(r.start, r.end); !slices.Equal(got, want) {
				t.Fatalf("source %d, region %q: words %v, read alone %v", n, src[r.start:r.end], got, want)
			}
		}
	}
	t.Logf("%d sources, %d regions", len(srcs), regions)
}

// fixtureSources returns the text of every Python fixture: the rules'
// and this package's.
func fixtureSources(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, glob := range []string{"../fixtures/*/*.py", "testdata/*/*.py"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
	}
	return out
}

// TestMlflowImportsReadsOthersWhenAsked: the statements that import mlflow
// come first; the others (a function, a try) are read only when asked for
// all of them or when no import statement of its own imports mlflow.
func TestMlflowImportsReadsOthersWhenAsked(t *testing.T) {
	at := func(src []byte, regs []region, ks []int) []string {
		var out []string
		for _, k := range ks {
			out = append(out, strings.TrimSpace(string(src[regs[k].start:regs[k].end])))
		}
		return out
	}
	for _, c := range []struct {
		src       string
		some, all []string
	}{{
		"import os\ndef f():\n    import mlflow\nfrom mlflow import log_metric\nx = 1\n",
		[]string{"from mlflow import log_metric"},
		[]string{"from mlflow import log_metric", "def f():\n    import mlflow"},
	}, {
		"try:\n    import mlflow\nexcept ImportError:\n    mlflow = None\ndef g():\n    from mlflow.models import Model\n",
		[]string{"try:\n    import mlflow\nexcept ImportError:\n    mlflow = None", "def g():\n    from mlflow.models import Model"},
		[]string{"try:\n    import mlflow\nexcept ImportError:\n    mlflow = None", "def g():\n    from mlflow.models import Model"},
	}, {
		// A statement split into its names stands as its first piece.
		"import os, mlflow.pyfunc\nimport sys\n",
		[]string{"import"},
		[]string{"import"},
	}} {
		src := []byte(c.src)
		top, soft, _, lines := splitSourceLines(src, true)
		regs := splitPiecesLines(src, top, lines)
		g := buildRegionGraph(src, regs, soft, true, regionBudget*len(src))
		if g == nil {
			t.Fatalf("%q: no graph", c.src)
		}
		if got := at(src, regs, mlflowImports(src, regs, g, false)); !slices.Equal(got, c.some) {
			t.Errorf("%q: mlflowImports = %q, want %q", c.src, got, c.some)
		}
		if got := at(src, regs, mlflowImports(src, regs, g, true)); !slices.Equal(got, c.all) {
			t.Errorf("%q: mlflowImports(all) = %q, want %q", c.src, got, c.all)
		}
	}
}

// TestPyKeyword: the words Python reserves (keyword.kwlist of CPython
// 3.11, 35 of them) are keywords; soft keywords, builtins, prefixes and
// longer words that start with one are names.
func TestPyKeyword(t *testing.T) {
	kwlist := strings.Fields(`False None True and as assert async await break class continue def del
		elif else except finally for from global if import in is lambda nonlocal not or pass raise
		return try while with yield`)
	if len(kwlist) != 35 {
		t.Fatalf("%d keywords listed", len(kwlist))
	}
	for _, w := range kwlist {
		if !pyKeyword([]byte(w)) {
			t.Errorf("%q: not a keyword", w)
		}
	}
	for _, w := range []string{"", "a", "match", "case", "type", "_", "print", "self", "none", "Falsey", "nonlocals", "i", "d", "asy", "continues"} {
		if pyKeyword([]byte(w)) {
			t.Errorf("%q: a keyword", w)
		}
	}
}
