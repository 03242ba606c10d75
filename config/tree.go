package config

import (
	"sort"

	"github.com/pelletier/go-toml/v2/unstable"
)

// pos is a 1-based line and column in a configuration file. The zero pos
// means "unknown".
type pos struct{ line, col int }

func (p pos) known() bool { return p.line > 0 }

// node is one value of a TOML document together with where it was written.
// The document has already been accepted by go-toml's decoder (which rejects
// duplicate keys and table redefinitions), so the tree only has to remember
// shapes and positions.
type node struct {
	kind unstable.Kind // String, Bool, Integer, Float, a date kind, Array, Table or ArrayTable
	key  pos           // where the key naming this value was first written
	val  pos           // where the value itself starts (zero when the parser gives no range, as for arrays)

	str   string
	elems []*node // Array elements, or the tables of an ArrayTable

	keys   []string // table keys in the order they were first seen
	fields map[string]*node
}

func newTable(at pos) *node {
	return &node{kind: unstable.Table, key: at, fields: map[string]*node{}}
}

func (n *node) isTable() bool { return n.kind == unstable.Table || n.kind == unstable.InlineTable }

func (n *node) child(k string) *node {
	if n == nil || n.fields == nil {
		return nil
	}
	return n.fields[k]
}

func (n *node) set(k string, v *node) {
	if _, ok := n.fields[k]; !ok {
		n.keys = append(n.keys, k)
	}
	n.fields[k] = v
}

// typeName describes a node's kind for error messages.
func (n *node) typeName() string {
	switch n.kind {
	case unstable.String:
		return "a string"
	case unstable.Bool:
		return "a boolean"
	case unstable.Integer:
		return "an integer"
	case unstable.Float:
		return "a float"
	case unstable.Array:
		return "an array"
	case unstable.Table, unstable.InlineTable:
		return "a table"
	case unstable.ArrayTable:
		return "an array of tables"
	default:
		return "a date or time"
	}
}

// where returns the value position when known, else the key position.
func (n *node) where() pos {
	if n.val.known() {
		return n.val
	}
	return n.key
}

// lineIndex turns byte offsets into line and column numbers.
type lineIndex []int // offsets at which lines start

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range data {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (li lineIndex) at(offset int) pos {
	line := sort.Search(len(li), func(i int) bool { return li[i] > offset }) - 1
	if line < 0 {
		line = 0
	}
	return pos{line: line + 1, col: offset - li[line] + 1}
}

// builder turns the expressions of an unstable.Parser into a node tree.
type builder struct {
	p    *unstable.Parser
	li   lineIndex
	root *node
	cur  *node
}

// buildTree parses data into a node tree. It returns the parser's error, if
// any, with the tree built so far.
func buildTree(data []byte) (*node, error) {
	b := &builder{p: &unstable.Parser{}, li: newLineIndex(data), root: newTable(pos{})}
	b.cur = b.root
	b.p.Reset(data)
	for b.p.NextExpression() {
		b.expression(b.p.Expression())
	}
	return b.root, b.p.Error()
}

func (b *builder) rangePos(r unstable.Range) pos {
	if r.Length == 0 {
		return pos{}
	}
	return b.li.at(int(r.Offset))
}

type keyPart struct {
	name string
	at   pos
}

func (b *builder) keyParts(it unstable.Iterator) []keyPart {
	var parts []keyPart
	for it.Next() {
		k := it.Node()
		parts = append(parts, keyPart{name: string(k.Data), at: b.rangePos(k.Raw)})
	}
	return parts
}

func (b *builder) expression(e *unstable.Node) {
	switch e.Kind {
	case unstable.Table:
		parts := b.keyParts(e.Key())
		t := descend(b.root, parts)
		if t == nil {
			b.cur = newTable(pos{}) // unreachable for documents the decoder accepted
			return
		}
		b.cur = t
	case unstable.ArrayTable:
		parts := b.keyParts(e.Key())
		if len(parts) == 0 {
			return
		}
		parent := descend(b.root, parts[:len(parts)-1])
		last := parts[len(parts)-1]
		if parent == nil {
			b.cur = newTable(pos{})
			return
		}
		arr := parent.child(last.name)
		if arr == nil {
			arr = &node{kind: unstable.ArrayTable, key: last.at}
			parent.set(last.name, arr)
		}
		if arr.kind != unstable.ArrayTable {
			b.cur = newTable(pos{})
			return
		}
		t := newTable(last.at)
		arr.elems = append(arr.elems, t)
		b.cur = t
	case unstable.KeyValue:
		b.keyValue(b.cur, e)
	}
}

// descend walks parts from t, creating tables as needed, and returns the
// table the last part names. Through an array of tables it follows the last
// element, as TOML does. It returns nil when a part names a non-table value.
func descend(t *node, parts []keyPart) *node {
	for _, kp := range parts {
		next := t.child(kp.name)
		switch {
		case next == nil:
			next = newTable(kp.at)
			t.set(kp.name, next)
		case next.kind == unstable.ArrayTable:
			if len(next.elems) == 0 {
				return nil
			}
			next = next.elems[len(next.elems)-1]
		case !next.isTable():
			return nil
		}
		t = next
	}
	return t
}

func (b *builder) keyValue(t *node, kv *unstable.Node) {
	parts := b.keyParts(kv.Key())
	if len(parts) == 0 {
		return
	}
	parent := descend(t, parts[:len(parts)-1])
	if parent == nil {
		return
	}
	last := parts[len(parts)-1]
	v := b.value(kv.Value())
	v.key = last.at
	parent.set(last.name, v)
}

func (b *builder) value(v *unstable.Node) *node {
	n := &node{kind: v.Kind, val: b.rangePos(v.Raw)}
	switch v.Kind {
	case unstable.String, unstable.Bool:
		n.str = string(v.Data)
	case unstable.Array:
		it := v.Children()
		for it.Next() {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			e := b.value(c)
			if !e.val.known() && len(n.elems) > 0 {
				// Nested arrays carry no range: point at the previous element.
				e.val = n.elems[len(n.elems)-1].val
			}
			n.elems = append(n.elems, e)
		}
	case unstable.InlineTable:
		n.fields = map[string]*node{}
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				b.keyValue(n, c)
			}
		}
	}
	return n
}
