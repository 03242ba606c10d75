package parser

// Index buckets the nodes of one tree by type. Parse builds it in the same
// pass that lays out the flat tree, so that rules never walk the tree
// themselves.
type Index struct {
	// lists holds the nodes of each indexed type, by its slot.
	lists [len(indexedTypes)][]*Node
}

// indexedTypes lists the node types rules ask for; other types are not
// kept. A type's slot is its position here: the flat tree's layout finds
// it by symbol in a table (symSlot), where a map by name hashed the name
// of every node it kept.
var indexedTypes = [...]string{
	"call", "attribute", "keyword_argument", "identifier",
	"import_statement", "import_from_statement", "comment",
	"string", "subscript", "assignment", "dictionary",
	"pair", "future_import_statement",
}

// indexSlot maps an indexed type to its slot.
var indexSlot = func() map[string]int {
	m := make(map[string]int, len(indexedTypes))
	for i, t := range indexedTypes {
		m[t] = i
	}
	return m
}()

// NewIndex returns the index of the subtree rooted at root, by a walk of
// it; File.Index returns the one built with a file's tree.
func NewIndex(root *Node) *Index {
	idx := &Index{}
	if root == nil {
		return idx
	}
	var walk func(n *Node)
	walk = func(n *Node) {
		if slot, ok := indexSlot[n.Type()]; ok {
			idx.lists[slot] = append(idx.lists[slot], n)
		}
		for j := n.first; j < n.first+n.nkids; j++ {
			walk(n.at(j))
		}
	}
	walk(root)
	return idx
}

// Of returns the nodes of the given type in source order.
func (x *Index) Of(typ string) []*Node {
	if slot, ok := indexSlot[typ]; ok {
		return x.lists[slot]
	}
	return nil
}

// Preorder calls fn for every node of the given types, in source order per
// type (types are visited in the order given).
func (x *Index) Preorder(types []string, fn func(*Node)) {
	for _, t := range types {
		for _, n := range x.Of(t) {
			fn(n)
		}
	}
}
