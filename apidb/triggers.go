package apidb

import (
	_ "embed"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// Derived data: what a run computes from the embedded data the same way
// every time is computed once, by `make apidb` (or the -update-derived
// flag of this package's tests), and embedded beside it. Each derived file
// names the CRC-32C of the data it was computed from in its first line
// (checked on every run that reads the file: 0.2 ms, where a sha256 of the
// 3.4 MB took 1.6 ms); a file that does not match the embedded data is
// ignored and its content computed at run time, so a stale file costs
// time, never a wrong answer, and TestDerivedFilesFresh fails until it is
// rewritten.
//
// mlflow.triggers holds ChangedNamesAny of the migrations from the 2.x
// releases to each 3.x release (Precomputed): computing triggers parses
// the whole data and walks every path, which on the critical path of each
// run cost more than the data's own parse. A migration from some 2.x
// releases to a 3.x release changes no object those migrations do not
// (an object that breaks from one of its sources breaks from all 2.x; one
// gone before its sources was gone from, or before, some 2.x source), so
// these triggers fire wherever its own would: exact, if a little wider
// than its own (a few more files of the PyPI part parsed for the default
// migration). Runs read it through TriggerIndex, a trigger at a time.
//
//go:embed mlflow.triggers
var embeddedTriggers string

// derivedHeader is the first line of a file of derived data of this kind
// computed from data, the embedded file named from.
func derivedHeader(kind, from string, sum uint32) string {
	return fmt.Sprintf("# %s derived from %s crc32c:%08x by `make apidb`; do not edit", kind, from, sum)
}

func triggersHeader() string { return derivedHeader("triggers", "mlflow.api", dataCRC()) }

// dataCRC is the CRC-32C of the embedded data, computed once, in place.
var dataCRC = sync.OnceValue(func() uint32 {
	return crc32.Checksum(unsafe.Slice(unsafe.StringData(embedded), len(embedded)), crc32.MakeTable(crc32.Castagnoli))
})

// TriggersText renders triggers of the migrations from src to any of
// tgts in the format of mlflow.triggers: the header, a line naming the
// migrations, a line listing every word of the triggers (names and
// alternatives, sorted, unique, after "words" and a tab, separated by
// spaces), a line listing the free words (see ChangedNamesAnyFree) the
// same way after "free", then one line per trigger, in the order of their
// names: its name, its alternatives without a gate, then, when it has a
// call gate, the gate (CallGate.String, which starts with "=") and the
// alternatives it gates, separated by tabs, the words of an alternative
// joined by "+", each written as its number in the words line (from 0,
// in decimal), WrittenMark as itself. A run looks up the words of every
// trigger it meets: by number, a word is an index where by name it was
// a hash and a comparison (and the file is half the size).
func TriggersText(src, tgts []int, ts []Trigger, free []string) string {
	var b strings.Builder
	b.WriteString(triggersHeader())
	fmt.Fprintf(&b, "\nmigration\t%s\t%s\n", joinInts(src), joinInts(tgts))
	var words []string
	for _, t := range ts {
		words = append(words, t.Name)
		for _, alt := range slices.Concat(t.With, t.Gated) {
			for _, w := range alt {
				if w != WrittenMark {
					words = append(words, w)
				}
			}
		}
	}
	slices.Sort(words)
	words = slices.Compact(words)
	fmt.Fprintf(&b, "words\t%s\n", strings.Join(words, " "))
	fmt.Fprintf(&b, "free\t%s\n", strings.Join(free, " "))
	ref := make(map[string]int, len(words))
	for i, w := range words {
		ref[w] = i
	}
	writeAlt := func(alt []string) {
		b.WriteByte('\t')
		for i, w := range alt {
			if i > 0 {
				b.WriteByte('+')
			}
			if w == WrittenMark {
				b.WriteString(w)
				continue
			}
			b.WriteString(strconv.Itoa(ref[w]))
		}
	}
	for _, t := range ts {
		b.WriteString(t.Name)
		for _, alt := range t.With {
			writeAlt(alt)
		}
		if t.Gate != nil {
			b.WriteByte('\t')
			b.WriteString(t.Gate.String())
			for _, alt := range t.Gated {
				writeAlt(alt)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// wordRef reads the number of a word of an alternative (see TriggersText)
// below n; ok is false for anything else.
func wordRef(s string, n int) (ref int32, ok bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || c == '0' && i == 0 && len(s) > 1 {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if v >= n {
		return 0, false
	}
	return int32(v), true
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// splitTriggers checks the header and migration lines of TriggersText's
// output and returns its words and free lines (without their labels) and
// its trigger lines; ok is false when text was not derived from the
// embedded data or is for other migrations.
func splitTriggers(text string, src, tgts []int) (words, free, body string, ok bool) {
	header, rest, _ := strings.Cut(text, "\n")
	if header != triggersHeader() {
		return "", "", "", false
	}
	mig, rest, _ := strings.Cut(rest, "\n")
	if mig != fmt.Sprintf("migration\t%s\t%s", joinInts(src), joinInts(tgts)) {
		return "", "", "", false
	}
	words, rest, _ = strings.Cut(rest, "\n")
	free, body, _ = strings.Cut(rest, "\n")
	words, ok = strings.CutPrefix(words, "words\t")
	free, ok2 := strings.CutPrefix(free, "free\t")
	return words, free, body, ok && ok2
}

// parseTriggers reads TriggersText's output; ok is false when text was not
// derived from the embedded data or is for other migrations.
func parseTriggers(text string, src, tgts []int) (ts []Trigger, free []string, ok bool) {
	wordLine, freeLine, rest, ok := splitTriggers(text, src, tgts)
	if !ok {
		return nil, nil, false
	}
	vocab := strings.Split(wordLine, " ")
	free = strings.Fields(freeLine)
	// Every trigger, alternative and word is sliced from three arrays
	// sized from the text: a few allocations instead of one per
	// alternative (the file holds tens of thousands).
	ts = make([]Trigger, 0, strings.Count(rest, "\n")+1)
	alts := make([][]string, 0, strings.Count(rest, "\t"))
	words := make([]string, 0, cap(alts)+strings.Count(rest, "+"))
	for line := range strings.Lines(rest) {
		line = strings.TrimSuffix(line, "\n")
		name, line, more := strings.Cut(line, "\t")
		if name == "" {
			return nil, nil, false
		}
		first, gatedAt := len(alts), -1
		var gate *CallGate
		for more {
			var alt string
			alt, line, more = strings.Cut(line, "\t")
			if alt == "" {
				return nil, nil, false
			}
			if strings.HasPrefix(alt, "=") {
				g, ok := ParseCallGate(alt)
				if !ok || gate != nil {
					return nil, nil, false
				}
				gate, gatedAt = g, len(alts)
				continue
			}
			w := len(words)
			for alt != "" {
				var word string
				word, alt, _ = strings.Cut(alt, "+")
				if word != WrittenMark {
					r, ok := wordRef(word, len(vocab))
					if !ok {
						return nil, nil, false
					}
					word = vocab[r]
				}
				words = append(words, word)
			}
			alts = append(alts, words[w:len(words):len(words)])
		}
		t := Trigger{Name: name, Gate: gate}
		if gatedAt < 0 {
			gatedAt = len(alts)
		}
		if gatedAt > first {
			t.With = alts[first:gatedAt:gatedAt]
		}
		if len(alts) > gatedAt {
			t.Gated = alts[gatedAt:len(alts):len(alts)]
		}
		ts = append(ts, t)
	}
	return ts, free, true
}

// DefaultMigration is the migration mlflow.triggers is computed for: from
// every 2.x release to the newest release.
func DefaultMigration() (src []int, tgt int) {
	src, _ = Select("2")
	return src, len(Versions()) - 1
}

// Precomputed returns the migrations whose triggers mlflow.triggers holds:
// from every 2.x release to any 3.x release.
func Precomputed() (src, tgts []int) {
	src, _ = Select("2")
	tgts, _ = Select("3")
	return src, tgts
}

// covered reports whether the triggers of Precomputed fire wherever those
// of the migration from src to tgt do: src are 2.x releases and tgt a
// 3.x release.
func covered(src []int, tgt int) bool {
	psrc, ptgts := Precomputed()
	if !slices.Contains(ptgts, tgt) {
		return false
	}
	for _, s := range src {
		if !slices.Contains(psrc, s) {
			return false
		}
	}
	return true
}

// Triggers returns triggers for the migration from src to tgt: those of
// Precomputed from mlflow.triggers when they cover it and the file is
// fresh (no parse of the data), else ChangedNames(src, tgt), memoized.
func Triggers(src []int, tgt int) []Trigger {
	return TriggersAny([][]int{src}, []int{tgt})
}

// TriggersAny is Triggers for several migrations at once, the ith from
// src[i] to tgt[i]: mlflow.triggers when it covers them all, else
// ChangedNamesAny(src, tgt), memoized.
func TriggersAny(src [][]int, tgt []int) []Trigger {
	return triggersAny(src, tgt).ts
}

// TriggerWordsAny returns the triggers of TriggersAny as trigger words
// (analyzer.WordSet): by name, the alternatives, each word that must be
// written as a member with a leading "." (see markAlts).
func TriggerWordsAny(src [][]int, tgt []int) map[string][][]string {
	set := triggersAny(src, tgt)
	free := map[string]bool{}
	for _, w := range set.free {
		free[w] = true
	}
	out := make(map[string][][]string, len(set.ts))
	for _, t := range set.ts {
		out[t.Name] = markAlts(t.Name, t.alternatives(), free)
	}
	return out
}

// GatedFrom is a trigger's call gate and the first of its alternatives
// (as TriggerWordsAny and TriggerIndex number them) that the gate gates:
// every one from there on.
type GatedFrom struct {
	Gate *CallGate
	From int
}

// TriggerGatesAny returns the call gates of the triggers of TriggersAny
// that have one, by name.
func TriggerGatesAny(src [][]int, tgt []int) map[string]GatedFrom {
	out := map[string]GatedFrom{}
	for _, t := range triggersAny(src, tgt).ts {
		if t.Gate != nil {
			out[t.Name] = GatedFrom{t.Gate, len(t.With)}
		}
	}
	return out
}

// triggerSet is a migration's triggers and their free words.
type triggerSet struct {
	ts   []Trigger
	free []string
}

func triggersAny(src [][]int, tgt []int) triggerSet {
	all := true
	for i := range tgt {
		all = all && covered(src[i], tgt[i])
	}
	key := fmt.Sprint(src, tgt)
	if all {
		key = "precomputed"
	}
	triggersMu.Lock()
	defer triggersMu.Unlock()
	if set, ok := triggersMemo[key]; ok {
		return set
	}
	var set triggerSet
	ok := false
	if all {
		psrc, ptgts := Precomputed()
		set.ts, set.free, ok = parseTriggers(embeddedTriggers, psrc, ptgts)
		if !ok {
			set.ts, set.free = precomputedTriggers(Load())
		}
	} else {
		set.ts, set.free = Load().ChangedNamesAnyFree(src, tgt)
	}
	triggersMemo[key] = set
	return set
}

// markAlts writes the alternatives of the trigger named name as trigger
// words: every word not free gets a leading "." (WrittenMark stays as it
// is), and when name is not free itself, each alternative lists it so
// (the name alone becomes an alternative of its own).
func markAlts(name string, alts [][]string, free map[string]bool) [][]string {
	self := !free[name]
	if len(alts) == 0 {
		if self {
			return [][]string{{"." + name}}
		}
		return nil
	}
	out := make([][]string, len(alts))
	for i, alt := range alts {
		m := make([]string, 0, len(alt)+1)
		for _, w := range alt {
			if !free[w] && w != WrittenMark {
				w = "." + w
			}
			m = append(m, w)
		}
		if self {
			m = append(m, "."+name)
		}
		out[i] = m
	}
	return out
}

// precomputedTriggers computes what mlflow.triggers holds.
func precomputedTriggers(db *DB) ([]Trigger, []string) {
	psrc, ptgts := Precomputed()
	srcs := make([][]int, len(ptgts))
	for i := range srcs {
		srcs[i] = psrc
	}
	return db.ChangedNamesAnyFree(srcs, ptgts)
}

var (
	triggersMu   sync.Mutex
	triggersMemo = map[string]triggerSet{}
)

// TriggerIndex is the precomputed triggers (mlflow.triggers) read on
// demand, as the generic rules' trigger words: the words line gives the
// vocabulary, and a trigger's line is found by binary search over the
// sorted lines and parsed on first use. Opening it costs the header's
// check and a pass for line breaks, where parsing every alternative of
// the file cost several milliseconds on every run that met MLflow.
type TriggerIndex struct {
	// vocab is the words line, split: a word's number is its index.
	vocab []string
	// freeRef tells by number whether a word is free.
	freeRef []bool
	free    map[string]bool
	// lines are the trigger lines, without their line breaks, and
	// names the name each starts with, in the same (sorted) order.
	lines, names []string
	mu           sync.Mutex
	memo         map[string]memoAlts
}

// memoAlts is a looked-up word's alternatives, and whether it names a
// trigger.
type memoAlts struct {
	alts [][]string
	ok   bool
}

// PrecomputedIndex returns the index of mlflow.triggers when its triggers
// fire wherever those of the migrations from src[i] to tgt[i] would (see
// TriggersAny) and the file is fresh; ok is false otherwise, and
// TriggersAny computes them.
func PrecomputedIndex(src [][]int, tgt []int) (x *TriggerIndex, ok bool) {
	for i := range tgt {
		if !covered(src[i], tgt[i]) {
			return nil, false
		}
	}
	indexOnce.Do(func() {
		psrc, ptgts := Precomputed()
		theIndex, indexOK = openIndex(embeddedTriggers, psrc, ptgts)
	})
	return theIndex, indexOK
}

var (
	indexOnce sync.Once
	theIndex  *TriggerIndex
	indexOK   bool
)

// openIndex reads the header, migration and words lines of text and
// finds its trigger lines.
func openIndex(text string, src, tgts []int) (*TriggerIndex, bool) {
	words, free, body, ok := splitTriggers(text, src, tgts)
	if !ok {
		return nil, false
	}
	n := strings.Count(body, "\n") + 1
	x := &TriggerIndex{vocab: strings.Split(words, " "), free: map[string]bool{}, lines: make([]string, 0, n), names: make([]string, 0, n), memo: map[string]memoAlts{}}
	x.freeRef = make([]bool, len(x.vocab))
	for _, w := range strings.Fields(free) {
		x.free[w] = true
		if r, ok := slices.BinarySearch(x.vocab, w); ok {
			x.freeRef[r] = true
		}
	}
	for body != "" {
		line, rest, _ := strings.Cut(body, "\n")
		name, _, _ := strings.Cut(line, "\t")
		x.lines = append(x.lines, line)
		x.names = append(x.names, name)
		body = rest
	}
	return x, true
}

// Vocabulary lists every word of the triggers: names and the words of
// their alternatives, sorted, each at its number (EachAlternativeRef).
// The slice is the index's own: it is not to be changed.
func (x *TriggerIndex) Vocabulary() []string { return x.vocab }

// Alternatives returns the alternatives of the trigger named w as trigger
// words (see TriggerWordsAny; none: the name alone); ok is false when w
// names no trigger.
func (x *TriggerIndex) Alternatives(w string) (alts [][]string, ok bool) {
	x.mu.Lock()
	m, seen := x.memo[w]
	x.mu.Unlock()
	if seen {
		return m.alts, m.ok
	}
	line, found := x.line(w)
	if found {
		fields := strings.Split(line, "\t")[1:]
		for i, alt := range fields {
			if strings.HasPrefix(alt, "=") {
				// The call gate: the alternatives after it, or the
				// name alone, gated.
				if i == len(fields)-1 {
					alts = append(alts, nil)
				}
				continue
			}
			var words []string
			for r := range strings.SplitSeq(alt, "+") {
				if alt != "" { // an empty field holds no word
					words = append(words, x.word(r))
				}
			}
			alts = append(alts, words)
		}
		alts = markAlts(w, alts, x.free)
	}
	// Words that name no trigger are kept too: the vocabulary holds
	// every companion (`utils`, `pyfunc`), which most files that use
	// MLflow hold and which would otherwise be searched for in each.
	x.mu.Lock()
	x.memo[w] = memoAlts{alts, found}
	x.mu.Unlock()
	return alts, found
}

// WrittenRef stands for WrittenMark where EachAlternativeRef gives a
// word's number.
const WrittenRef = -1

// EachAlternativeRef calls fn with every word of every alternative of
// the trigger named w, as Alternatives gives them, each as its number in
// Vocabulary (WrittenRef for WrittenMark; member set where Alternatives
// writes a dot), alt numbering the alternatives from 0, and returns how
// many there are and whether w names a trigger. It reads the trigger's
// line in place: nothing is allocated or kept, and a caller that keeps
// its own numbers for the words reads them from a table.
func (x *TriggerIndex) EachAlternativeRef(w string, fn func(alt int, ref int32, member bool)) (n int, ok bool) {
	line, found := x.line(w)
	if !found {
		return 0, false
	}
	// Every name is a word of the words line (TriggersText); one that is
	// not, in a file that is not TriggersText's, reads as WrittenMark.
	r, named := slices.BinarySearch(x.vocab, w)
	self, name := !named || !x.freeRef[r], int32(WrittenRef)
	if named {
		name = int32(r)
	}
	_, rest, more := strings.Cut(line, "\t")
	if !more {
		if self {
			fn(0, name, true)
			return 1, true
		}
		return 0, true
	}
	for ; more; n++ {
		var alt string
		alt, rest, more = strings.Cut(rest, "\t")
		if strings.HasPrefix(alt, "=") {
			// The call gate: the alternatives after it, or the name
			// alone (an empty alternative), gated.
			if more {
				n--
				continue
			}
			if self {
				fn(n, name, true)
			}
			continue
		}
		// The numbers are read in place. The file is the one
		// TriggersText wrote from the embedded data (its header says
		// so, and TestTriggerIndexAgrees reads every line); a field that
		// is no number of a word would be read as WrittenMark.
		for i := 0; i < len(alt); i++ {
			j, r := i, 0
			for ; j < len(alt) && alt[j] != '+'; j++ {
				c := alt[j]
				if c < '0' || c > '9' || r >= len(x.vocab) {
					r = -1
					j = strings.IndexByte(alt[i:], '+')
					if j < 0 {
						j = len(alt)
					} else {
						j += i
					}
					break
				}
				r = r*10 + int(c-'0')
			}
			if j == i || r < 0 || r >= len(x.vocab) {
				fn(n, WrittenRef, false)
			} else {
				fn(n, int32(r), !x.freeRef[r])
			}
			i = j
		}
		if self {
			fn(n, name, true)
		}
	}
	return n, true
}

// word returns the word an alternative's field r writes: WrittenMark or
// a number of Vocabulary. A field that is neither reads as WrittenMark,
// as EachAlternativeRef reads it.
func (x *TriggerIndex) word(r string) string {
	if n, ok := wordRef(r, len(x.vocab)); ok {
		return x.vocab[n]
	}
	return WrittenMark
}

// NameSig is a set of names as 256 bits (by length, first and last byte):
// a name whose bit is clear is none of them, told without hashing it.
type NameSig [4]uint64

func nameBit[T string | []byte](w T) uint {
	if len(w) == 0 {
		return 0
	}
	return (uint(len(w))*7 + uint(w[0])*31 + uint(w[len(w)-1])) % 256
}

// Add adds a name.
func (s *NameSig) Add(w string) { b := nameBit(w); s[b/64] |= 1 << (b % 64) }

// May reports whether w may be one of the names: false only when it is not.
func (s *NameSig) May(w string) bool { b := nameBit(w); return s[b/64]&(1<<(b%64)) != 0 }

// MayBytes is May for a name as bytes.
func (s *NameSig) MayBytes(w []byte) bool { b := nameBit(w); return s[b/64]&(1<<(b%64)) != 0 }

// CallGate returns the call gate of the trigger named w, if it has one,
// and the first alternative it gates (as EachAlternativeRef numbers them).
func (x *TriggerIndex) CallGate(w string) (GatedFrom, bool) {
	line, found := x.line(w)
	if !found {
		return GatedFrom{}, false
	}
	_, rest, _ := strings.Cut(line, "\t")
	for from := 0; rest != ""; from++ {
		var field string
		field, rest, _ = strings.Cut(rest, "\t")
		if strings.HasPrefix(field, "=") {
			g, ok := ParseCallGate(field)
			return GatedFrom{g, from}, ok
		}
	}
	return GatedFrom{}, false
}

// line returns the line of the trigger named w, without its line break.
func (x *TriggerIndex) line(w string) (string, bool) {
	i, found := slices.BinarySearch(x.names, w)
	if !found {
		return "", false
	}
	return x.lines[i], true
}
