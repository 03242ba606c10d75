package rules

import (
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// Edits that remove or add items of a comma-separated list: the arguments
// of a call or the pairs of a dict literal. They keep the layout of what
// stays: `f(a, b, c)` loses `b, `; a one-item-per-line layout loses whole
// lines; a trailing comma stays where it was.

// span is a byte range of the source and its replacement.
type span struct {
	start, end int
	text       string
}

// edit turns a span into a text edit of f.
func (s span) edit(f *parser.File) analysis.TextEdit {
	return analysis.TextEdit{Pos: f.Tok.Pos(s.start), End: f.Tok.Pos(s.end), NewText: []byte(s.text)}
}

// deleteArg returns the edit deleting one item (argument, keyword argument,
// dict pair) of its enclosing argument list or dict, with its separator.
func deleteArg(f *parser.File, arg *parser.Node) analysis.TextEdit {
	spans := deleteArgs(f, arg)
	if len(spans) == 0 { // not an item of a list: delete the node alone
		return span{start: int(arg.StartByte()), end: int(arg.EndByte())}.edit(f)
	}
	return spans[0].edit(f)
}

// deleteArgEdits returns the edits deleting several items of the same
// list (as text edits, sorted, never overlapping).
func deleteArgEdits(f *parser.File, args ...*parser.Node) []analysis.TextEdit {
	var out []analysis.TextEdit
	for _, s := range deleteArgs(f, args...) {
		out = append(out, s.edit(f))
	}
	return out
}

// listItems returns the items of a list node, comments left out.
func listItems(list *parser.Node) []*parser.Node {
	var out []*parser.Node
	for _, c := range parser.NamedChildren(list) {
		if c.Type() != "comment" {
			out = append(out, c)
		}
	}
	return out
}

// deleteArgs computes the spans deleting args, which must all be items of
// the same list. Consecutive deleted items are removed as one run.
func deleteArgs(f *parser.File, args ...*parser.Node) []span {
	if len(args) == 0 {
		return nil
	}
	list := args[0].Parent()
	items := listItems(list)
	del := make([]bool, len(items))
	for _, a := range args {
		for i, it := range items {
			if sameNode(it, a) {
				del[i] = true
			}
		}
	}
	var out []span
	for i := 0; i < len(items); i++ {
		if !del[i] {
			continue
		}
		j := i
		for j+1 < len(items) && del[j+1] {
			j++
		}
		out = append(out, deleteRun(f.Src, list, items, i, j))
		i = j
	}
	sort.Slice(out, func(a, b int) bool { return out[a].start < out[b].start })
	return out
}

// deleteRun deletes items[i..j].
func deleteRun(src []byte, list *parser.Node, items []*parser.Node, i, j int) span {
	first, last := items[i], items[j]
	if ls, le, ok := ownLines(src, int(first.StartByte()), int(last.EndByte())); ok {
		return span{start: ls, end: le}
	}
	switch {
	case j+1 < len(items):
		return span{start: int(first.StartByte()), end: int(items[j+1].StartByte())}
	case i > 0:
		return span{start: int(items[i-1].EndByte()), end: int(last.EndByte())}
	}
	// Every item goes: keep the brackets only.
	end := int(list.EndByte()) - 1
	if end < int(last.EndByte()) {
		end = int(last.EndByte())
	}
	return span{start: int(first.StartByte()), end: end}
}

// ownLines reports whether the text from start to end fills whole lines:
// only blanks before start on its line, and after end only blanks, one
// optional comma and an optional comment. It returns the range of those
// lines, the final newline included.
func ownLines(src []byte, start, end int) (int, int, bool) {
	ls := start
	for ls > 0 && (src[ls-1] == ' ' || src[ls-1] == '\t') {
		ls--
	}
	if ls > 0 && src[ls-1] != '\n' {
		return 0, 0, false
	}
	p := skipBlanks(src, end)
	if p < len(src) && src[p] == ',' {
		p = skipBlanks(src, p+1)
	}
	if p < len(src) && src[p] == '#' {
		for p < len(src) && src[p] != '\n' {
			p++
		}
	}
	if p < len(src) && src[p] == '\r' {
		p++
	}
	if p >= len(src) || src[p] != '\n' {
		return 0, 0, false
	}
	return ls, p + 1, true
}

func skipBlanks(src []byte, p int) int {
	for p < len(src) && (src[p] == ' ' || src[p] == '\t') {
		p++
	}
	return p
}

// appendArg returns the edit adding text (such as `name="x"`) as the last
// item of an argument list or dict, after a separator when the list is
// not empty. A trailing comma is kept after the new item.
func appendArg(f *parser.File, list *parser.Node, text string) analysis.TextEdit {
	items := listItems(list)
	closing := int(list.EndByte()) - 1
	if len(items) == 0 {
		return span{start: closing, end: closing, text: text}.edit(f)
	}
	last := int(items[len(items)-1].EndByte())
	p := skipBlanks(f.Src, last)
	if p < len(f.Src) && f.Src[p] == ',' {
		// f(a, ) or a one-per-line layout: add after the comma, same style.
		return span{start: p + 1, end: p + 1, text: " " + text + ","}.edit(f)
	}
	return span{start: last, end: last, text: ", " + text}.edit(f)
}

// applySpans applies sorted, non-overlapping spans to src[from:to] and
// returns the resulting text.
func applySpans(src []byte, from, to int, spans []span) string {
	sort.Slice(spans, func(a, b int) bool { return spans[a].start < spans[b].start })
	var b []byte
	p := from
	for _, s := range spans {
		if s.start < p || s.end > to {
			continue
		}
		b = append(b, src[p:s.start]...)
		b = append(b, s.text...)
		p = s.end
	}
	b = append(b, src[p:to]...)
	return string(b)
}

func sameNode(a, b *parser.Node) bool {
	return a != nil && b != nil && a.StartByte() == b.StartByte() && a.EndByte() == b.EndByte() && a.Type() == b.Type()
}

// keywordCalls calls fn for every keyword argument called name (written
// in the call or a key of a dict it unpacks) of every call resolving to
// one of names.
func keywordCalls(in analyzer.Inputs, names map[string]bool, name string, fn func(call *parser.Node, qn string, k kwarg, kws []kwarg)) {
	calls(in, names, func(call *parser.Node, qn string) {
		kws := keywords(in, call)
		for _, k := range kws {
			if k.Name == name {
				fn(call, qn, k, kws)
			}
		}
	})
}

// inCall reports whether a keyword is written inside the call itself: a
// keyword argument, or a key of a dict literal or dict(...) unpacked
// inline. A key of a dict bound to a name may be shared with other code,
// so fixes leave it alone.
func inCall(call *parser.Node, k kwarg) bool {
	return k.Node.StartByte() >= call.StartByte() && k.Node.EndByte() <= call.EndByte()
}

// deleteFix is the fix deleting a keyword argument written in the call.
func deleteFix(in analyzer.Inputs, call *parser.Node, k kwarg, title string) *analysis.SuggestedFix {
	if !inCall(call, k) {
		return nil
	}
	return &analysis.SuggestedFix{Message: title, TextEdits: []analysis.TextEdit{deleteArg(in.File, k.Node)}}
}

// renameKwFix renames a keyword written in the call, unless the new name
// is passed too.
func renameKwFix(in analyzer.Inputs, call *parser.Node, k kwarg, kws []kwarg, to string) *analysis.SuggestedFix {
	if !inCall(call, k) || hasKeyword(kws, to) {
		return nil
	}
	return renameFix(in.File, k.NameNode, to, "Rename `"+k.Name+"` to `"+to+"`")
}
