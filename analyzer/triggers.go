package analyzer

import (
	"bytes"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/apidb"
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
	// vocab is every word of sets, built on first use. By set and then by
	// word id, kinds tells whether the word is a trigger of that set
	// (kindUnknown until looked up) and alts holds the alternatives of a
	// trigger that has some, as word ids: most words of a source are no
	// trigger of a given set, and answering that touches one small array.
	vocabOnce sync.Once
	vocab     *vocabulary
	kinds     [][]atomic.Uint32
	alts      [][]atomic.Pointer[trigAlts]
	// gating marks the sets whose source may give call gates
	// (gateSource, Words.Gating); gateKnown tells, by word id, whether
	// the word has a gate in one of them (nil when none may).
	gating    []bool
	gateKnown []atomic.Uint32
	// needs is the id of each set's needed word (Words.Needing), -1 for
	// none.
	needs []int32
	// keys holds, by word id, the sets the word is a trigger of, a bit
	// per set (keyKnown once looked up), when there are at most
	// maxKeySets sets: a statement's words are looked up once for all of
	// them (firesAny), where most are no trigger of any.
	keys []atomic.Uint64
	// holds has, by word id, a bit per set whose Vocabulary lists the
	// word (with keys): a set that does not list a word has no trigger
	// of that name, which is known without asking it (lookUp).
	holds []uint64
	// gates are the ids of attrGates.
	gates []int32
	// refIDs holds, for each set whose source is a refWalker, the id of
	// each word of its Vocabulary, by its index there.
	refIDs [][]int32
}

// The kinds of a word in a word set.
const (
	kindUnknown = iota
	kindNone    // not a trigger
	kindAlone   // a trigger without alternatives
	kindAlts    // a trigger with alternatives
)

// vocabulary is the words of a driver's word sets, numbered, in an
// open-addressing table keyed by a hash of their bytes: the scan of a
// source hashes each word as it reads it and looks it up without
// allocating, most words of a source (which are not in it) ending at an
// empty slot.
type vocabulary struct {
	words []string // by id
	// slots holds the hash and id+1 of the word hashed there (id 0 when
	// empty): a probe compares hashes in the slot it reads, and reads a
	// word only where they are equal. Its length is a power of two at
	// least twice the number of words.
	slots []vocabSlot
	mask  uint32
	// filter has the bit of each word's hash (filterBit) set: a source's
	// words are read in the thousands, most of them no word of the
	// vocabulary, and the 4 KB of bits stay in the processor's cache
	// where the slots (8 bytes each) are read from memory.
	filter [1 << filterBits / 64]uint64
}

// filterBits is the hash bits that number the filter's bits: the high
// ones, which the slot index does not use. With some 4,000 words about
// one in eight others passes the filter.
const filterBits = 15

func filterBit(h uint32) uint32 { return h >> (32 - filterBits) }

type vocabSlot struct {
	hash uint32
	id   int32
}

// FNV-1a, 32 bits.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

// hashedWord returns the end of the word that starts at src[i] and its
// hashWord.
func hashedWord(src []byte, i int) (int, uint32) {
	h := uint32(fnvOffset)
	j := i
	for ; j < len(src) && wordByte[src[j]]; j++ {
		h = (h ^ uint32(src[j])) * fnvPrime
	}
	return j, h
}

func hashWord(w []byte) uint32 {
	h := uint32(fnvOffset)
	for _, c := range w {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

func newVocabulary(words []string) *vocabulary {
	size := 16
	for size < 2*len(words) {
		size *= 2
	}
	v := &vocabulary{slots: make([]vocabSlot, size), mask: uint32(size - 1)}
	for _, w := range words {
		if w == "" || v.id([]byte(w)) >= 0 {
			continue
		}
		h := hashWord([]byte(w))
		i := h & v.mask
		for v.slots[i].id != 0 {
			i = (i + 1) & v.mask
		}
		v.words = append(v.words, w)
		v.slots[i] = vocabSlot{hash: h, id: int32(len(v.words))}
		b := filterBit(h)
		v.filter[b/64] |= 1 << (b % 64)
	}
	return v
}

// lookup returns the id of the word w whose hash is h, or -1.
func (v *vocabulary) lookup(w []byte, h uint32) int32 {
	if b := filterBit(h); v.filter[b/64]&(1<<(b%64)) == 0 {
		return -1
	}
	for i := h & v.mask; ; i = (i + 1) & v.mask {
		s := v.slots[i]
		if s.id == 0 {
			return -1
		}
		if s.hash == h && v.words[s.id-1] == string(w) {
			return s.id - 1
		}
	}
}

// id returns the id of word w, or -1 when w is not a word of v.
func (v *vocabulary) id(w []byte) int32 { return v.lookup(w, hashWord(w)) }

// presence is the words of a vocabulary that one source holds: their
// ids in the order first met, a bit per id, and a bit per id of those
// written where a member of a module or an object is (see memberAt).
type presence struct {
	ids    []int32
	bits   []uint64
	member []uint64
	// written, for the words of a statement and those it uses, holds
	// the words the statement itself writes as members (nil: a whole
	// source, whose members are member).
	written []uint64
	// held, for the words of a statement and those it uses, holds the
	// words one of whose uses there holds its call gate (nil: a whole
	// source, whose gates are not read).
	held []uint64
	// occ lists every occurrence of a word of the vocabulary, in order,
	// for reading the source a statement at a time (regionText);
	// wildcard tells whether the source imports * from a module.
	occ      []wordOcc
	wildcard bool
}

// wordOcc is one occurrence of a vocabulary word: its offset, and its id
// with occListed set when it is written among the names of a from-import
// of mlflow, occQuoted when as a whole string literal.
type wordOcc struct {
	off uint32
	id  int32
}

const (
	occListed = 1 << 29
	occQuoted = 1 << 28
)

func (p *presence) has(id int32) bool { return id >= 0 && p.bits[id/64]&(1<<(id%64)) != 0 }

// has64 reports whether the bit of id is set in bits.
func (p *presence) has64(bits []uint64, id int32) bool { return bits[id/64]&(1<<(id%64)) != 0 }

// hasRef is has for a word id of an alternative: with memberFlag, the
// word must be written as a member.
func (p *presence) hasRef(ref int32) bool {
	if ref < 0 {
		return false
	}
	if ref&writtenFlag != 0 {
		id := ref &^ writtenFlag
		if p.written == nil {
			return p.member[id/64]&(1<<(id%64)) != 0 // a whole source
		}
		return p.written[id/64]&(1<<(id%64)) != 0
	}
	if ref&memberFlag != 0 {
		id := ref &^ memberFlag
		return p.member[id/64]&(1<<(id%64)) != 0
	}
	return p.bits[ref/64]&(1<<(ref%64)) != 0
}

// memberFlag marks the id of a word an alternative needs as a member.
const memberFlag = 1 << 30

// writtenFlag marks, in an alternative, the id of the trigger it belongs
// to when the statement itself must write it (WrittenMark). Only
// alternatives carry it.
const writtenFlag = 1 << 29

// WrittenMark, as a word of an alternative, asks for the trigger in the
// statement itself (see WordSet); the API data's triggers use it.
const WrittenMark = apidb.WrittenMark

// WordSet is a set of trigger words (Options.RuleWords): a word triggers
// when it occurs in a source as a whole word and, when it lists
// alternatives of companions, every word of one alternative occurs too.
// A word of an alternative written with a leading "." (".tracking") must
// occur where a member of a module or object is written, not merely as a
// word: after a dot, in the names a from-import of mlflow imports, as the
// name of a def or class, or, in a source that names getattr, setattr,
// delattr or object, as a whole string literal; a source that imports *
// holds each of its words as a member too. A trigger that must itself
// occur as a member lists itself that way in each of its alternatives.
// These are the places where a path of MLflow's API can be written
// without the resolver losing it, so a source that writes a name only
// elsewhere (`dict(pipelines=[])`) cannot reach the object by it. An
// alternative that holds WrittenMark fires, where a source is read a
// statement at a time, only in a statement that writes the trigger itself:
// its other words may come from the statements it uses.
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
			for _, a := range alt {
				if a != WrittenMark {
					out = append(out, strings.TrimPrefix(a, "."))
				}
			}
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
	// gates are the call gates of triggers of the set (Gating), by name.
	gates map[string]*apidb.CallGate
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

// Gating gives the trigger named word the call gate g (see
// apidb.CallGate), and returns w: where a source is read a statement at a
// time, the trigger (all its alternatives, or the word alone) counts only
// for a statement that holds (or uses one that holds) a use of word that
// g lets through. For a rule that reports
// through word only at calls whose arguments g describes. Call it before
// the set is first used.
func (w *Words) Gating(word string, g *apidb.CallGate) *Words {
	if w.gates == nil {
		w.gates = map[string]*apidb.CallGate{}
	}
	w.gates[word] = g
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
	// matches lists m's matches in the text in the order of their ends
	// (pattern id and end), for reading the text a statement at a time
	// (regionRanges).
	matches []patMatch
	// present holds the words of the text that vocab (of some driver's
	// word sets) knows.
	vocab   *vocabulary
	present *presence
	words   map[*Words]bool
}

// patMatch is one match of a trigger string: its pattern id and end.
type patMatch struct {
	id  int32
	end uint32
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
		var matches []patMatch
		rt.m.findEach(src, func(id, end int) {
			found[id] = true
			if end <= math.MaxUint32 {
				matches = append(matches, patMatch{id: int32(id), end: uint32(end)})
			}
		})
		if memo.found == nil {
			memo.m, memo.found, memo.matches = rt.m, found, matches
		}
	}
	hit := make([]bool, len(rt.sets))
	var present *presence
	var absent map[string]bool // needed words src does not hold
	for k, ws := range rt.sets {
		h, ok := memo.words[ws]
		if !ok && ws.need != "" {
			// A set triggers nowhere in a source without the word it
			// needs: one search for the word spares reading every word.
			no, seen := absent[ws.need]
			if !seen {
				no = !hasWord(src, ws.need)
				if absent == nil {
					absent = map[string]bool{}
				}
				absent[ws.need] = no
			}
			ok = no // and h is false
		}
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
		all := slices.Clone(attrGates)
		ends := make([]int, len(rt.sets)) // where the words of each set end in all
		for k, ws := range rt.sets {
			all = append(all, ws.need)
			for _, w := range ws.get().Vocabulary() {
				all = append(all, strings.TrimPrefix(w, "."))
			}
			ends[k] = len(all)
		}
		rt.vocab = newVocabulary(all)
		for _, g := range attrGates {
			rt.gates = append(rt.gates, rt.vocab.id([]byte(g)))
		}
		if len(rt.sets) <= maxKeySets {
			rt.keys = make([]atomic.Uint64, len(rt.vocab.words))
			rt.holds = make([]uint64, len(rt.vocab.words))
		}
		rt.refIDs = make([][]int32, len(rt.sets))
		start := len(attrGates)
		for k, ws := range rt.sets {
			words := all[start+1 : ends[k]] // after the need
			start = ends[k]
			_, byRef := ws.get().(refWalker)
			if rt.holds == nil && !byRef {
				continue
			}
			if byRef {
				rt.refIDs[k] = make([]int32, len(words))
			}
			for i, w := range words {
				id := rt.vocab.id([]byte(w))
				if byRef {
					rt.refIDs[k][i] = id
				}
				if rt.holds != nil && id >= 0 {
					rt.holds[id] |= 1 << k
				}
			}
		}
		rt.kinds = make([][]atomic.Uint32, len(rt.sets))
		rt.alts = make([][]atomic.Pointer[trigAlts], len(rt.sets))
		rt.gating = make([]bool, len(rt.sets))
		rt.needs = make([]int32, len(rt.sets))
		for k, ws := range rt.sets {
			rt.kinds[k] = make([]atomic.Uint32, len(rt.vocab.words))
			rt.alts[k] = make([]atomic.Pointer[trigAlts], len(rt.vocab.words))
			_, gs := ws.get().(gateSource)
			rt.gating[k] = gs || len(ws.gates) > 0
			if rt.gating[k] && rt.gateKnown == nil {
				rt.gateKnown = make([]atomic.Uint32, len(rt.vocab.words))
			}
			rt.needs[k] = -1
			if ws.need != "" {
				rt.needs[k] = rt.vocab.id([]byte(ws.need))
			}
		}
	})
	return rt.vocab
}

// presentWords returns the words of the vocabulary that src holds as
// identifier-like words (runs of letters, digits, underscores and
// non-ASCII bytes), and which of them it writes as members.
func (rt *ruleTriggers) presentWords(src []byte, memo *scanMemo) *presence {
	vocab := rt.vocabulary()
	if memo.present != nil && memo.vocab == vocab {
		return memo.present
	}
	present := rt.newPresence()
	quoted, wildcard := rt.scanWords(src, present)
	present.wildcard = wildcard
	switch {
	case wildcard:
		copy(present.member, present.bits)
	case quoted != nil && rt.anyGate(present):
		for k := range quoted {
			present.member[k] |= quoted[k]
		}
	}
	if memo.present == nil {
		memo.vocab, memo.present = vocab, present
	}
	return present
}

// newPresence returns an empty presence for the vocabulary's words.
func (rt *ruleTriggers) newPresence() *presence {
	n := (len(rt.vocabulary().words) + 63) / 64
	return &presence{bits: make([]uint64, n), member: make([]uint64, n)}
}

// scanWords adds the words of the vocabulary that src holds to present,
// marking those it writes as members; quoted holds the words written as
// a whole string literal (nil for none) and wildcard tells whether src
// imports * from a module. Both count for members only in the light of
// the whole source (see presentWords).
func (rt *ruleTriggers) scanWords(src []byte, present *presence) (quoted []uint64, wildcard bool) {
	vocab := rt.vocabulary()
	// listEnd is the end of the names of the last from-import of mlflow;
	// a `from` before it is no statement of its own (the names are read
	// once however many a hostile source opens).
	listEnd := -1
	chains := chainMemo{dot: -1}
	for i := 0; i < len(src); {
		if !wordByte[src[i]] {
			i++
			continue
		}
		j, h := hashedWord(src, i)
		if j-i == 4 && string(src[i:j]) == "from" {
			// Inside the names of the last import (a docstring's open
			// parenthesis may stretch them) only a wildcard matters.
			if end, ml, star := fromImport(src, j, i >= listEnd); end > 0 {
				if ml && i >= listEnd {
					listEnd = end
				}
				wildcard = wildcard || star
			}
		}
		id := vocab.lookup(src[i:j], h)
		if id < 0 {
			i = j
			continue
		}
		bit := uint64(1) << (id % 64)
		if present.bits[id/64]&bit == 0 {
			present.bits[id/64] |= bit
			present.ids = append(present.ids, id)
		}
		listed := i < listEnd
		whole := i > 0 && j < len(src) && (src[i-1] == '"' || src[i-1] == '\'') && src[j] == src[i-1]
		if i <= math.MaxUint32 {
			o := wordOcc{off: uint32(i), id: id}
			if listed {
				o.id |= occListed
			}
			if whole {
				o.id |= occQuoted
			}
			present.occ = append(present.occ, o)
		}
		if present.member[id/64]&bit == 0 {
			switch {
			case listed || memberAt(src, i, &chains):
				present.member[id/64] |= bit
			case whole:
				if quoted == nil {
					quoted = make([]uint64, len(present.bits))
				}
				quoted[id/64] |= bit
			}
		}
		i = j
	}
	return quoted, wildcard
}

// attrGates are the last words of the calls that take an attribute's
// name as a string (getattr, monkeypatch.setattr and delattr,
// patch.object; see StringRefs): a source that names none of them cannot
// reach a member by a string literal of its name alone.
var attrGates = attrRefWords()

func (rt *ruleTriggers) anyGate(p *presence) bool {
	for _, id := range rt.gates {
		if p.has(id) {
			return true
		}
	}
	return false
}

// memberAt reports whether the word at src[i] may be written as a member
// of a module or object: after a dot (blanks, line breaks and line
// continuations between) in a chain that may start at mlflow (see
// chainMemo.fromMlflow), or as the name a def or class statement defines. A dot
// on an earlier line may be followed by a comment inside brackets; a word
// after a line that holds a `#` counts as a member.
func memberAt(src []byte, i int, chains *chainMemo) bool {
	k := backBlanks(src, i-1)
	if k < 0 {
		return false
	}
	if src[k] == '.' {
		return chains.fromMlflow(src, k)
	}
	if afterComment(src, k, i) {
		return true
	}
	if !wordByte[src[k]] {
		return false
	}
	end := k + 1
	for k >= 0 && wordByte[src[k]] {
		k--
	}
	w := string(src[k+1 : end])
	return w == "def" || w == "class"
}

// startsStatement reports whether a statement may start after src[q]:
// nothing but blanks stands between the start of the source, a line break,
// `;` or `:` and it.
func startsStatement(src []byte, q int) bool {
	for ; q >= 0; q-- {
		switch src[q] {
		case ' ', '\t', '\f':
		case '\n', ';', ':':
			return true
		default:
			return false
		}
	}
	return true
}

// afterComment reports whether the blanks src[k+1:i] hold a line break
// and the line of src[k] a `#`: what precedes i may be a comment's text,
// which says nothing of the code.
func afterComment(src []byte, k, i int) bool {
	// Most callers ask of adjacent bytes or a blank or two, where a
	// loop answers before a call to IndexByte would start.
	j := -1
	if i-k <= 8 {
		for p := k + 1; p < i; p++ {
			if src[p] == '\n' {
				j = p - k - 1
				break
			}
		}
	} else {
		j = bytes.IndexByte(src[k+1:i], '\n')
	}
	if j < 0 {
		return false
	}
	start := bytes.LastIndexByte(src[:k+1], '\n') + 1
	return bytes.IndexByte(src[start:k+1+j], '#') >= 0
}

// backBlanks returns the index of the last byte of src[:k+1] that is no
// blank, line break or backslash, or -1.
func backBlanks(src []byte, k int) int {
	for ; k >= 0; k-- {
		switch src[k] {
		case ' ', '\t', '\r', '\f', '\n', '\\':
		default:
			return k
		}
	}
	return k
}

// chainMemo keeps the answer of fromMlflow for the last dot it read,
// which the next word of the same chain reaches walking back: each chain
// is walked once, however long.
type chainMemo struct {
	dot int // -1: none
	ok  bool
}

// fromMlflow reports whether the dotted chain whose dot is src[dot] may
// start at mlflow: its first word is `mlflow`, or the chain is an
// expression, whose first name may be bound to any module or object. The
// module path of an import statement, and a dotted name that starts a
// string (a patch target, a module imported by name), name modules from
// the top: one whose first word is another (`mlflow_extensions.openai`,
// "vllm.entrypoints.openai") reaches nothing of MLflow's, nor does a
// relative import.
func (m *chainMemo) fromMlflow(src []byte, dot int) bool {
	start := dot
	ok := m.chainFrom(src, dot)
	m.dot, m.ok = start, ok
	return ok
}

func (m *chainMemo) chainFrom(src []byte, dot int) bool {
	for {
		if dot == m.dot {
			return m.ok
		}
		e := backBlanks(src, dot-1)
		if e >= 0 && afterComment(src, e, dot) {
			return true // a chain over lines inside brackets, with a comment
		}
		if e >= 0 && src[e] == '.' {
			dot = e // `from ..x`: relative, or a stray dot
			continue
		}
		if e < 0 || !wordByte[src[e]] {
			return true // `f().x`, `a[0].x`: an expression
		}
		s := e
		for s >= 0 && wordByte[src[s]] {
			s--
		}
		word := string(src[s+1 : e+1])
		p := backBlanks(src, s)
		if p >= 0 && afterComment(src, p, s+1) {
			return true
		}
		if p >= 0 && src[p] == '.' {
			dot = p
			continue
		}
		if word == "from" {
			return false // a relative import
		}
		switch {
		case p >= 0 && (src[p] == '"' || src[p] == '\''):
			return word == "mlflow"
		case p >= 0 && wordByte[src[p]]:
			q := p
			for q >= 0 && wordByte[src[q]] {
				q--
			}
			// `from` also ends `raise E from x` and `yield from x`,
			// whose x is an expression.
			if prev := string(src[q+1 : p+1]); prev == "import" || prev == "from" && startsStatement(src, q) {
				return word == "mlflow"
			}
		}
		return true
	}
}

// fromImport reads the from-import statement whose `from` ends at src[i]:
// end is the end of its imported names (0 when src[i:] is no from-import),
// ml whether it imports from mlflow or a module under it, star whether it
// imports *. The names end at the closing parenthesis of a parenthesized
// list, else at the end of the line (continuation lines included); a
// comment inside the list is skipped. Without names, it stops after
// `import` (end is then no more than where the names start), so that
// reading every `from` of a source reads each name list once.
func fromImport(src []byte, i int, names bool) (end int, ml, star bool) {
	i = skipBlanks(src, i)
	w, i := wordAt(src, i)
	if w == "" {
		return 0, false, false // a relative import, or no import at all
	}
	ml = w == "mlflow"
	for {
		i = skipBlanks(src, i)
		if i >= len(src) || src[i] != '.' {
			break
		}
		if _, i = wordAt(src, skipBlanks(src, i+1)); i < 0 {
			return 0, false, false
		}
	}
	if w, i = wordAt(src, i); w != "import" {
		return 0, false, false
	}
	i = skipBlanks(src, i)
	if i < len(src) && src[i] == '*' {
		return i + 1, ml, true
	}
	if !ml || !names {
		return i, ml, false // another package's names matter to nothing
	}
	paren := i < len(src) && src[i] == '('
	for ; i < len(src); i++ {
		switch src[i] {
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			if !paren {
				return i, ml, false
			}
		case '\\':
			// A continuation: the line break (\r\n or \n) goes with it.
			if i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n' {
				i++
			}
			i++
		case ')':
			if paren {
				return i + 1, ml, false
			}
		case '\n', ';':
			if !paren {
				return i, ml, false
			}
		}
	}
	return len(src), ml, false
}

// skipBlanks returns the index of the first byte of src[i:] that is no
// blank or line continuation.
func skipBlanks(src []byte, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\f':
			i++
		case '\\':
			if i+1 < len(src) && src[i+1] == '\n' {
				i += 2
			} else if i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n' {
				i += 3
			} else {
				return i
			}
		default:
			return i
		}
	}
	return i
}

// wordAt returns the word that starts at src[i] and its end; "" and -1
// when none does.
func wordAt(src []byte, i int) (string, int) {
	j := i
	for j < len(src) && wordByte[src[j]] {
		j++
	}
	if j == i {
		return "", -1
	}
	return string(src[i:j]), j
}

// hasTrigger reports whether the present words hold a trigger of set k: a
// word of the set with no alternatives, or with every word of one (and the
// word the set needs).
func (rt *ruleTriggers) hasTrigger(k int, present *presence) bool {
	if rt.sets[k].need != "" && !present.has(rt.needs[k]) {
		return false
	}
	kinds := rt.kinds[k]
	for _, id := range present.ids {
		if rt.holds != nil && rt.holds[id]&(1<<k) == 0 {
			continue
		}
		kind := kinds[id].Load()
		if kind == kindUnknown {
			kind = rt.lookUp(k, id)
		}
		switch kind {
		case kindAlone:
			return true
		case kindAlts:
			// A whole source counts a gated alternative as any other:
			// gates narrow the statements a source is read by.
			for _, alt := range rt.alts[k][id].Load().ids {
				if allPresent(alt, present) {
					return true
				}
			}
		}
	}
	return false
}

// maxKeySets is the most word sets whose keys a uint64 holds, beside
// keyKnown.
const maxKeySets = 63

const keyKnown = uint64(1) << 63

// keyMask returns the sets the word numbered id is a trigger of (a bit
// per set) and keyKnown.
func (rt *ruleTriggers) keyMask(id int32) uint64 {
	if m := rt.keys[id].Load(); m != 0 {
		return m
	}
	m := keyKnown
	for h := rt.holds[id]; h != 0; h &= h - 1 {
		k := bits.TrailingZeros64(h)
		kind := rt.kinds[k][id].Load()
		if kind == kindUnknown {
			kind = rt.lookUp(k, id)
		}
		if kind != kindNone {
			m |= 1 << k
		}
	}
	rt.keys[id].Store(m)
	return m
}

// setSel is a selection of word sets: their indexes, and a bit per set
// where there are at most maxKeySets.
type setSel struct {
	list []int
	mask uint64
}

func (rt *ruleTriggers) selectSets(list []int) setSel {
	sel := setSel{list: list}
	if len(rt.sets) <= maxKeySets {
		for _, k := range list {
			sel.mask |= 1 << k
		}
	}
	return sel
}

// firesAny reports whether the present words hold a trigger of one of
// the selected sets for which ok holds: hasTrigger of each such set,
// reading each word once where the sets' keys are kept.
func (rt *ruleTriggers) firesAny(sel setSel, present *presence, ok func(k int) bool) bool {
	rt.vocabulary()
	if rt.keys == nil {
		for _, k := range sel.list {
			if rt.hasTrigger(k, present) && ok(k) {
				return true
			}
		}
		return false
	}
	var failed uint64 // sets whose trigger held and ok did not
	var sig uint64    // the bits of the present words (trigAlts.sigs)
	for _, id := range present.ids {
		sig |= wordSig(id)
	}
	for _, id := range present.ids {
		m := rt.keyMask(id) & sel.mask &^ failed
		for m != 0 {
			k := bits.TrailingZeros64(m)
			m &= m - 1
			if rt.sets[k].need != "" && !present.has(rt.needs[k]) {
				continue
			}
			fires := false
			switch rt.kinds[k][id].Load() {
			case kindAlone:
				fires = true
			case kindAlts:
				ta := rt.alts[k][id].Load()
				for i, alt := range ta.ids {
					if i >= ta.gated && present.held != nil && !present.has64(present.held, id) {
						break // the gated ones, which no use of the name holds
					}
					if ta.sigs[i]&^sig == 0 && allPresent(alt, present) {
						fires = true
						break
					}
				}
			}
			if fires {
				if ok(k) {
					return true
				}
				failed |= 1 << k
			}
		}
	}
	return false
}

// lookUp asks set k whether the word numbered id is one of its triggers,
// keeps the answer (and the alternatives as word ids; -1 stands for a word
// missing from the vocabulary, which no source holds) and returns its
// kind. Concurrent look-ups of one word store equal answers.
func (rt *ruleTriggers) lookUp(k int, id int32) uint32 {
	if src, ok := rt.sets[k].get().(refWalker); ok {
		return rt.lookUpWalking(k, id, src)
	}
	alts, ok := rt.sets[k].get().Alternatives(rt.vocab.words[id])
	if ok && len(alts) == 0 && rt.sets[k].gates[rt.vocab.words[id]] != nil {
		alts = [][]string{{}} // gated alone: an alternative without words
	}
	kind := uint32(kindNone)
	switch {
	case ok && len(alts) == 0:
		kind = kindAlone
	case ok:
		kind = kindAlts
		ids := make([][]int32, len(alts))
		for i, alt := range alts {
			ids[i] = make([]int32, len(alt))
			for j, w := range alt {
				if w == WrittenMark {
					ids[i][j] = id | writtenFlag
					continue
				}
				bare, member := strings.CutPrefix(w, ".")
				ids[i][j] = rt.vocab.id([]byte(bare))
				if member && ids[i][j] >= 0 {
					ids[i][j] |= memberFlag
				}
			}
		}
		rt.alts[k][id].Store(rt.withGate(k, id, ids))
	}
	rt.kinds[k][id].Store(kind)
	return kind
}

// refWalker is a WordSource that can hand out a trigger's alternatives a
// word at a time, each as its index in the source's Vocabulary
// (apidb.TriggerIndex), which lookUp turns into ids by refIDs without
// building or hashing the words.
type refWalker interface {
	EachAlternativeRef(w string, fn func(alt int, ref int32, member bool)) (n int, ok bool)
}

// lookUpWalking is lookUp for a set whose source is a refWalker.
func (rt *ruleTriggers) lookUpWalking(k int, id int32, src refWalker) uint32 {
	// The words of every alternative go into one slice, of which each
	// alternative is a part (from its offset in starts): a trigger may
	// have a thousand alternatives of a few words.
	var flat, starts []int32
	refs := rt.refIDs[k]
	n, ok := src.EachAlternativeRef(rt.vocab.words[id], func(alt int, r int32, member bool) {
		for len(starts) <= alt {
			starts = append(starts, int32(len(flat)))
		}
		if r == apidb.WrittenRef {
			flat = append(flat, id|writtenFlag)
			return
		}
		ref := refs[r]
		if member && ref >= 0 {
			ref |= memberFlag
		}
		flat = append(flat, ref)
	})
	if ok && n == 0 && rt.sets[k].gates[rt.vocab.words[id]] != nil {
		n = 1 // gated alone: an alternative without words
	}
	for len(starts) < n {
		starts = append(starts, int32(len(flat))) // an alternative without words
	}
	ids := make([][]int32, len(starts))
	for a, start := range starts {
		end := int32(len(flat))
		if a+1 < len(starts) {
			end = starts[a+1]
		}
		ids[a] = flat[start:end:end]
	}
	kind := uint32(kindNone)
	switch {
	case ok && n == 0:
		kind = kindAlone
	case ok:
		kind = kindAlts
		rt.alts[k][id].Store(rt.withGate(k, id, ids))
	}
	rt.kinds[k][id].Store(kind)
	return kind
}

// trigAlts are the alternatives of a trigger, as word ids, and its call
// gate (see apidb.CallGate): the alternatives from gated on count only in
// a statement that holds a use of the name the gate lets through (see
// gateHolds). gated is len(ids) when there is no gate.
type trigAlts struct {
	ids   [][]int32
	gated int
	gate  *apidb.CallGate
	// sigs holds, for each alternative, a bit for each of its words (the
	// word id modulo 64): an alternative one of whose bits no present
	// word sets cannot hold (wordSig), which a trigger of many
	// alternatives (`from_proto`) asks of each statement that names it.
	sigs []uint64
}

// wordSig is the bit a word id stands for in trigAlts.sigs.
func wordSig(id int32) uint64 { return 1 << (id &^ (memberFlag | writtenFlag) % 64) }

// gateSource is a WordSource whose triggers may have a call gate, and the
// first alternative (as Alternatives or EachAlternativeRef number them) it
// gates.
type gateSource interface {
	CallGate(word string) (apidb.GatedFrom, bool)
}

// withGate returns the alternatives ids of word id in set k with the
// set's call gate of the word, if any.
func (rt *ruleTriggers) withGate(k int, id int32, ids [][]int32) *trigAlts {
	ta := &trigAlts{ids: ids, gated: len(ids), sigs: make([]uint64, len(ids))}
	for i, alt := range ids {
		for _, ref := range alt {
			if ref >= 0 {
				ta.sigs[i] |= wordSig(ref)
			}
		}
	}
	if g := rt.sets[k].gates[rt.vocab.words[id]]; g != nil {
		ta.gated, ta.gate = 0, g
	} else if gs, ok := rt.sets[k].get().(gateSource); ok {
		if g, ok := gs.CallGate(rt.vocab.words[id]); ok && g.Gate != nil && g.From >= 0 && g.From < len(ids) {
			ta.gated, ta.gate = g.From, g.Gate
		}
	}
	return ta
}

// callGates calls fn with each call gate the word numbered id has in a
// set, until fn returns true; it reports whether one did. Most words have
// none, which is looked up once.
func (rt *ruleTriggers) callGates(id int32, fn func(*apidb.CallGate) bool) bool {
	if rt.gateKnown == nil {
		return false
	}
	switch rt.gateKnown[id].Load() {
	case gatesNone:
		return false
	case gatesUnknown:
		state := uint32(gatesNone)
		if rt.eachGate(id, func(*apidb.CallGate) bool { return true }) {
			state = gatesSome
		}
		rt.gateKnown[id].Store(state)
		if state == gatesNone {
			return false
		}
	}
	return rt.eachGate(id, fn)
}

// The states of gateKnown.
const (
	gatesUnknown = iota
	gatesNone
	gatesSome
)

// eachGate is callGates without the memo.
func (rt *ruleTriggers) eachGate(id int32, fn func(*apidb.CallGate) bool) bool {
	for k, gating := range rt.gating {
		if !gating {
			continue
		}
		kind := rt.kinds[k][id].Load()
		if kind == kindUnknown {
			kind = rt.lookUp(k, id)
		}
		if kind != kindAlts {
			continue
		}
		if g := rt.alts[k][id].Load().gate; g != nil && fn(g) {
			return true
		}
	}
	return false
}

// GatedWordSet is a WordSet with the call gates of its triggers, by name.
type GatedWordSet struct {
	Words WordSet
	Gates map[string]apidb.GatedFrom
}

// Vocabulary lists the set's triggers and the words of their alternatives.
func (s GatedWordSet) Vocabulary() []string { return s.Words.Vocabulary() }

// Alternatives returns the alternatives of trigger w.
func (s GatedWordSet) Alternatives(w string) ([][]string, bool) { return s.Words.Alternatives(w) }

// CallGate returns the call gate of trigger w, if it has one.
func (s GatedWordSet) CallGate(w string) (apidb.GatedFrom, bool) {
	g, ok := s.Gates[w]
	return g, ok
}

func allPresent(ids []int32, present *presence) bool {
	for _, id := range ids {
		if !present.hasRef(id) {
			return false
		}
	}
	return true
}

// wordByte tells the bytes of identifier-like words.
var wordByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = isWordByte(byte(c))
	}
	return t
}()

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
	// shift and window serve findEach's skip (nil and 0 when a pattern
	// is one byte long): window is the length of the shortest pattern (at
	// most maxWindow), and shift, by the two bytes that end a window of
	// the source (the first in the low byte), how far the window may move
	// on without passing over the end of a pattern's first window bytes.
	shift  *[1 << 16]uint8
	window int
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
	m.window = maxWindow
	for _, p := range pats {
		m.window = min(m.window, len(p))
	}
	if m.window >= 2 {
		// A window ending in two bytes that end no pattern's first
		// window bytes moves on by window-1; two bytes at q in them by
		// window-2-q (0 where they end them: a pattern may start at the
		// window's start).
		m.shift = new([1 << 16]uint8)
		for k := range m.shift {
			m.shift[k] = uint8(m.window - 1)
		}
		for _, p := range pats {
			for q := 0; q+2 <= m.window; q++ {
				k := uint16(p[q]) | uint16(p[q+1])<<8
				m.shift[k] = min(m.shift[k], uint8(m.window-2-q))
			}
		}
	}
	return m
}

// findEach calls fn with the id and end offset of every match in src.
func (m *matcher) findEach(src []byte, fn func(id, end int)) {
	if m.npat == 0 {
		return
	}
	next, class, hasOut := m.next, &m.class, m.hasOut
	if m.shift == nil {
		s := int32(0)
		for i, c := range src {
			s = next[s+int32(class[c])]
			if hasOut[s] {
				for _, id := range m.out[s] {
					fn(id, i+1)
				}
			}
		}
		return
	}
	// Most of a source starts no match. A window of the source (as long
	// as the shortest pattern) moves on by the shift of its last two
	// bytes (Wu and Manber's skip): a shift never passes over the end of
	// a pattern's first window bytes, so a window ends where every
	// match's first window bytes end, and there the shift is 0. Where it
	// is 0, the automaton runs from its start at the window's start until
	// it is back at its start (no match is under way), and the next window
	// starts after that. The windows passed over start no match, and the
	// runs read every byte where one may start or go on; so the automaton
	// reports what it reports run over every byte, in the same order.
	shift, w := m.shift, m.window
	for i := w - 1; i < len(src); {
		if d := shift[uint16(src[i-1])|uint16(src[i])<<8]; d != 0 {
			i += int(d)
			continue
		}
		p, s := i-w+1, int32(0)
		for ; p < len(src); p++ {
			s = next[s+int32(class[src[p]])]
			if hasOut[s] {
				for _, id := range m.out[s] {
					fn(id, p+1)
				}
			}
			if s == 0 {
				break
			}
		}
		i = p + w
	}
}

// maxWindow bounds matcher.window so that every shift fits its byte (the
// shortest trigger string is five bytes long today).
const maxWindow = 32

// find marks in found the patterns src contains.
func (m *matcher) find(src []byte, found []bool) {
	m.findEach(src, func(id, _ int) { found[id] = true })
}
