package apidb

import (
	"slices"
	"strings"
)

// Spelled words. A source reaches an object of the data only through a
// path from `import mlflow` (an import, an attribute chain, a string such
// as a patch target); relative imports never resolve to MLflow. Every
// component of that path is a word of the source. An object with several
// paths (re-exports of it, or of modules above it) can be reached by
// spelling the words of any one of them: its spelled alternatives are the
// word sets of its paths, none holding another (which would add nothing).
// The root's own name is left out, as every such source spells `mlflow`
// anyway.

// maxSpelled bounds the alternatives kept for one node. Past it, the
// paths that end in the same name (the many modules that import one
// module, say) give way to the one set of the words all of them spell,
// which a source can still not reach the node without. Past maxNames
// names, so do all the paths that do not end in the node's own name.
const (
	maxSpelled = 32
	maxNames   = 256
)

// spelled returns the spelled alternatives, each sorted, of the nodes
// needed and of what they depend on (their modules, the re-exports of
// them and of those): a migration needs them for its changed objects and
// their makers, a small part of the data. They are computed anew for each
// call: a run needs them once (for a migration whose triggers are not
// precomputed, or once for all the upgrade matrix's).
func (db *DB) spelled(needed []*Node) map[*Node][][]string {
	paths := db.computeSpelled(needed)
	words := make(map[*Node][][]string, len(paths))
	for n, ps := range paths {
		ws := make([][]string, len(ps))
		for i, p := range ps {
			ws[i] = p.words
		}
		words[n] = ws
	}
	return words
}

// spelledPath is an alternative: the words of some paths to a node, and
// the name they end in.
type spelledPath struct {
	words []string
	last  string
}

func (db *DB) computeSpelled(needed []*Node) map[*Node][]spelledPath {
	// Each re-export is another path to the node its target names.
	aliasOf := map[*Node][]*Node{}
	for _, n := range db.nodes() {
		var seen []string
		for k := range n.Entries {
			e := &n.Entries[k]
			if e.Kind != Reexport || slices.Contains(seen, e.Target()) {
				continue
			}
			seen = append(seen, e.Target())
			for _, t := range db.nodesAt(e.Target(), 0) {
				if t != n && !slices.Contains(aliasOf[t], n) {
					aliasOf[t] = append(aliasOf[t], n)
				}
			}
		}
	}
	// A node's alternatives follow from its parent's and its aliases':
	// recompute a node when one of those changes, until nothing does.
	// Recomputing can only add paths or replace sets by sets of fewer
	// words, and there are finitely many word sets, so this ends.
	// db.nodes() is depth first, parents before members: the first round
	// completes the canonical paths.
	// Only the needed nodes and what their alternatives depend on.
	in := map[*Node]bool{db.root: true}
	stack := slices.Clone(needed)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if in[n] {
			continue
		}
		in[n] = true
		stack = append(stack, n.parent)
		stack = append(stack, aliasOf[n]...)
	}
	deps := map[*Node][]*Node{}
	queue := make([]*Node, 0, len(in))
	queued := make(map[*Node]bool, len(in))
	for _, n := range db.nodes() {
		if n.parent != nil && in[n] {
			deps[n.parent] = append(deps[n.parent], n)
			queue = append(queue, n)
			queued[n] = true
		}
	}
	for t, rs := range aliasOf {
		if !in[t] {
			continue
		}
		for _, r := range rs {
			deps[r] = append(deps[r], t)
		}
	}
	alts := make(map[*Node][]spelledPath, len(in))
	alts[db.root] = []spelledPath{{}}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		queued[n] = false
		var cand []spelledPath
		for _, a := range alts[n.parent] {
			cand = append(cand, spelledPath{withWord(a.words, n.Name), n.Name})
		}
		for _, r := range aliasOf[n] {
			cand = append(cand, alts[r]...)
		}
		cand = append(cand, alts[n]...)
		next := cand
		if len(cand) > 1 {
			next = boundedPaths(cand, n.Name)
		}
		if equalPaths(next, alts[n]) {
			continue
		}
		alts[n] = next
		for _, d := range deps[n] {
			if !queued[d] {
				queued[d] = true
				queue = append(queue, d)
			}
		}
	}
	return alts
}

// boundedPaths returns the minimal alternatives of ps, merged (see
// maxSpelled) when there are too many: first those ending in the same
// name, then all those not ending in own.
func boundedPaths(ps []spelledPath, own string) []spelledPath {
	next := minimalPaths(ps)
	if len(next) > maxSpelled {
		next = minimalPaths(mergePaths(next, func(p spelledPath) string { return p.last }))
	}
	if len(next) > maxNames {
		next = minimalPaths(mergePaths(next, func(p spelledPath) string {
			if own != "" && p.last == own {
				return own
			}
			return ""
		}))
	}
	return next
}

func equalPaths(a, b []spelledPath) bool {
	return slices.EqualFunc(a, b, func(x, y spelledPath) bool {
		return x.last == y.last && slices.Equal(x.words, y.words)
	})
}

// minimalPaths sorts alternatives (fewest words first) and drops those
// holding all the words of another.
func minimalPaths(ps []spelledPath) []spelledPath {
	slices.SortStableFunc(ps, func(a, b spelledPath) int {
		if len(a.words) != len(b.words) {
			return len(a.words) - len(b.words)
		}
		if c := slices.Compare(a.words, b.words); c != 0 {
			return c
		}
		return strings.Compare(a.last, b.last)
	})
	var out []spelledPath
	for _, p := range ps {
		keep := true
		for _, o := range out {
			if isSubset(o.words, p.words) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}

// mergePaths replaces the alternatives of each group by one: the words
// all of them spell.
func mergePaths(ps []spelledPath, group func(spelledPath) string) []spelledPath {
	var keys []string
	byKey := map[string][]spelledPath{}
	for _, p := range ps {
		k := group(p)
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], p)
	}
	out := make([]spelledPath, 0, len(keys))
	for _, k := range keys {
		g := byKey[k]
		words := slices.Clone(g[0].words)
		for _, p := range g[1:] {
			words = slices.DeleteFunc(words, func(w string) bool {
				_, ok := slices.BinarySearch(p.words, w)
				return !ok
			})
		}
		out = append(out, spelledPath{words, k})
	}
	return out
}

// isSubset reports whether every word of the sorted a is in the sorted b.
func isSubset(a, b []string) bool {
	j := 0
	for _, w := range a {
		for j < len(b) && b[j] < w {
			j++
		}
		if j == len(b) || b[j] != w {
			return false
		}
		j++
	}
	return true
}

// nodesAt returns the nodes a dotted path can name: re-exports on the way
// are followed (every target they have in some release), the last
// component is not.
func (db *DB) nodesAt(path string, depth int) []*Node {
	first, rest, more := strings.Cut(path, ".")
	if first != db.root.Name || depth > maxFollow {
		return nil
	}
	cur := []*Node{db.root}
	for more {
		var comp string
		comp, rest, more = strings.Cut(rest, ".")
		var next []*Node
		for _, n := range cur {
			if c := n.Member(comp); c != nil && !slices.Contains(next, c) {
				next = append(next, c)
			}
			for k := range n.Entries {
				e := &n.Entries[k]
				if e.Kind != Reexport {
					continue
				}
				for _, t := range db.nodesAt(e.Target(), depth+1) {
					if c := t.Member(comp); c != nil && !slices.Contains(next, c) {
						next = append(next, c)
					}
				}
			}
		}
		cur = next
	}
	return cur
}

// withWord returns the sorted words ws with w added, in a new slice.
func withWord(ws []string, w string) []string {
	i, found := slices.BinarySearch(ws, w)
	if found {
		return ws
	}
	out := make([]string, 0, len(ws)+1)
	out = append(out, ws[:i]...)
	out = append(out, w)
	return append(out, ws[i:]...)
}
