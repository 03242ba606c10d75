package analyzer

import (
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// ruleTriggers finds in one pass over a source which rules may report on
// it (Options.RuleTriggers): an Aho-Corasick automaton over every trigger
// string, so a source is read once however many rules and triggers there
// are.
type ruleTriggers struct {
	m *matcher
	// patterns are the strings m matches, by pattern id.
	patterns [][]byte
	// pats lists the pattern ids of each rule with triggers; a rule
	// missing from pats and words always runs.
	pats map[*analysis.Analyzer][]int
	// words maps a rule with word triggers (Options.RuleWords) to the index
	// of its set in sets; rules sharing a set share the index.
	words map[*analysis.Analyzer]int
	sets  []*Words
	// vocab is every word of sets, built on first use.
	vocabOnce sync.Once
	vocab     *vocabulary
}

// vocabulary is the words of a driver's word sets, with a bit per hash of
// a word (vocabBit) so that most words of a source, which are not in it,
// cost no map lookup.
type vocabulary struct {
	words map[string]bool
	bits  []uint64
}

const vocabBits = 1 << 20

// vocabBit hashes a non-empty word from its length and three of its bytes.
func vocabBit(w []byte) uint32 {
	n := len(w)
	h := uint32(n)*0x9e3779b1 ^ uint32(w[0])<<8 ^ uint32(w[n-1])<<16 ^ uint32(w[n/2])*0x85ebca6b ^ uint32(w[(n-1)/3])*0xc2b2ae35
	h ^= h >> 15
	return h & (vocabBits - 1)
}

func (v *vocabulary) add(w string) {
	if w == "" || v.words[w] {
		return
	}
	v.words[w] = true
	b := vocabBit([]byte(w))
	v.bits[b/64] |= 1 << (b % 64)
}

// has reports whether w is a word of the vocabulary.
func (v *vocabulary) has(w []byte) bool {
	b := vocabBit(w)
	return v.bits[b/64]&(1<<(b%64)) != 0 && v.words[string(w)]
}

// WordSet is a set of trigger words (Options.RuleWords): a word triggers
// when it occurs in a source as a whole word and, when it lists
// alternatives of companions, every word of one alternative occurs too.
type WordSet map[string][][]string

// WordSource is a set of trigger words read on demand, for a set too
// large to build as a WordSet on every run: the words its triggers and
// their alternatives use, and the alternatives of one trigger (none: the
// word alone; ok false: not a trigger). Safe for concurrent use.
type WordSource interface {
	Vocabulary() []string
	Alternatives(word string) (alts [][]string, ok bool)
}

// Vocabulary lists the set's triggers and the words of their alternatives.
func (s WordSet) Vocabulary() []string {
	var out []string
	for w, alts := range s {
		out = append(out, w)
		for _, alt := range alts {
			out = append(out, alt...)
		}
	}
	return out
}

// Alternatives returns the alternatives of trigger w.
func (s WordSet) Alternatives(w string) ([][]string, bool) {
	alts, ok := s[w]
	return alts, ok
}

// Words is a set of trigger words built on first use, by one goroutine,
// so that a run whose files never need it does not pay for it. Rules that
// share one *Words share its scan.
type Words struct {
	once  sync.Once
	build func() WordSource
	set   WordSource
	// need is a word every trigger of the set needs besides its own
	// (Needing), or "".
	need string
	// check, when set, must also hold of a source the words trigger on
	// (Checking).
	check func(src []byte) bool
}

// NewWords returns Words that build runs to make, once.
func NewWords(build func() WordSet) *Words {
	return &Words{build: func() WordSource { return build() }}
}

// NewWordsFrom returns Words read from the source that open returns, once.
func NewWordsFrom(open func() WordSource) *Words { return &Words{build: open} }

// Checking adds a test of the source that must hold besides the words
// for the set to trigger, and returns w: for a rule whose findings need
// more than words can say (a literal in a call's first argument), a
// lexical test that holds wherever the rule may report.
func (w *Words) Checking(check func(src []byte) bool) *Words {
	w.check = check
	return w
}

// Needing makes word a companion of every trigger of w, and returns w:
// the word every source that reaches MLflow's API writes (`mlflow`, in
// an import, a string naming a path, or a Databricks notebook's implicit
// `mlflow.`), which the sets leave out of their alternatives.
func (w *Words) Needing(word string) *Words {
	w.need = word
	return w
}

func (w *Words) get() WordSource {
	w.once.Do(func() { w.set = w.build() })
	return w.set
}

func newRuleTriggers(rules []*analysis.Analyzer, trig map[string][][]byte, words map[string]*Words) *ruleTriggers {
	rt := &ruleTriggers{pats: map[*analysis.Analyzer][]int{}, words: map[*analysis.Analyzer]int{}}
	for _, a := range rules {
		ws, ok := words[a.Name]
		if !ok {
			continue
		}
		idx := slices.Index(rt.sets, ws)
		if idx < 0 {
			idx = len(rt.sets)
			rt.sets = append(rt.sets, ws)
		}
		rt.words[a] = idx
	}
	// Patterns are numbered in the order of the rules' names, so that
	// drivers with the same rules in another order (a matrix's variants)
	// number them alike and can share one automaton.
	byName := slices.Clone(rules)
	slices.SortStableFunc(byName, func(a, b *analysis.Analyzer) int { return strings.Compare(a.Name, b.Name) })
	ids := map[string]int{}
	var all [][]byte
	for _, a := range byName {
		ts, ok := trig[a.Name]
		if !ok {
			continue
		}
		rt.pats[a] = []int{}
		for _, t := range ts {
			id, seen := ids[string(t)]
			if !seen {
				id = len(all)
				ids[string(t)] = id
				all = append(all, t)
			}
			rt.pats[a] = append(rt.pats[a], id)
		}
	}
	rt.m = newMatcher(all)
	rt.patterns = all
	return rt
}

// scanMemo keeps what scans of one text found, for the drivers that scan
// the same bytes (a matrix's variants): the matches of a matcher, the
// trigger words the text holds, and whether each word set has a trigger
// in the text.
type scanMemo struct {
	m     *matcher
	found []bool
	// present holds the words of the text that vocab (of some driver's
	// word sets) knows.
	vocab   *vocabulary
	present map[string]bool
	words   map[*Words]bool
}

// triggered is the set of trigger strings one source contains, and which
// word sets it has a word of.
type triggered struct {
	rt       *ruleTriggers
	found    []bool
	wordsHit []bool
}

func (rt *ruleTriggers) scan(src []byte, memo *scanMemo) triggered {
	found := memo.found
	if memo.m != rt.m || found == nil {
		found = make([]bool, rt.m.npat)
		rt.m.find(src, found)
		if memo.found == nil {
			memo.m, memo.found = rt.m, found
		}
	}
	hit := make([]bool, len(rt.sets))
	var present map[string]bool
	for k, ws := range rt.sets {
		h, ok := memo.words[ws]
		if !ok {
			if present == nil {
				present = rt.presentWords(src, memo)
			}
			h = rt.hasTrigger(k, present)
			if h && ws.check != nil {
				h = ws.check(src)
			}
			if memo.words == nil {
				memo.words = map[*Words]bool{}
			}
			memo.words[ws] = h
		}
		hit[k] = h
	}
	return triggered{rt, found, hit}
}

// vocabulary returns every word of every word set: one pass over a source
// finds which of them it holds, whatever the number of sets.
func (rt *ruleTriggers) vocabulary() *vocabulary {
	rt.vocabOnce.Do(func() {
		words := make([][]string, len(rt.sets))
		n := 0
		for k, ws := range rt.sets {
			words[k] = ws.get().Vocabulary()
			n += len(words[k])
		}
		rt.vocab = &vocabulary{words: make(map[string]bool, n), bits: make([]uint64, vocabBits/64)}
		for k, ws := range rt.sets {
			rt.vocab.add(ws.need)
			for _, w := range words[k] {
				rt.vocab.add(w)
			}
		}
	})
	return rt.vocab
}

// presentWords returns the words of the vocabulary that src holds as
// identifier-like words (runs of letters, digits, underscores and
// non-ASCII bytes).
func (rt *ruleTriggers) presentWords(src []byte, memo *scanMemo) map[string]bool {
	vocab := rt.vocabulary()
	if memo.present != nil && memo.vocab == vocab {
		return memo.present
	}
	present := map[string]bool{}
	for i := 0; i < len(src); {
		if !isWordByte(src[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isWordByte(src[j]) {
			j++
		}
		if w := src[i:j]; vocab.has(w) && !present[string(w)] {
			present[string(w)] = true
		}
		i = j
	}
	if memo.present == nil {
		memo.vocab, memo.present = vocab, present
	}
	return present
}

// hasTrigger reports whether the present words hold a trigger of set k: a
// word of the set with no alternatives, or with every word of one (and the
// word the set needs).
func (rt *ruleTriggers) hasTrigger(k int, present map[string]bool) bool {
	if need := rt.sets[k].need; need != "" && !present[need] {
		return false
	}
	set := rt.sets[k].get()
	for w := range present {
		alts, ok := set.Alternatives(w)
		if !ok {
			continue
		}
		if len(alts) == 0 {
			return true
		}
		for _, alt := range alts {
			if allPresent(alt, present) {
				return true
			}
		}
	}
	return false
}

func allPresent(words []string, present map[string]bool) bool {
	for _, w := range words {
		if !present[w] {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// triggersOf scans the text of a view once.
func (d *driver) triggersOf(v *view) triggered {
	if v.trig == nil {
		if v.scanned == nil {
			v.scanned = &scanMemo{}
		}
		t := d.triggers.scan(v.parse, v.scanned)
		v.trig = &t
	}
	return *v.trig
}

// runs reports whether rule a may report on the scanned source.
func (t triggered) runs(a *analysis.Analyzer) bool {
	if k, ok := t.rt.words[a]; ok {
		return t.wordsHit[k]
	}
	ids, ok := t.rt.pats[a]
	if !ok {
		return true
	}
	for _, id := range ids {
		if t.found[id] {
			return true
		}
	}
	return false
}

// matcher is an Aho-Corasick automaton compiled to a DFA over the byte
// classes the patterns use.
type matcher struct {
	class  [256]uint8 // 0: a byte no pattern uses
	nclass int
	// States are numbered by their offset in next (state index times
	// nclass): next[s+class] is the next state.
	next []int32
	// out holds, at a state's offset, the pattern ids recognised on
	// entering it; hasOut says whether there are any.
	out    [][]int
	hasOut []bool
	npat   int
}

func newMatcher(pats [][]byte) *matcher {
	m := &matcher{npat: len(pats)}
	m.nclass = 1
	for _, p := range pats {
		for _, c := range p {
			if m.class[c] == 0 {
				m.class[c] = uint8(m.nclass)
				m.nclass++
			}
		}
	}
	// The trie; -1 marks a missing edge.
	newState := func() int32 {
		for range m.nclass {
			m.next = append(m.next, -1)
		}
		m.out = append(m.out, nil)
		return int32(len(m.out) - 1)
	}
	newState()
	for id, p := range pats {
		s := int32(0)
		for _, c := range p {
			e := int(s)*m.nclass + int(m.class[c])
			if m.next[e] < 0 {
				ns := newState()
				m.next[e] = ns
			}
			s = m.next[e]
		}
		m.out[s] = append(m.out[s], id)
	}
	// Breadth first: fail links, merged outputs, and missing edges filled
	// from the fail state (which is shallower, so already complete).
	fail := make([]int32, len(m.out))
	queue := []int32{}
	for c := range m.nclass {
		e := c
		if m.next[e] < 0 {
			m.next[e] = 0
		} else {
			fail[m.next[e]] = 0
			queue = append(queue, m.next[e])
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		m.out[s] = append(m.out[s], m.out[fail[s]]...)
		for c := range m.nclass {
			e := int(s)*m.nclass + c
			f := m.next[int(fail[s])*m.nclass+c]
			if m.next[e] < 0 {
				m.next[e] = f
			} else {
				fail[m.next[e]] = f
				queue = append(queue, m.next[e])
			}
		}
	}
	// Renumber states by offset and spread the outputs to match.
	out := make([][]int, len(m.next))
	m.hasOut = make([]bool, len(m.next))
	for st, ids := range m.out {
		out[st*m.nclass] = ids
		m.hasOut[st*m.nclass] = len(ids) > 0
	}
	m.out = out
	for i, t := range m.next {
		m.next[i] = t * int32(m.nclass)
	}
	return m
}

// find marks in found the patterns src contains.
func (m *matcher) find(src []byte, found []bool) {
	if m.npat == 0 {
		return
	}
	next, class, hasOut := m.next, &m.class, m.hasOut
	s := int32(0)
	for _, c := range src {
		s = next[s+int32(class[c])]
		if hasOut[s] {
			for _, id := range m.out[s] {
				found[id] = true
			}
		}
	}
}
