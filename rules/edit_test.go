package rules

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/parser"
)

// parseList parses src and returns the first argument list or dict.
func parseList(t *testing.T, src string) (*parser.File, *parser.Node) {
	t.Helper()
	f, err := parser.Parse(context.Background(), "t.py", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	idx := parser.NewIndex(f.Root)
	if calls := idx.Of("call"); len(calls) > 0 {
		return f, parser.Field(calls[0], "arguments")
	}
	if ds := idx.Of("dictionary"); len(ds) > 0 {
		return f, ds[0]
	}
	t.Fatalf("no list in %q", src)
	return nil, nil
}

// apply applies text edits of f to its source.
func apply(f *parser.File, edits []analysis.TextEdit) string {
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{f.Tok.Offset(e.Pos), f.Tok.Offset(e.End), string(e.NewText)})
	}
	return applySpans(f.Src, 0, len(f.Src), spans)
}

// itemsNamed returns the items of list whose text starts with one of the
// prefixes.
func itemsNamed(f *parser.File, list *parser.Node, prefixes ...string) []*parser.Node {
	var out []*parser.Node
	for _, it := range listItems(list) {
		for _, p := range prefixes {
			if strings.HasPrefix(f.Text(it), p) {
				out = append(out, it)
			}
		}
	}
	return out
}

func TestDeleteArgs(t *testing.T) {
	cases := []struct {
		name, src string
		del       []string
		want      string
	}{
		{"only", "f(x=1)\n", []string{"x="}, "f()\n"},
		{"only trailing comma", "f(x=1,)\n", []string{"x="}, "f()\n"},
		{"first", "f(x=1, a, b)\n", []string{"x="}, "f(a, b)\n"},
		{"middle", "f(a, x=1, b)\n", []string{"x="}, "f(a, b)\n"},
		{"last", "f(a, b, x=1)\n", []string{"x="}, "f(a, b)\n"},
		{"trailing comma", "f(a, x=1,)\n", []string{"x="}, "f(a,)\n"},
		{"two apart", "f(x=1, a, y=2)\n", []string{"x=", "y="}, "f(a)\n"},
		{"two together", "f(a, x=1, y=2, b)\n", []string{"x=", "y="}, "f(a, b)\n"},
		{"one per line", "f(\n    a,\n    x=1,  # note\n    b,\n)\n", []string{"x="}, "f(\n    a,\n    b,\n)\n"},
		{"last line without comma", "f(\n    a,\n    x=1\n)\n", []string{"x="}, "f(\n    a,\n)\n"},
		{"lines together", "f(\n    a,\n    x=1,\n    y=[\n        2,\n    ],\n)\n", []string{"x=", "y="}, "f(\n    a,\n)\n"},
		{"hanging", "f(a,\n  x=1)\n", []string{"x="}, "f(a)\n"},
		{"comment kept", "f(\n    # keep\n    x=1,\n    a,\n)\n", []string{"x="}, "f(\n    # keep\n    a,\n)\n"},
		{"dict pair", "d = {\"a\": 1, \"x\": 2}\n", []string{"\"x\""}, "d = {\"a\": 1}\n"},
		{"crlf lines", "f(\r\n    a,\r\n    x=1,\r\n)\r\n", []string{"x="}, "f(\r\n    a,\r\n)\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, list := parseList(t, c.src)
			nodes := itemsNamed(f, list, c.del...)
			if len(nodes) != len(c.del) {
				t.Fatalf("found %d items, want %d", len(nodes), len(c.del))
			}
			got := apply(f, deleteArgEdits(f, nodes...))
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if len(nodes) == 1 {
				if one := apply(f, []analysis.TextEdit{deleteArg(f, nodes[0])}); one != c.want {
					t.Errorf("deleteArg: got %q, want %q", one, c.want)
				}
			}
		})
	}
}

func TestAppendArg(t *testing.T) {
	cases := []struct{ src, want string }{
		{"f()\n", "f(name=\"m\")\n"},
		{"f(a)\n", "f(a, name=\"m\")\n"},
		{"f(a,)\n", "f(a, name=\"m\",)\n"},
		{"f(\n    a,\n)\n", "f(\n    a, name=\"m\",\n)\n"},
		{"f(a  )\n", "f(a, name=\"m\"  )\n"},
	}
	for _, c := range cases {
		f, list := parseList(t, c.src)
		if got := apply(f, []analysis.TextEdit{appendArg(f, list, `name="m"`)}); got != c.want {
			t.Errorf("%q: got %q, want %q", c.src, got, c.want)
		}
	}
}

func TestFreshName(t *testing.T) {
	taken := map[string]bool{"baseline_result": true, "baseline_result_2": true}
	if got := freshName(taken, "baseline_result"); got != "baseline_result_3" {
		t.Errorf("got %q", got)
	}
	if got := freshName(taken, "baseline_result"); got != "baseline_result_4" {
		t.Errorf("a name handed out is taken: got %q", got)
	}
	if got := freshName(taken, "candidate_result"); got != "candidate_result" {
		t.Errorf("got %q", got)
	}
}
