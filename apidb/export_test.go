package apidb

import "strings"

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

// ChangedMemberChains returns, for the changed members of classes of the
// migration from src to tgt (a member's own change, not its class's
// __init__), expressions that reach each through its class's makers
// (makers), two or three classes deep where the data has such chains:
// each starts at a member of a module (a class called, or a function
// that returns the class) and goes on through members of classes that
// return the next class, ending in the member. At most max chains per
// member, at most one per maker of the first class.
func (db *DB) ChangedMemberChains(src []int, tgt, max int) [][]string {
	makers := db.makers()
	changeOf := db.changeIn(src, tgt)
	// kept: n and the modules and classes above it are in the newest
	// source release, whose data the type inference reads, and unchanged,
	// so that a chain through n reaches its end.
	kept := func(n *Node) bool {
		for ; n != nil && n.parent != nil; n = n.parent {
			if changeOf(n).changed || n.At(src[len(src)-1]) == nil {
				return false
			}
		}
		return true
	}
	// reach returns expressions of objects of class c, at most depth
	// makers deep, longest first.
	var reach func(c *Node, depth int) []string
	reach = func(c *Node, depth int) []string {
		var deep, flat []string
		for _, k := range makers[c] {
			if len(k.Entries) == 0 || k.Name == "__enter__" || !kept(k) {
				continue
			}
			e := &k.Entries[len(k.Entries)-1]
			suffix := ""
			if strings.HasPrefix(e.Returns(), "[") {
				suffix = "[0]"
			}
			switch {
			case !isClassMember(k) && (e.Kind == Class || e.Kind == Function):
				flat = append(flat, k.Path()+"()"+suffix)
			case isClassMember(k) && depth > 0 && k.parent != c:
				call := ""
				if e.Kind == Function {
					call = "()"
				} else if e.Kind != Property && e.Kind != Attribute {
					continue
				}
				if objs := reach(k.parent, depth-1); len(objs) > 0 {
					deep = append(deep, objs[0]+"."+k.Name+call+suffix)
				}
			}
		}
		return append(deep, flat...)
	}
	var out [][]string
	for _, n := range db.nodes() {
		p := n.parent
		if p == nil || n.Name == "__init__" || !p.hasKind(Class) || p.hasKind(Module) || !changeOf(n).changed || !kept(p) {
			continue
		}
		var chains []string
		for _, x := range reach(p, 3) {
			if strings.Count(x, ".") > strings.Count(strings.SplitN(x, "(", 2)[0], ".") && len(chains) < max {
				chains = append(chains, x+"."+n.Name)
			}
		}
		if len(chains) > 0 {
			out = append(out, chains)
		}
	}
	return out
}
