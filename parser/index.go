package parser

import sitter "github.com/smacker/go-tree-sitter"

// Index buckets the nodes of one tree by type, built in one cursor walk so
// that rules never walk the tree themselves.
type Index struct {
	byType map[string][]*Node
}

// indexed lists the node types rules ask for; other types are not kept.
var indexed = map[string]bool{
	"call": true, "attribute": true, "keyword_argument": true, "identifier": true,
	"import_statement": true, "import_from_statement": true, "comment": true,
	"string": true, "subscript": true, "assignment": true, "dictionary": true,
	"pair": true, "future_import_statement": true,
}

// NewIndex walks root once.
func NewIndex(root *Node) *Index {
	idx := &Index{byType: make(map[string][]*Node, len(indexed))}
	if root == nil {
		return idx
	}
	c := sitter.NewTreeCursor(root)
	defer c.Close()
	for {
		n := c.CurrentNode()
		t := n.Type()
		if indexed[t] {
			idx.byType[t] = append(idx.byType[t], n)
		}
		if c.GoToFirstChild() {
			continue
		}
		for !c.GoToNextSibling() {
			if !c.GoToParent() {
				return idx
			}
		}
	}
}

// Of returns the nodes of the given type in source order.
func (x *Index) Of(typ string) []*Node { return x.byType[typ] }

// Preorder calls fn for every node of the given types, in source order per
// type (types are visited in the order given).
func (x *Index) Preorder(types []string, fn func(*Node)) {
	for _, t := range types {
		for _, n := range x.byType[t] {
			fn(n)
		}
	}
}
