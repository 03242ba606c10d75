package apidb

import (
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
)

// Status says what the data knows of a path in one release.
type Status int

const (
	// Unknown: the data cannot tell (a member of a value, of a module or
	// class whose members are not all known, or a path outside MLflow).
	Unknown Status = iota
	// Found: the path names an object of the release.
	Found
	// Missing: the path names nothing in the release: the component at
	// Resolved.At does not exist there.
	Missing
)

// Resolved is a path resolved in one release.
type Resolved struct {
	Status Status
	// Node and Entry are the object reached, re-exports followed, when
	// Found.
	Node  *Node
	Entry *Entry
	// At is the index of the first path component that does not resolve,
	// when Missing or Unknown.
	At int
}

// maxFollow bounds chains of re-exports and base classes.
const maxFollow = 16

// Resolve resolves a dotted path as Python would reach it from `import
// mlflow` in release v: submodules, members, re-exports and inherited
// members.
func (db *DB) Resolve(path string, v int) Resolved {
	return db.resolved(memoKey{path: path, v: v}, func() Resolved { return db.resolveFrom(path, v, 0) })
}

// member looks name up on the object (n, e) in release v.
func (db *DB) member(n *Node, e *Entry, name string, v, depth int) (*Node, *Entry, Status) {
	if depth > maxFollow {
		return nil, nil, Unknown
	}
	switch e.Kind {
	case Module, Class:
	default:
		return nil, nil, Unknown // members of values are not known
	}
	if c := n.Member(name); c != nil {
		if db.rootAlias(c) {
			return nil, nil, Unknown
		}
		if ce := c.At(v); ce != nil {
			return db.follow(c, ce, v, depth)
		}
	}
	if e.Kind == Class {
		for _, b := range e.Bases() {
			r := db.resolveFrom(b, v, depth+1)
			if r.Status != Found {
				return nil, nil, Unknown
			}
			if c, ce, st := db.member(r.Node, r.Entry, name, v, depth+1); st != Missing {
				return c, ce, st
			}
		}
	}
	if e.Dynamic() || strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__") {
		// Dunder names come from object and module machinery.
		return nil, nil, Unknown
	}
	return nil, nil, Missing
}

// follow resolves a re-export to the object it names.
func (db *DB) follow(n *Node, e *Entry, v, depth int) (*Node, *Entry, Status) {
	if e.Kind != Reexport {
		return n, e, Found
	}
	r := db.resolveFrom(e.Target(), v, depth+1)
	if r.Status != Found {
		return nil, nil, Unknown
	}
	return r.Node, r.Entry, Found
}

func (db *DB) resolveFrom(path string, v, depth int) Resolved {
	if depth > maxFollow {
		return Resolved{Status: Unknown}
	}
	// The components are cut one by one: resolution runs for every
	// reference of every analysed file, and splitting the path allocated.
	first, rest, more := strings.Cut(path, ".")
	if first != db.root.Name {
		return Resolved{Status: Unknown}
	}
	n := db.root
	e := n.At(v)
	if e == nil {
		return Resolved{Status: Unknown}
	}
	for i := 1; more; i++ {
		var comp string
		comp, rest, more = strings.Cut(rest, ".")
		c, ce, st := db.member(n, e, comp, v, depth)
		if st != Found {
			return Resolved{Status: st, At: i}
		}
		n, e = c, ce
	}
	return Resolved{Status: Found, Node: n, Entry: e}
}

// Member resolves a member of a class (its own or inherited) in release v.
func (db *DB) Member(class string, name string, v int) Resolved {
	return db.resolved(memoKey{path: class, name: name, v: v, member: true}, func() Resolved {
		r := db.Resolve(class, v)
		if r.Status != Found {
			return Resolved{Status: Unknown}
		}
		c, ce, st := db.member(r.Node, r.Entry, name, v, 0)
		if st != Found {
			return Resolved{Status: st}
		}
		return Resolved{Status: Found, Node: c, Entry: ce}
	})
}

// memo keeps answers that depend on the question alone (the data does
// not change), by a string of the question that picks its shard: the
// rules ask the same paths of many references, files and releases (a
// module's imports in every file of a package, a removed path of each
// release before the target), and a walk of a path and its re-exports
// costs thousands of instructions where a lookup costs tens. Its shards
// each hold at most memoShardSize answers, so that its memory is bounded
// whatever the input (past that, answers are computed as before); keys
// cut from a source are copied by the caller, so that no source text is
// kept alive by one.
type memo[K comparable, V any] struct {
	once   sync.Once
	seed   maphash.Seed
	shards [memoShards]memoShard[K, V]
}

const (
	memoShards    = 32
	memoShardSize = 512
	memoMaxKey    = 256
)

type memoShard[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (m *memo[K, V]) shard(s string) *memoShard[K, V] {
	m.once.Do(func() { m.seed = maphash.MakeSeed() })
	return &m.shards[maphash.String(m.seed, s)%memoShards]
}

func (m *memo[K, V]) get(s string, k K) (V, bool) {
	sh := m.shard(s)
	sh.mu.RLock()
	v, ok := sh.m[k]
	sh.mu.RUnlock()
	return v, ok
}

func (m *memo[K, V]) put(s string, k K, v V) {
	sh := m.shard(s)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if len(sh.m) >= memoShardSize {
		return
	}
	if sh.m == nil {
		sh.m = make(map[K]V)
	}
	sh.m[k] = v
}

// memoKey is a question of Resolve(path, v), or Member(path, name, v).
type memoKey struct {
	path, name string
	v          int
	member     bool
}

// resolved returns what the memo holds for k, or else answer's, kept.
// A question longer than memoMaxKey bytes (no path of the data is) is
// answered without the memo, whose memory stays bounded so.
func (db *DB) resolved(k memoKey, answer func() Resolved) Resolved {
	if len(k.path)+len(k.name) > memoMaxKey {
		return answer()
	}
	if r, ok := db.memo.get(k.path, k); ok {
		return r
	}
	r := answer()
	k.path, k.name = strings.Clone(k.path), strings.Clone(k.name)
	db.memo.put(k.path, k, r)
	return r
}

// Selection resolves a version as the user writes it to release indexes:
// "2.9.2" is that release, "2.9" every 2.9.x release of the data, "2" every
// 2.x release. The error lists the known releases.
func (db *DB) Selection(spec string) ([]int, error) { return selectIn(db.versions, spec) }

// Select is Selection on the embedded data, read from its header alone.
func Select(spec string) ([]int, error) { return selectIn(Versions(), spec) }

func selectIn(versions []string, spec string) ([]int, error) {
	spec = strings.TrimSpace(spec)
	var out []int
	for i, v := range versions {
		if v == spec || strings.HasPrefix(v, spec+".") {
			out = append(out, i)
		}
	}
	if len(out) == 0 || spec == "" {
		return nil, fmt.Errorf("%q is not an MLflow release in the data; known: %s", spec, strings.Join(versions, ", "))
	}
	return out, nil
}

// Last returns the newest release index.
func (db *DB) Last() int { return len(db.versions) - 1 }

// Version returns the release of index i.
func (db *DB) Version(i int) string { return db.versions[i] }

// Trigger is a name through which a migration can be seen in source
// code, and the alternatives of companion words: a source must spell every
// word of one alternative (the words every path to the object spells,
// see spelled) for the name to matter. No alternative: the name alone.
//
// Members of classes are reached through objects, whose classes need not be
// spelled; but something that makes the object must be: the class itself
// (constructed, annotated, subclassed, patched) or a function, method,
// property or attribute that returns it or a list of it, for the class or
// any class derived from it. Each maker gives an alternative: the words
// that reach it (a module's member) or its name (a member of a class).
//
// An alternative that holds WrittenMark ("!") fires only in a statement
// that writes the name itself, its other words coming from that statement
// or from those it uses: the object is gone from the target, or deprecated
// there with no call of it that can break, and the generic rules report
// such an object only where its name is written.
//
// A trigger with a Gate (see CallGate) has, besides the alternatives of
// With, the alternatives of Gated, which count only where a use of the
// name holds the gate (one gate for all of them: where one counts, so
// may every other); no Gated alternative stands for the name alone, so
// gated. With then lists only alternatives without a gate, none of them
// the name alone.
type Trigger struct {
	Name  string
	With  [][]string
	Gate  *CallGate
	Gated [][]string
}

// alternatives returns every alternative of t: those of With, then those
// the gate gates (Gated, or the name alone: an empty alternative).
func (t Trigger) alternatives() [][]string {
	if t.Gate != nil && len(t.Gated) == 0 {
		return append(slices.Clip(t.With), nil)
	}
	return slices.Concat(t.With, t.Gated)
}

// altSource is the key of an alternative of words and its call gate
// (nil for none).
type altSource struct {
	key  string
	gate *CallGate
}

// ChangedNames returns the triggers of a migration from the src releases
// to tgt: the objects whose entry in some source release breaks in tgt
// (see breaks), the objects gone from all of src that an earlier release
// had, and the objects tgt marks deprecated. A class whose __init__
// changed gives its own name, which is what calls spell; a class that
// only some members break (see breakage) gives those members as a change
// of its own members would, through its makers. A callable that
// only keywords break (see change) adds one of those keywords to each of
// its alternatives: a call that names none of them breaks nothing. A
// trigger whose words include all the words of another is left out, as
// the other fires wherever it would (a member of a changed module, for
// one). Sorted, unique.
func (db *DB) ChangedNames(src []int, tgt int) []Trigger {
	ts, _ := db.changedNames(db.changeIn(src, tgt), []int{tgt})
	return ts
}

// ChangedNamesAny returns the triggers of several migrations at once, the
// ith from the releases src[i] to tgt[i]: the triggers of every object one
// of them changes. They fire wherever the triggers of any one migration
// would (and more often), so several analyses of the same files can share
// one set and one scan.
func (db *DB) ChangedNamesAny(src [][]int, tgt []int) []Trigger {
	ts, _ := db.ChangedNamesAnyFree(src, tgt)
	return ts
}

// ChangedNamesAnyFree is ChangedNamesAny with the words of its triggers
// that a source may write elsewhere than where a member is written (see
// analyzer.WordSet): the keywords of calls, `mlflow`, and the names of
// objects reached by their name alone. Every other word of a trigger is a
// component of a path to an object, or the name of a member reached
// through an object.
func (db *DB) ChangedNamesAnyFree(src [][]int, tgt []int) ([]Trigger, []string) {
	tests := make([]func(*Node) change, len(tgt))
	for i := range tgt {
		tests[i] = db.changeIn(src[i], tgt[i])
	}
	return db.changedNames(func(n *Node) change {
		var c change
		for _, t := range tests {
			c = c.union(t(n))
		}
		return c
	}, tgt)
}

// changedNames is ChangedNamesAnyFree for the objects isChanged selects,
// in the target releases tgts (for the triggers' call gates).
func (db *DB) changedNames(changeOf func(*Node) change, tgts []int) ([]Trigger, []string) {
	makers := db.makers()
	// The changed objects first, and the nodes whose paths their
	// triggers need: the objects, and the makers that are members of
	// modules, down the chains of makers makerWordsDeep follows.
	var changed []*Node
	var needed []*Node
	// keywords holds, for the changed callables that only keywords can
	// break, the keywords whose use breaks.
	keywords := map[*Node][]string{}
	// gone holds the changed objects the targets do not have.
	written := map[*Node]bool{}
	// byMembers holds the changed classes that only some of their
	// members break, with those members' names.
	byMembers := map[*Node][]string{}
	walked := map[makerKey]bool{}
	var needMakerAt func(k *Node, depth int)
	needMakerAt = func(k *Node, depth int) {
		if walked[makerKey{k, depth}] {
			return
		}
		walked[makerKey{k, depth}] = true
		if !isClassMember(k) {
			needed = append(needed, k)
			return
		}
		if d := k.parent; d != nil && d.hasKind(Class) && depth > 0 {
			for _, k2 := range makers[d] {
				needMakerAt(k2, depth-1)
			}
		}
	}
	needMaker := func(k *Node) { needMakerAt(k, maxMakerDepth) }
	for _, n := range db.nodes() {
		c := changeOf(n)
		if !c.changed || c.byKeyword && len(c.keywords) == 0 {
			continue
		}
		if n.Name == "__init__" && c.gone {
			// No call is checked against a signature the target does
			// not have; the class, if gone, is reported where written.
			continue
		}
		if c.members != nil && len(makers[n]) > 0 {
			// Reached as its own members are, through its makers.
			byMembers[n] = c.members
			for _, k := range makers[n] {
				needMaker(k)
			}
			continue
		}
		changed = append(changed, n)
		if c.byKeyword {
			keywords[n] = c.keywords
		}
		if c.written {
			written[n] = true
		}
		p := n.parent
		if p == nil {
			continue
		}
		switch {
		case n.Name == "__init__":
			for _, k := range makers[p] {
				needMaker(k)
			}
		default:
			if p.hasKind(Module) {
				needed = append(needed, n)
			}
			if p.hasKind(Class) {
				for _, k := range makers[p] {
					needMaker(k)
				}
			}
		}
	}
	spelled := db.spelled(needed)
	deep := map[makerKey][][]string{}
	// Each alternative as the whole set of words it needs, its name
	// included (sorted, joined by spaces), and the word it is keyed by:
	// the object's name when every path spells it.
	sets := map[string]altSource{}
	free := map[string]bool{db.root.Name: true}
	// add keeps an alternative of the trigger keyed by name (or by its
	// last word, when it lacks name). gate, when not nil, is the call
	// gate of the object the alternative reaches, whose calls spell
	// called: it is kept only when the key is that name, and an
	// alternative that two objects give keeps a gate only when both give
	// one under the same key.
	add := func(words []string, name string, gate *CallGate, called string) {
		if len(words) == 0 {
			// Nothing certain beyond the root: any source that
			// spells mlflow.
			words = []string{db.root.Name}
		}
		key := name
		if !slices.Contains(words, key) {
			key = words[len(words)-1]
		}
		if strings.HasPrefix(words[0], WrittenMark) && words[0] != WrittenMark+key {
			words = words[1:] // not keyed by the written name: not so bound
		}
		if key != called || key == db.root.Name {
			gate = nil
		}
		set := strings.Join(words, " ")
		prev, ok := sets[set]
		switch {
		case !ok:
		case prev.key != key || prev.gate == nil || gate == nil:
			gate = nil
			key = min(key, prev.key)
		default:
			gate = mergeGates(prev.gate, gate)
		}
		sets[set] = altSource{key, gate}
	}
	for _, n := range changed {
		add := add
		if p := n.parent; written[n] && n.Name != "__init__" && p != nil && len(p.Entries) > 0 && (p.hasKind(Module) || p.hasKind(Class)) {
			// Found only where the name is written: the statement that
			// writes the object's name must be one of those that fire.
			base, own := add, n.Name
			add = func(words []string, name string, gate *CallGate, called string) {
				if name == own && slices.Contains(words, own) {
					words = withWord(words, WrittenMark+own)
				}
				base(words, name, nil, "")
			}
		}
		if kws := keywords[n]; kws != nil {
			// Only a call that names one of the keywords can break.
			base := add
			for _, k := range kws {
				free[k] = true
			}
			add = func(words []string, name string, gate *CallGate, called string) {
				for _, k := range kws {
					base(withWord(words, k), name, gate, called)
				}
			}
		}
		name := n.Name
		init := false
		if name == "__init__" && n.parent != nil {
			n, name, init = n.parent, n.parent.Name, true
		}
		if init {
			// Calls spell the class or a class derived from it.
			for _, k := range makers[n] {
				if k.hasKind(Class) {
					gate := db.classGate(k, tgts)
					for _, a := range makerWords(k, spelled) {
						add(a, name, gate, k.Name)
					}
				}
			}
			continue
		}
		p := n.parent
		if p == nil || len(p.Entries) == 0 {
			free[name] = true
			add([]string{name}, name, nil, "")
			continue
		}
		if p.hasKind(Module) && !p.hasKind(Class) {
			gate := db.funcGate(n, false, tgts)
			for _, a := range spelled[n] {
				add(a, name, gate, name)
			}
		} else if p.hasKind(Module) {
			for _, a := range spelled[n] {
				add(a, name, nil, "")
			}
		}
		if p.hasKind(Class) {
			var gate *CallGate
			if !p.hasKind(Module) {
				gate = db.funcGate(n, true, tgts)
			}
			for _, k := range makers[p] {
				for _, a := range makerWordsDeep(k, maxMakerDepth, spelled, makers, deep) {
					add(withWord(a, name), name, gate, name)
				}
			}
		}
		if !p.hasKind(Module) && !p.hasKind(Class) {
			free[name] = true
			add([]string{name}, name, nil, "")
		}
	}
	for n, names := range byMembers {
		for _, k := range makers[n] {
			for _, a := range makerWordsDeep(k, maxMakerDepth, spelled, makers, deep) {
				for _, name := range names {
					add(withWord(a, name), name, nil, "")
				}
			}
		}
	}
	ts := triggersOf(sets)
	var words []string
	for _, t := range ts {
		words = append(words, t.Name)
		for _, a := range slices.Concat(t.With, t.Gated) {
			words = append(words, a...)
		}
	}
	words = slices.DeleteFunc(words, func(w string) bool { return !free[w] })
	slices.Sort(words)
	return ts, slices.Compact(words)
}

// makerWords are the alternatives of words a source spells to use maker
// k: those of its paths for a module's member, its name otherwise (a
// class's member is reached through an object of the class, which comes
// from makers of its own that need not be spelled).
func makerWords(k *Node, spelled map[*Node][][]string) [][]string {
	if p := k.parent; p != nil && p.hasKind(Module) && !p.hasKind(Class) {
		return spelled[k]
	}
	return [][]string{{k.Name}}
}

// maxMakerAlts bounds the alternatives makerWordsDeep unrolls for a
// maker that is a member of a class; past it, they are narrowed.
const maxMakerAlts = 256

// maxMakerDepth bounds the classes makerWordsDeep unrolls a chain of
// makers through.
const maxMakerDepth = 6

// makerKey is a maker and the depth left to unroll it.
type makerKey struct {
	k     *Node
	depth int
}

// makerWordsDeep is makerWords with a maker that is a member of a class D
// unrolled: it is reached through an object of D, which comes from a
// maker of D, so the maker's name joins each of the words of D's makers,
// themselves unrolled, depth classes deep. Every object the type
// inference knows comes, at the start of its chain, from a member of a
// module (called, or named in an annotation or as a base class), whose
// words the chain's first maker spells. Makers of D that are class
// members named like k (k itself, or the same method of a subclass) are
// skipped: their alternative would be k's name with words the others
// hold too, and the object they are called on comes, at the start of any
// chain of them, from another maker of D (the makers of a subclass are
// makers of D, and so is D itself, for a call on the class), whose words
// with k's name are already an alternative. A `with` statement calls
// __enter__ without naming it: that maker adds no word of its own. Past
// maxMakerAlts alternatives each keeps two words (narrowAlts); past that
// too, or at depth 0, the maker's name alone: a chain that comes back to
// a class ends there. memo holds what was unrolled, by maker and depth.
func makerWordsDeep(k *Node, depth int, spelled map[*Node][][]string, makers map[*Node][]*Node, memo map[makerKey][][]string) [][]string {
	p := k.parent
	if p == nil || !p.hasKind(Class) || p.hasKind(Module) || depth == 0 {
		return makerAlone(k, spelled)
	}
	key := makerKey{k, depth}
	if out, ok := memo[key]; ok {
		return out
	}
	unroll := func(of func(k2 *Node) [][]string) [][]string {
		var out [][]string
		for _, k2 := range makers[p] {
			if k2.Name == k.Name && isClassMember(k2) {
				continue
			}
			for _, a := range of(k2) {
				if k.Name != enterName {
					a = withWord(a, k.Name)
				}
				out = append(out, a)
			}
		}
		return out
	}
	out := unroll(func(k2 *Node) [][]string { return makerWordsDeep(k2, depth-1, spelled, makers, memo) })
	if len(out) > maxMakerAlts {
		// Too many: D's makers unrolled no further.
		out = unroll(func(k2 *Node) [][]string { return makerAlone(k2, spelled) })
	}
	if len(out) > maxMakerAlts && k.Name != enterName {
		out = narrowAlts(out, k.Name)
	}
	if len(out) == 0 || len(out) > maxMakerAlts {
		out = makerAlone(k, spelled)
	}
	memo[key] = out
	return out
}

// enterName is the method a `with` statement calls without naming it.
const enterName = "__enter__"

// makerAlone is makerWords, but for __enter__, which needs no word: one
// empty alternative.
func makerAlone(k *Node, spelled map[*Node][][]string) [][]string {
	if k.Name == enterName && isClassMember(k) {
		return [][]string{{}}
	}
	return makerWords(k, spelled)
}

// isClassMember reports whether k is reached through an object of a class
// (makerWords gives it its name alone).
func isClassMember(k *Node) bool {
	p := k.parent
	return p == nil || !p.hasKind(Module) || p.hasKind(Class)
}

// narrowAlts keeps of each alternative the word name and its longest other
// word (the likeliest to be rare), dropping repeats: a source that spells
// an alternative spells these two, so they fire wherever it would.
func narrowAlts(alts [][]string, name string) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, a := range alts {
		best := ""
		for _, w := range a {
			if w != name && (len(w) > len(best) || len(w) == len(best) && w < best) {
				best = w
			}
		}
		if best == "" {
			return [][]string{{name}}
		}
		if !seen[best] {
			seen[best] = true
			out = append(out, withWord([]string{name}, best))
		}
	}
	return out
}

// hasKind reports whether some release has n as an object of kind k.
func (n *Node) hasKind(k Kind) bool {
	for i := range n.Entries {
		if n.Entries[i].Kind == k {
			return true
		}
	}
	return false
}

// triggersOf turns alternatives (word sets, their words sorted and joined
// by spaces, and their keys) into triggers: a set holding all the words of
// another is dropped, since the other fires wherever it would; the rest
// are grouped by key.
func triggersOf(sets map[string]altSource) []Trigger {
	type alt struct {
		words []string
		key   string
		gate  *CallGate
	}
	alts := make([]alt, 0, len(sets))
	// Each set is indexed by the XOR of its words' hashes, so that the
	// subsets of a set are looked up without building their text.
	wordHash := map[string]uint64{}
	byHash := map[uint64][]int{}
	for set, as := range sets {
		key := as.key
		words := strings.Split(set, " ")
		var h uint64
		for _, w := range words {
			wh, ok := wordHash[w]
			if !ok {
				f := fnv.New64a()
				f.Write([]byte(w))
				wh = f.Sum64()
				wordHash[w] = wh
			}
			h ^= wh
		}
		byHash[h] = append(byHash[h], len(alts))
		alts = append(alts, alt{words, key, as.gate})
	}
	// By key, the merged gate of the gated alternatives, those left out
	// below too: one they stand for fires under its own gate.
	gates := map[string]*CallGate{}
	for _, a := range alts {
		if a.gate == nil {
			continue
		}
		if g := gates[a.key]; g != nil {
			gates[a.key] = mergeGates(g, a.gate)
		} else {
			gates[a.key] = a.gate
		}
	}
	// By key, the alternatives without a gate and those with one.
	byKey := map[string][][]string{}
	gatedOf := map[string][][]string{}
	hashes := make([]uint64, 0, maxSubsetCheck)
	for _, a := range alts {
		hashes = hashes[:0]
		for _, w := range a.words {
			hashes = append(hashes, wordHash[w])
		}
		// A gated alternative fires in fewer statements than its words
		// say: it stands only for the gated sets of its own key, which
		// share its gate.
		subset := func(j int) ([]string, bool) {
			b := alts[j]
			return b.words, b.gate == nil || a.gate != nil && b.key == a.key
		}
		if len(a.words) <= maxSubsetCheck && hasSubset(a.words, hashes, byHash, subset) {
			continue
		}
		var with []string
		for _, w := range a.words {
			switch {
			case w == WrittenMark+a.key:
				with = append(with, WrittenMark)
			case w != a.key:
				with = append(with, w)
			}
		}
		if a.gate == nil {
			byKey[a.key] = append(byKey[a.key], with)
			continue
		}
		gatedOf[a.key] = append(gatedOf[a.key], with)
	}
	// alone reports whether the name alone is one of as, and sorts them.
	alone := func(as [][]string) bool {
		slices.SortFunc(as, slices.Compare)
		return len(as) > 0 && len(as[0]) == 0
	}
	out := make([]Trigger, 0, len(byKey)+len(gatedOf))
	for key := range gatedOf {
		if _, ok := byKey[key]; !ok {
			byKey[key] = nil
		}
	}
	for key, as := range byKey {
		t := Trigger{Name: key, With: as}
		if alone(t.With) {
			// The name alone fires wherever any alternative would.
			out = append(out, Trigger{Name: key})
			continue
		}
		if g := gatedOf[key]; g != nil {
			t.Gate = gates[key]
			// A gated name alone stands for every gated alternative,
			// as they share one gate.
			if !alone(g) {
				t.Gated = g
			}
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Trigger) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// maxSubsetCheck bounds the words of a set whose subsets triggersOf
// looks for; a larger set is kept as it is.
const maxSubsetCheck = 12

// hasSubset reports whether one of the sets (by the XOR of their words'
// hashes) holds fewer words than the sorted words, all among them: each
// proper subset of words is looked up by its hash, hashes[i] being that
// of words[i], and a hit is checked word by word.
func hasSubset(words []string, hashes []uint64, byHash map[uint64][]int, set func(int) ([]string, bool)) bool {
	n := len(words)
	for mask := 1; mask < 1<<n-1; mask++ {
		var h uint64
		for i := range n {
			if mask&(1<<i) != 0 {
				h ^= hashes[i]
			}
		}
		for _, j := range byHash[h] {
			if o, ok := set(j); ok && len(o) < n && isSubset(o, words) {
				return true
			}
		}
	}
	return false
}

// rootAlias reports whether n is a module's binding of the mlflow package
// itself (`import mlflow` in mlflow/cli.py makes mlflow.cli.mlflow, one of
// 212 such names): an artifact of the module's imports, not its API. Paths
// through it resolve to Unknown, so the generic rules say nothing of them,
// and it is no changed object (ChangedNames): a module that stops
// importing mlflow breaks no user code, and a trigger named `mlflow` fired
// in every file that also wrote the module's name.
func (db *DB) rootAlias(n *Node) bool {
	if n.Name != db.root.Name || n.parent == nil || len(n.Entries) == 0 {
		return false
	}
	for k := range n.Entries {
		if e := &n.Entries[k]; e.Kind != Reexport || e.Target() != db.root.Name {
			return false
		}
	}
	return true
}

// changedIn returns the test of whether a node is a changed object of the
// migration from src to tgt (see ChangedNames).
func (db *DB) changedIn(src []int, tgt int) func(n *Node) bool {
	b := db.breakageIn(src, tgt)
	return func(n *Node) bool { return b(n).broken() }
}

// breakageIn returns the breakage of a node in the migration from src to
// tgt.
func (db *DB) breakageIn(src []int, tgt int) func(n *Node) breakage {
	minS := tgt
	for _, s := range src {
		minS = min(minS, s)
	}
	var all Set
	for i := range db.versions {
		all.add(i)
	}
	return func(n *Node) breakage { return db.breakage(n, src, minS, tgt, all) }
}

// change is what a migration does to one object: whether it is changed
// (see ChangedNames) and, when only calls that name certain keywords can
// break through it, those keywords.
type change struct {
	changed bool
	// byKeyword is set when the object stays a callable whose only breaks
	// are keywords: parameters the target no longer names or marks
	// deprecated. A call that names none of keywords breaks nothing the
	// rules check (MLF303, MLF302 and MLF306 read keywords; positional
	// capacity and the object itself are unchanged).
	byKeyword bool
	keywords  []string
	// gone is set when the target does not have the object (its path
	// does not resolve there): the generic rules then report it only
	// where a source writes its name (an import, a member written after
	// a dot, a string), never at a call or a use elsewhere, which need
	// the object in the target.
	gone bool
	// written is set when the generic rules report the object only where
	// a source writes its name, as for one gone: it is gone, or the
	// target deprecates it as a whole and no call of it can break (see
	// callsUnbroken), so that a call or any other use of a name bound to
	// it (a from-import's name) is reported nowhere but where the name
	// was bound.
	written bool
	// members, when set, are the only names through which the change
	// breaks code: a class found in the target whose own references
	// break nothing, but some of whose members, inherited from bases
	// that changed, no longer resolve alike (see breakage).
	members []string
}

// union is the change of an object under either of two migrations.
func (c change) union(d change) change {
	switch {
	case !c.changed:
		return d
	case !d.changed:
		return c
	case c.members != nil && d.members != nil:
		return change{changed: true, members: unionSorted(c.members, d.members)}
	case !c.byKeyword || !d.byKeyword:
		return change{changed: true, gone: c.gone && d.gone, written: c.written && d.written}
	}
	kws := slices.Clone(c.keywords)
	for _, k := range d.keywords {
		if !slices.Contains(kws, k) {
			kws = append(kws, k)
		}
	}
	slices.Sort(kws)
	return change{changed: true, byKeyword: true, keywords: kws}
}

// WrittenMark is the word of an alternative that asks for the trigger's
// name in the statement itself (see Trigger).
const WrittenMark = "!"

// changeIn is changedIn with what changed.
func (db *DB) changeIn(src []int, tgt int) func(n *Node) change {
	breakageOf := db.breakageIn(src, tgt)
	return func(n *Node) change {
		b := breakageOf(n)
		if !b.broken() {
			return change{}
		}
		if !b.whole {
			return change{changed: true, members: b.members}
		}
		kws, ok := db.keywordBreaks(n, src, tgt)
		gone := db.Resolve(n.Path(), tgt).Status != Found
		written := gone || !ok && db.callsUnbroken(n, src, tgt)
		return change{changed: true, byKeyword: ok, keywords: kws, gone: gone, written: written}
	}
}

// callsUnbroken reports whether the target deprecates n as a whole and
// the generic rules' check of a call's arguments (rules.checkArgs) can
// report no call of it, whatever its arguments: n is neither function nor
// class in the target, or a class whose __init__ is the same node in
// every source release and the target (its changes trigger on their
// own), or it is a function of a known signature that every
// source release's n was too, taking no fewer positional parameters,
// naming every keyword a release of n ever named (or taking **kwargs), and
// deprecating none. Then MLF305 is all the rules report of it, at the
// places that write its name: an import, an attribute, a string.
func (db *DB) callsUnbroken(n *Node, src []int, tgt int) bool {
	et := n.At(tgt)
	if et == nil || !et.Deprecated() || len(et.DeprecatedParams()) > 0 {
		return false
	}
	nt, ft, st := db.follow(n, et, tgt, 0)
	if st != Found || len(ft.DeprecatedParams()) > 0 {
		return false
	}
	if ft.Kind == Class {
		// Its calls are checked against the __init__ each release
		// resolves, whose changes trigger on their own where it is one
		// node throughout; one inherited from another base somewhere is
		// not.
		init := db.Member(nt.Path(), "__init__", tgt)
		for _, s := range src {
			if es := n.At(s); es != nil {
				ns, _, ss := db.follow(n, es, s, 0)
				if ss != Found || ns != nt {
					return false
				}
				if i := db.Member(nt.Path(), "__init__", s); i.Status != init.Status || i.Node != init.Node {
					return false
				}
			}
		}
		return true
	}
	if ft.Kind != Function {
		return true
	}
	if ft.Dynamic() {
		return false // no signature to tell
	}
	for _, s := range src {
		es := n.At(s)
		if es == nil {
			continue
		}
		ns, fs, ss := db.follow(n, es, s, 0)
		if ss != Found || ns != nt || fs.Kind != Function || fs.Dynamic() || !positionalKept(fs, ft) {
			return false
		}
	}
	return len(unnamedKeywords(n, nt, ft)) == 0
}

// unnamedKeywords returns the keywords some release of n or nt named
// that function ft rejects (none when it takes **kwargs), in the order
// met, once each.
func unnamedKeywords(n, nt *Node, ft *Entry) []string {
	pt := ft.Params()
	if slices.ContainsFunc(pt, func(p Param) bool { return p.Kind == VarKeyword }) {
		return nil
	}
	named := map[string]bool{}
	for _, p := range pt {
		if p.Kind == PositionalOrKeyword || p.Kind == KeywordOnly {
			named[p.Name] = true
		}
	}
	var out []string
	for _, owner := range []*Node{n, nt} {
		for i := range owner.Entries {
			e := &owner.Entries[i]
			if e.Kind != Function {
				continue
			}
			for _, p := range e.Params() {
				if (p.Kind == PositionalOrKeyword || p.Kind == KeywordOnly) && !named[p.Name] && !slices.Contains(out, p.Name) {
					out = append(out, p.Name)
				}
			}
		}
	}
	return out
}

// keywordBreaks reports whether a changed object n stays, from every
// source release to tgt, the same callable with no fewer positional
// parameters, not deprecated: then only keywords break its calls, and kws
// are those keywords (sorted): the ones tgt marks deprecated and, unless
// it takes **kwargs, every keyword some release named that tgt does not.
func (db *DB) keywordBreaks(n *Node, src []int, tgt int) (kws []string, ok bool) {
	et := n.At(tgt)
	if et == nil || et.Deprecated() {
		return nil, false
	}
	nt, ft, st := db.follow(n, et, tgt, 0)
	if st != Found || ft.Kind != Function || ft.Deprecated() {
		return nil, false
	}
	for _, s := range src {
		es := n.At(s)
		if es == nil {
			continue
		}
		ns, fs, ss := db.follow(n, es, s, 0)
		if ss != Found || ns != nt || fs.Kind != Function || !positionalKept(fs, ft) {
			return nil, false
		}
	}
	add := func(k string) {
		if !slices.Contains(kws, k) {
			kws = append(kws, k)
		}
	}
	for _, e := range []*Entry{et, ft} {
		for _, k := range e.DeprecatedParams() {
			add(k)
		}
	}
	for _, k := range unnamedKeywords(n, nt, ft) {
		add(k)
	}
	slices.Sort(kws)
	return kws, true
}

// positionalKept reports whether a call that fits signature es passes no
// more positional arguments than et takes, binding them alike: et takes at
// least as many positional parameters (or *args whenever es does), and
// both or neither are static methods.
func positionalKept(es, et *Entry) bool {
	if es.Static() != et.Static() {
		return false
	}
	capS, varS := positionalCapacity(es.Params())
	capT, varT := positionalCapacity(et.Params())
	return varT || !varS && capS <= capT
}

// positionalCapacity counts the parameters a positional argument can bind
// and tells whether *args takes the rest.
func positionalCapacity(ps []Param) (n int, varPos bool) {
	for _, p := range ps {
		switch p.Kind {
		case PositionalOnly, PositionalOrKeyword:
			n++
		case VarPositional:
			varPos = true
		}
	}
	return n, varPos
}

// breakage is how a migration breaks the code that reaches an object:
// not at all, wholly (the object is gone, deprecated, of another kind or
// signature, or what it is cannot be told), or only through some of the
// members of a class (their names, sorted), which references of the class
// itself never report: the rules report a member that no longer resolves
// alike where the member is read, as they do for a member of the class's
// own that changed.
type breakage struct {
	whole   bool
	members []string
}

var wholly = breakage{whole: true}

func (b breakage) broken() bool { return b.whole || len(b.members) > 0 }

// and is the breakage of either b or o.
func (b breakage) and(o breakage) breakage {
	if b.whole || o.whole {
		return wholly
	}
	return breakage{members: unionSorted(b.members, o.members)}
}

// unionSorted returns the sorted union of the sorted lists a and b.
func unionSorted(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// breakage tells how the migration breaks node n (see ChangedNames); minS
// is the oldest source release, all the set of every release.
func (db *DB) breakage(n *Node, src []int, minS, tgt int, all Set) breakage {
	if db.rootAlias(n) {
		return breakage{}
	}
	if len(n.Entries) == 1 && n.Entries[0].In == all && !strings.Contains(n.Entries[0].fields, "dep") {
		return breakage{} // the same in every release, never deprecated
	}
	et := n.At(tgt)
	if et != nil && (et.Deprecated() || len(et.DeprecatedParams()) > 0) {
		return wholly
	}
	absent := true
	var b breakage
	for _, s := range src {
		// Every source release, even one whose entry is its
		// predecessor's: what a class's members and a re-export's
		// target resolve to depends on the release.
		es := n.At(s)
		if es == nil {
			continue
		}
		absent = false
		if b = b.and(db.breaksReached(n, es, s, et, tgt)); b.whole {
			return b
		}
	}
	if absent && et == nil && db.Resolve(n.Path(), tgt).Status != Found {
		for i := 0; i < minS; i++ {
			if n.At(i) != nil {
				return wholly
			}
		}
	}
	return b
}

// makers maps each class to what can make its objects in some source: the
// class itself and its subclasses, and the functions, methods, properties
// and attributes that return one of them (or a list of them), in any
// release.
func (db *DB) makers() map[*Node][]*Node {
	db.makersOnce.Do(func() {
		sub := map[*Node][]*Node{} // class -> direct subclasses
		byReturn := map[*Node][]*Node{}
		for _, n := range db.nodes() {
			for k := range n.Entries {
				e := &n.Entries[k]
				rel := firstRelease(e.In)
				switch e.Kind {
				case Class:
					for _, b := range e.Bases() {
						if r := db.Resolve(b, rel); r.Status == Found && !slices.Contains(sub[r.Node], n) {
							sub[r.Node] = append(sub[r.Node], n)
						}
					}
				case Function, Property, Attribute:
					ret := strings.TrimPrefix(e.Returns(), "[")
					if ret == "" {
						continue
					}
					if r := db.Resolve(ret, rel); r.Status == Found && !slices.Contains(byReturn[r.Node], n) {
						byReturn[r.Node] = append(byReturn[r.Node], n)
					}
				}
			}
		}
		db.makerNodes = map[*Node][]*Node{}
		for _, c := range db.nodes() {
			if len(c.Entries) == 0 || c.Entries[0].Kind != Class {
				continue
			}
			seen := map[*Node]bool{}
			var list []*Node
			var visit func(k *Node, depth int)
			visit = func(k *Node, depth int) {
				if seen[k] || depth > maxFollow {
					return
				}
				seen[k] = true
				list = append(list, k)
				for _, f := range byReturn[k] {
					if !seen[f] {
						seen[f] = true
						list = append(list, f)
					}
				}
				for _, s := range sub[k] {
					visit(s, depth+1)
				}
			}
			visit(c, 0)
			db.makerNodes[c] = list
		}
	})
	return db.makerNodes
}

func firstRelease(s Set) int {
	for i := 0; i < maxVersions; i++ {
		if s.Has(i) {
			return i
		}
	}
	return 0
}

// breaksReached is breaks for what code reaches through node n: the entries
// es (release s) and et (release t) with re-exports followed. The rules
// check a reached object's existence, its deprecation and, for a function
// or a class, its signature; so a node that reaches a value or a module in
// t, or nothing the data knows, gives no finding of its own whatever it
// was in s, and one that reached a value or a module in s had no
// signature to break. (Its members are nodes of their own.) A node
// without an entry in t is judged by what its path reaches there, if
// anything (a moved parent re-exported where it was, a base).
func (db *DB) breaksReached(n *Node, es *Entry, s int, et *Entry, t int) breakage {
	if !breaks(es, et) {
		return breakage{}
	}
	var nt *Node
	var ft *Entry
	if et == nil {
		// n's path may still reach an object, through a parent moved
		// and re-exported where it was, or a base.
		r := db.Resolve(n.Path(), t)
		if r.Status != Found {
			return wholly
		}
		nt, ft = r.Node, r.Entry
	} else {
		var st Status
		if nt, ft, st = db.follow(n, et, t, 0); st != Found {
			return breakage{}
		}
	}
	if ft.Kind != Function && ft.Kind != Class {
		return breakage{}
	}
	ns, fs, ss := db.follow(n, es, s, 0)
	switch {
	case ss != Found:
		return wholly
	case fs.Kind != Function && fs.Kind != Class:
		// A value or a module in s: no call of it was checked there, and
		// what is missing from it is what its members' nodes tell.
		return breakage{}
	case ns != nt:
		return db.unlike(ns, fs, s, nt, ft, t)
	case !breaks(fs, ft):
		return breakage{}
	case fs.Kind == Class:
		return db.membersBreak(ns, fs, s, nt, ft, t)
	}
	return wholly
}

// unlike reports whether code written against object ns (entry es, release
// s) can fail against another object nt (et, release t) reached by the
// same path: a function moved into a module of its own and re-exported
// where it was, or a class moved so, breaks only where the two differ as
// breaks tells (for a class, as the members it resolves do), or where the
// new one is deprecated.
func (db *DB) unlike(ns *Node, es *Entry, s int, nt *Node, et *Entry, t int) breakage {
	if es.Kind != et.Kind || es.Dynamic() != et.Dynamic() || et.Deprecated() || len(et.DeprecatedParams()) > 0 {
		return wholly
	}
	if es.Kind == Class {
		return db.membersBreak(ns, es, s, nt, et, t)
	}
	if breaks(es, et) {
		return wholly
	}
	return breakage{}
}

// membersBreak reports whether code written against class ns (entry es,
// release s) can fail against class nt (et, release t), both with their
// members as known (their bases differ, or one took the other's place):
// some name that resolves in s resolves to nothing in t, or to an object
// that differs as breaks tells. A name that resolves to the same or alike
// objects breaks only where one of those objects changed, and a name new
// in t only where t deprecates it, which their own triggers tell (the
// makers of their classes, subclasses included, reach them): a renamed
// base that keeps what it gives, as MLflow's entities' base did, breaks
// nothing, nor does a base that gives more. The class breaks wholly when
// the members of either cannot be told, or when a dunder name that both
// have breaks: code uses those without writing them (__init__ by a call,
// others by syntax), and a member's trigger needs its name written. A
// dunder name the target does not resolve breaks nothing the rules
// report: it is unknown there (see member), never missing. When ns and nt
// are one class, a member of its own in s is left out: its node's change
// is the same, with a trigger of its own through the class's makers.
func (db *DB) membersBreak(ns *Node, es *Entry, s int, nt *Node, et *Entry, t int) breakage {
	names := map[string]bool{}
	if !db.memberNames(ns, es, s, names, 0) || !db.memberNames(nt, et, t, names, 0) {
		return wholly
	}
	var b breakage
	for name := range names {
		ms, fs, ss := db.member(ns, es, name, s, 0)
		mt, ft, st := db.member(nt, et, name, t, 0)
		if ss == Found && (ns != nt || ms.parent != ns) && (st != Found || ms != mt && breaks(fs, ft)) {
			if strings.HasPrefix(name, "__") && strings.HasSuffix(name, "__") {
				if st != Found {
					continue // unknown, never missing (see member)
				}
				return wholly
			}
			b.members = append(b.members, name)
		}
	}
	slices.Sort(b.members)
	return b
}

// memberNames adds to names the members class n (entry e) has in release
// v, its bases' included; false when a base does not resolve to a class.
func (db *DB) memberNames(n *Node, e *Entry, v int, names map[string]bool, depth int) bool {
	if depth > maxFollow {
		return false
	}
	for _, c := range n.members() {
		if c.At(v) != nil {
			names[c.Name] = true
		}
	}
	for _, b := range e.Bases() {
		r := db.resolveFrom(b, v, depth+1)
		if r.Status != Found || r.Entry.Kind != Class || !db.memberNames(r.Node, r.Entry, v, names, depth+1) {
			return false
		}
	}
	return true
}

// breaks reports whether code written against entry es can fail against
// et: the object is gone or of another kind, a re-export names another
// object, a class changed its bases or whether its members are known, or
// a callable no longer takes a keyword or as many positional arguments.
// A callable that only gained parameters, or an attribute whose type
// changed, breaks nothing the rules check.
func breaks(es, et *Entry) bool {
	switch {
	case es == et:
		return false
	case et == nil || es.Kind != et.Kind:
		return true
	}
	switch es.Kind {
	case Reexport:
		return es.Target() != et.Target()
	case Class:
		return es.Dynamic() != et.Dynamic() || strings.Join(es.Bases(), ",") != strings.Join(et.Bases(), ",")
	case Function:
		return signatureBreaks(es.Params(), et.Params()) || es.Static() != et.Static()
	}
	return false
}

func signatureBreaks(ps, pt []Param) bool {
	named := map[string]bool{}
	capT, varPos, varKw := 0, false, false
	for _, p := range pt {
		switch p.Kind {
		case PositionalOnly:
			capT++
		case PositionalOrKeyword:
			capT++
			named[p.Name] = true
		case KeywordOnly:
			named[p.Name] = true
		case VarPositional:
			varPos = true
		case VarKeyword:
			varKw = true
		}
	}
	capS := 0
	for _, p := range ps {
		switch p.Kind {
		case PositionalOnly:
			capS++
		case PositionalOrKeyword:
			capS++
			if !named[p.Name] && !varKw {
				return true
			}
		case KeywordOnly:
			if !named[p.Name] && !varKw {
				return true
			}
		case VarPositional:
			if !varPos {
				return true
			}
		case VarKeyword:
			if !varKw {
				return true
			}
		}
	}
	return capS > capT && !varPos
}

// Releases lists the releases of the embedded data a selection names,
// oldest first (nil when it names none).
func Releases(spec string) []string {
	sel, err := Select(spec)
	if err != nil {
		return nil
	}
	vs := Versions()
	out := make([]string, len(sel))
	for i, k := range sel {
		out[i] = vs[k]
	}
	return out
}
