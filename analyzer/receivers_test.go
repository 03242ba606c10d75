package analyzer

import (
	"context"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

// lastStmtExpr returns the expression of the last top-level expression
// statement (kept whole, calls included).
func lastStmtExpr(f *parser.File) *parser.Node {
	var last *parser.Node
	for _, c := range parser.NamedChildren(f.Root) {
		if c.Type() == "expression_statement" {
			last = c.NamedChild(0)
		}
	}
	return last
}

func TestKindOf(t *testing.T) {
	k := &Kinds{
		Funcs:   map[string]string{"lib.make": "box", "lib.Client": "client"},
		Methods: map[string]string{"client.boxes": "boxes"},
		Attrs:   map[string]string{"box.lid": "lid"},
		Elems:   map[string]string{"boxes": "box"},
		Enter:   map[string]string{"box": "box"},
		Check: func(src []byte, call *parser.Node, qn, kind string) string {
			if parser.Field(call, "arguments").NamedChildCount() > 0 && qn == "lib.make" {
				return "" // lib.make(arg) returns something else
			}
			return kind
		},
	}
	cases := []struct{ name, src, want string }{
		{"call", "import lib\nlib.make()\n", "box"},
		{"check vetoes", "import lib\nlib.make(1)\n", ""},
		{"assigned", "import lib\nb = lib.make()\nb\n", "box"},
		{"chain of names", "import lib\nb = lib.make()\nc = b\nc\n", "box"},
		{"attribute", "import lib\nb = lib.make()\nb.lid\n", "lid"},
		{"unknown attribute", "import lib\nb = lib.make()\nb.other\n", ""},
		{"method", "from lib import Client\nClient().boxes()\n", "boxes"},
		{"index", "from lib import Client\nClient().boxes()[0]\n", "box"},
		{"slice keeps the collection", "from lib import Client\nClient().boxes()[1:]\n", "boxes"},
		{"for loop", "from lib import Client\nfor b in Client().boxes():\n    pass\nb\n", "box"},
		{"comprehension", "from lib import Client\n[b.lid for b in Client().boxes()]\n", ""},
		{"with as", "import lib\nwith lib.make() as b:\n    pass\nb\n", "box"},
		{"walrus", "import lib\n(b := lib.make())\nb\n", "box"},
		{"tuple target unknown", "import lib\nb, c = lib.make(), 1\nb\n", ""},
		{"reassigned", "import lib\nb = lib.make()\nb = 3\nb\n", ""},
		{"parameter unknown", "import lib\ndef f(b):\n    return b\nb\n", ""},
		{"module attribute is not an object", "import lib\nlib.lid\n", ""},
		{"other library", "import other\nother.make()\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := parser.Parse(context.Background(), "t.py", []byte(c.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := NewResolver(f)
			if got := r.KindOf(k, lastStmtExpr(f)); got != c.want {
				t.Errorf("KindOf = %q, want %q", got, c.want)
			}
		})
	}
}

func TestValueOfExceptTargetIsUnknown(t *testing.T) {
	src := "import lib\ntry:\n    pass\nexcept lib.Error as e:\n    e\n"
	f, err := parser.Parse(context.Background(), "t.py", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewResolver(f)
	idx := parser.NewIndex(f.Root)
	ids := idx.Of("identifier")
	use := ids[len(ids)-1]
	if v, how := r.ValueOf(use); v != nil || how != HowUnknown {
		t.Errorf("ValueOf(except target) = %v, %v; want nil, HowUnknown", v, how)
	}
}
