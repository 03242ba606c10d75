package parser

// Index buckets the nodes of one tree by type. Parse builds it in the same
// pass that lays out the flat tree, so that rules never walk the tree
// themselves.
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

// NewIndex returns the index of the subtree rooted at root, by a walk of
// it; File.Index returns the one built with a file's tree.
func NewIndex(root *Node) *Index {
	if root == nil {
		return &Index{byType: map[string][]*Node{}}
	}
	idx := &Index{byType: make(map[string][]*Node, len(indexed))}
	var walk func(n *Node)
	walk = func(n *Node) {
		if t := n.Type(); indexed[t] {
			idx.byType[t] = append(idx.byType[t], n)
		}
		for j := n.first; j < n.first+n.nkids; j++ {
			walk(n.at(j))
		}
	}
	walk(root)
	return idx
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
