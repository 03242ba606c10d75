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
