package apidb

// ChangedModuleMembers returns, for the objects of the migration from src
// to tgt that are members of a module (see ChangedNames), the dotted paths
// that reach each: its own, those of the re-exports naming it, and its
// name under the paths of its module (at most max per object).
func (db *DB) ChangedModuleMembers(src []int, tgt, max int) [][]string {
	isChanged := db.changedIn(src, tgt)
	aliases := map[*Node][]string{}
	for _, n := range db.nodes() {
		for k := range n.Entries {
			if e := &n.Entries[k]; e.Kind == Reexport {
				for _, t := range db.nodesAt(e.Target(), 0) {
					aliases[t] = append(aliases[t], n.Path())
				}
			}
		}
	}
	var paths func(n *Node, depth int) []string
	paths = func(n *Node, depth int) []string {
		out := []string{n.Path()}
		out = append(out, aliases[n]...)
		if n.parent != nil && n.parent.parent != nil && depth < 3 {
			for _, p := range paths(n.parent, depth+1)[1:] {
				out = append(out, p+"."+n.Name)
			}
		}
		if len(out) > max {
			out = out[:max]
		}
		return out
	}
	var out [][]string
	for _, n := range db.nodes() {
		if n.parent == nil || n.Name == "__init__" || !n.parent.hasKind(Module) || n.parent.hasKind(Class) {
			continue
		}
		if isChanged(n) {
			out = append(out, paths(n, 0))
		}
	}
	return out
}

// KeywordCase is a changed function that only keywords break (see
// change): a path that reaches it, the keywords whose use breaks, and how
// many positional parameters its target signature takes.
type KeywordCase struct {
	Path       string
	Keywords   []string
	Positional int
}

// KeywordCases returns the changed functions of the migration from src to
// tgt that are members of modules, or __init__ of classes that are, and
// that only keywords break (a class's path stands for its __init__).
func (db *DB) KeywordCases(src []int, tgt int) []KeywordCase {
	changeOf := db.changeIn(src, tgt)
	var out []KeywordCase
	for _, n := range db.nodes() {
		path, self := "", 0
		switch p := n.parent; {
		case p == nil:
			continue
		case p.hasKind(Module) && !p.hasKind(Class):
			path = n.Path()
		case n.Name == "__init__" && p.hasKind(Class) && !p.hasKind(Module) && p.parent != nil && p.parent.hasKind(Module) && !p.parent.hasKind(Class):
			path, self = p.Path(), 1
		default:
			continue
		}
		c := changeOf(n)
		if !c.changed || !c.byKeyword || len(c.keywords) == 0 {
			continue
		}
		_, ft, _ := db.follow(n, n.At(tgt), tgt, 0)
		capT := -self
		for _, p := range ft.Params() {
			if p.Kind == PositionalOnly || p.Kind == PositionalOrKeyword {
				capT++
			}
		}
		out = append(out, KeywordCase{Path: path, Keywords: c.keywords, Positional: max(capT, 0)})
	}
	return out
}
