package parser

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
)

// rangesSource has four top-level statements; the third one's docstring
// holds text that would be statements of its own outside the string.
const rangesSource = "import mlflow\n" +
	"\n" +
	"def a():\n    return 1\n" +
	"\n" +
	"class C:\n    x = mlflow.evaluate(d, custom_metrics=[m])\n" +
	"\n" +
	"def b():\n    \"\"\"doc\n\ndef fake(): pass\n\"\"\"\n    return 2\n"

// statementRange returns the byte range of src from the start of the line
// holding marker to the start of the line holding next ("" for the end).
func statementRange(t *testing.T, src, marker, next string) [2]int {
	t.Helper()
	s := strings.Index(src, marker)
	e := len(src)
	if next != "" {
		e = strings.Index(src, next)
	}
	if s < 0 || e < s {
		t.Fatalf("markers %q %q not in order", marker, next)
	}
	return [2]int{s, e}
}

// sameSubtree reports the first difference of type or offsets between two
// subtrees, or "".
func sameSubtree(a, b *Node) string {
	if a.Type() != b.Type() || a.StartByte() != b.StartByte() || a.EndByte() != b.EndByte() || a.ChildCount() != b.ChildCount() {
		return fmt.Sprintf("%s@%d..%d vs %s@%d..%d", a.Type(), a.StartByte(), a.EndByte(), b.Type(), b.StartByte(), b.EndByte())
	}
	for i := 0; i < int(a.ChildCount()); i++ {
		if d := sameSubtree(a.Child(i), b.Child(i)); d != "" {
			return d
		}
	}
	return ""
}

// TestParseRangesKeepsOffsets: the statements of the ranges come out as
// the whole parse has them, node for node at the same offsets, and the
// others are left out, a docstring's look-alike statements included.
func TestParseRangesKeepsOffsets(t *testing.T) {
	for _, eol := range []string{"\n", "\r\n"} {
		src := strings.ReplaceAll(rangesSource, "\n", eol)
		whole, err := Parse(context.Background(), "x.py", []byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		imp := statementRange(t, src, "import mlflow", "def a")
		cls := statementRange(t, src, "class C", "def b")
		part, err := ParseRanges(context.Background(), "x.py", []byte(src), [][2]int{imp, cls}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if part.ErrorCount() != 0 {
			t.Errorf("%q: %d syntax errors in the ranges' tree", eol, part.ErrorCount())
		}
		if !bytes.Equal(part.Src, []byte(src)) {
			t.Errorf("%q: the file's source is not the whole text", eol)
		}
		var kids []string
		for i := 0; i < int(part.Root.NamedChildCount()); i++ {
			kids = append(kids, part.Root.NamedChild(i).Type())
		}
		if got := strings.Join(kids, " "); got != "import_statement class_definition" {
			t.Fatalf("%q: statements %q, want the import and the class", eol, got)
		}
		if d := sameSubtree(whole.Root.NamedChild(0), part.Root.NamedChild(0)); d != "" {
			t.Errorf("%q: import differs: %s", eol, d)
		}
		if d := sameSubtree(whole.Root.NamedChild(2), part.Root.NamedChild(1)); d != "" {
			t.Errorf("%q: class differs: %s", eol, d)
		}
		part.Close()
		whole.Close()
	}
}

// TestParseRangesThenWhole: the parser a ranged parse used (the only free
// one, taken again next) reads the whole of the next source.
func TestParseRangesThenWhole(t *testing.T) {
	src := []byte(rangesSource)
	part, err := ParseRanges(context.Background(), "x.py", src, [][2]int{statementRange(t, rangesSource, "def a", "class C")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := part.Root.NamedChildCount(); n != 1 {
		t.Errorf("ranged parse: %d statements, want 1", n)
	}
	part.Close()
	whole, err := Parse(context.Background(), "x.py", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	if n := whole.Root.NamedChildCount(); n != 4 {
		t.Errorf("whole parse after a ranged one: %d statements, want 4", n)
	}
}

// TestParseRangesEmptyAndBad: one empty range parses no statement; ranges
// out of bounds, empty among others, overlapping or out of order are
// refused with an error.
func TestParseRangesEmptyAndBad(t *testing.T) {
	src := []byte(rangesSource)
	f, err := ParseRanges(context.Background(), "x.py", src, [][2]int{{0, 0}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := f.Root.NamedChildCount(); n != 0 || f.ErrorCount() != 0 || len(f.Src) != len(src) {
		t.Errorf("empty range: %d statements, %d errors, source of %d bytes", n, f.ErrorCount(), len(f.Src))
	}
	f.Close()
	for _, rs := range [][][2]int{
		{{0, len(src) + 1}},
		{{-1, 4}},
		{{0, 14}, {20, 20}},
		{{0, 14}, {10, 30}},
		{{20, 30}, {0, 14}},
	} {
		if f, err := ParseRanges(context.Background(), "x.py", src, rs, nil); err == nil {
			f.Close()
			t.Errorf("ranges %v: no error", rs)
		}
	}
}
