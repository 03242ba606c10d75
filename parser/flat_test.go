package parser

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	sitter "github.com/smacker/go-tree-sitter"
)

var flatSources = []string{
	"import mlflow as m\nm.evaluate(data, custom_metrics=[a, b], baseline_model=None)\n",
	"def f(x, *a, k=1, **kw):\n    return [y async for y in x if y] + {1: 2}[1]\n",
	"class C(B):\n    @d\n    def g(self): pass\n",
	"x = (1,\n",       // MISSING token
	"def (:\n  1 +\n", // ERROR nodes
	"f'{a!r:>{w}}' b'x' u\"\\n\"\n",
	"",
}

// TestFlatLayoutMatchesBinding compares the flat tree with the tree the
// binding shows, node by node. It fails when the TSNode layout flat.go
// assumes no longer holds.
func TestFlatLayoutMatchesBinding(t *testing.T) {
	srcs := flatSources
	files, _ := filepath.Glob("../fixtures/*/*.py")
	if len(files) == 0 {
		t.Fatal("no fixtures found")
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	p := sitter.NewParser()
	p.SetLanguage(lang)
	for i, src := range srcs {
		tree, err := p.ParseCtx(context.Background(), nil, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(context.Background(), "x.py", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		compareNodes(t, i, tree.RootNode(), f.Root)
		tree.Close()
		f.Close()
	}
}

func compareNodes(t *testing.T, src int, want *sitter.Node, got *Node) {
	t.Helper()
	if got == nil {
		t.Fatalf("source %d: flat node missing for %s", src, want.Type())
	}
	if want.Type() != got.Type() || want.StartByte() != got.StartByte() || want.EndByte() != got.EndByte() ||
		want.IsNamed() != got.IsNamed() || want.IsMissing() != got.IsMissing() || want.HasError() != got.HasError() ||
		want.IsError() != got.IsError() || want.ChildCount() != got.ChildCount() || want.NamedChildCount() != got.NamedChildCount() {
		t.Fatalf("source %d: binding %s [%d,%d] named=%v missing=%v err=%v kids=%d/%d; flat %s [%d,%d] named=%v missing=%v err=%v kids=%d/%d",
			src, want.Type(), want.StartByte(), want.EndByte(), want.IsNamed(), want.IsMissing(), want.HasError(), want.ChildCount(), want.NamedChildCount(),
			got.Type(), got.StartByte(), got.EndByte(), got.IsNamed(), got.IsMissing(), got.HasError(), got.ChildCount(), got.NamedChildCount())
	}
	for _, name := range []string{"name", "function", "arguments", "left", "right", "value", "object", "attribute", "body", "module_name", "alias"} {
		w, g := want.ChildByFieldName(name), got.ChildByFieldName(name)
		if (w == nil) != (g == nil) || w != nil && (w.StartByte() != g.StartByte() || w.Type() != g.Type()) {
			t.Fatalf("source %d: %s field %s differs", src, want.Type(), name)
		}
	}
	for i := 0; i < int(want.ChildCount()); i++ {
		// tree-sitter's field lookup by child index gives an extra (a
		// comment) the field of the next child; the cursor the flat tree is
		// built with gives it none, which is what callers expect.
		if w, g := want.FieldNameForChild(i), got.FieldNameForChild(i); w != g && !want.Child(i).IsExtra() {
			t.Fatalf("source %d: %s child %d (%s %d-%d) field %q, flat %q: %s", src, want.Type(), i, want.Child(i).Type(), want.Child(i).StartByte(), want.Child(i).EndByte(), w, g, want.String())
		}
		c := got.Child(i)
		if c.Parent() != got {
			t.Fatalf("source %d: parent link broken under %s", src, got.Type())
		}
		if i > 0 && c.PrevSibling() != got.Child(i-1) || i+1 < int(want.ChildCount()) && c.NextSibling() != got.Child(i+1) {
			t.Fatalf("source %d: sibling links broken under %s", src, got.Type())
		}
		compareNodes(t, src, want.Child(i), c)
	}
	named := NamedChildren(got)
	if len(named) != int(want.NamedChildCount()) {
		t.Fatalf("source %d: NamedChildren of %s: %d, want %d", src, want.Type(), len(named), want.NamedChildCount())
	}
	for i := 0; i < int(want.NamedChildCount()); i++ {
		if w, g := want.NamedChild(i), got.NamedChild(i); w.StartByte() != g.StartByte() || w.Type() != g.Type() || named[i] != g {
			t.Fatalf("source %d: named child %d of %s differs", src, i, want.Type())
		}
	}
	if want.Parent() == nil && want.String() != got.String() {
		t.Fatalf("source %d: String()\nbinding %s\nflat    %s", src, want.String(), got.String())
	}
}

// TestFlatIndexMatchesWalk: the index the layout fills (by symbol slot)
// holds, for each indexed type, the nodes a walk of the tree finds by
// type name, in the same order, also for a tree laid out in a recycled
// index; a type not indexed has no nodes.
func TestFlatIndexMatchesWalk(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*/*.py")
	if len(files) == 0 {
		t.Fatal("no fixtures found")
	}
	srcs := flatSources
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(b))
	}
	kept := 0
	for round := range 2 { // the second round lays out into recycled indexes
		for i, src := range srcs {
			f, err := Parse(context.Background(), "x.py", []byte(src), nil)
			if err != nil {
				t.Fatal(err)
			}
			byWalk := map[string][]*Node{}
			var walk func(n *Node)
			walk = func(n *Node) {
				byWalk[n.Type()] = append(byWalk[n.Type()], n)
				for j := range n.ChildCount() {
					walk(n.Child(int(j)))
				}
			}
			walk(f.Root)
			for _, typ := range indexedTypes {
				got, want := f.Index().Of(typ), byWalk[typ]
				if !slices.Equal(got, want) {
					t.Fatalf("round %d, source %d: Of(%q) has %d nodes, a walk finds %d", round, i, typ, len(got), len(want))
				}
				kept += len(got)
			}
			for _, typ := range []string{"module", "argument_list", "block", "no such type"} {
				if got := f.Index().Of(typ); got != nil {
					t.Fatalf("source %d: Of(%q) = %d nodes, want none (not indexed)", i, typ, len(got))
				}
			}
			f.Close()
		}
	}
	if kept == 0 {
		t.Fatal("the fixtures hold no indexed node")
	}
}

func TestFlatIndexAndErrors(t *testing.T) {
	f, err := Parse(context.Background(), "x.py", []byte("import mlflow\n# c\nmlflow.log(a=1)\nx = (1,\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	idx := NewIndex(f.Root)
	if got := len(idx.Of("call")); got != 1 {
		t.Errorf("calls = %d, want 1", got)
	}
	if got := len(idx.Of("comment")); got != 1 {
		t.Errorf("comments = %d, want 1", got)
	}
	sub := NewIndex(idx.Of("call")[0])
	if got := len(sub.Of("identifier")); got != 3 {
		t.Errorf("identifiers below the call = %d, want 3 (mlflow, log, a)", got)
	}
	if f.ErrorCount() == 0 || len(f.ErrorRegions()) == 0 {
		t.Errorf("errors %d, regions %v: want some", f.ErrorCount(), f.ErrorRegions())
	}
}

// TestTimeoutLeavesParserUsable: a parse cut off by ParseTimeout returns
// ErrTimeout, and the parser it used (the only free one, taken again next)
// parses the next source from its start: same tree as a fresh parse, no
// error nodes.
func TestTimeoutLeavesParserUsable(t *testing.T) {
	var big []byte
	for i := 0; i < 4000; i++ {
		big = append(big, "def f(a, b=1, *c, **d):\n    return [x for x in (a, b) if x] + g(c, k=d)\n"...)
	}
	small := []byte("import mlflow\nmlflow.log_metric(\"a\", 1)\n")
	want, err := Parse(context.Background(), "small.py", small, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantText := want.Root.String()
	want.Close()

	saved := ParseTimeout
	t.Cleanup(func() { ParseTimeout = saved })
	ParseTimeout = time.Microsecond
	if _, err := Parse(context.Background(), "big.py", big, nil); !errors.Is(err, ErrTimeout) {
		t.Fatalf("parse of %d bytes in %s: err %v, want ErrTimeout", len(big), ParseTimeout, err)
	}
	ParseTimeout = saved
	got, err := Parse(context.Background(), "small.py", small, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	if got.ErrorCount() != 0 || got.Root.String() != wantText {
		t.Errorf("after a timeout: %d errors, tree %s; want 0 and %s", got.ErrorCount(), got.Root.String(), wantText)
	}
}

// TestClosedFileNodes: a closed file's nodes are poisoned before their
// array is used again, so that reading one fails loudly (its type panics,
// its offsets are past any source) rather than reading another file's
// tree; the next parse, which may take the array, builds its own tree
// whole, and its index lists its own nodes alone.
func TestClosedFileNodes(t *testing.T) {
	// A larger source after a smaller one, and a smaller after.
	for round, src := range []string{
		"import mlflow\nmlflow.evaluate(m, d)\nx = [f(y) for y in z]\n",
		"import mlflow\nmlflow.evaluate(m, d)\nx = [f(y) for y in z]\ny = 1\nz = (1, 2)\n",
		"mlflow.evaluate(m, d)\nf(1)\n",
	} {
		f, err := Parse(context.Background(), "a.py", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		root, calls := f.Root, f.Index().Of("call")
		if root.Type() != "module" || len(calls) != 2 || f.Text(calls[0]) != "mlflow.evaluate(m, d)" {
			t.Fatalf("round %d: root %s, calls %d", round, root.Type(), len(calls))
		}
		f.Close()
		if root.StartByte() != math.MaxUint32 || root.EndByte() != math.MaxUint32 {
			t.Errorf("round %d: a closed file's root spans %d..%d", round, root.StartByte(), root.EndByte())
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("round %d: the type of a closed file's node did not panic", round)
				}
			}()
			_ = root.Type()
		}()
	}
	g, err := Parse(context.Background(), "b.py", []byte("g(h(1))\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if calls := g.Index().Of("call"); len(calls) != 2 || g.Text(calls[0]) != "g(h(1))" {
		t.Errorf("the next file's calls: %d", len(calls))
	}
}
