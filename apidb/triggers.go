package apidb

import (
	_ "embed"
	"fmt"
	"hash/crc32"
	"slices"
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
// migration).
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
// migrations, then one line per trigger: its name and its alternatives
// separated by tabs, the words of an alternative joined by "+".
func TriggersText(src, tgts []int, ts []Trigger) string {
	var b strings.Builder
	b.WriteString(triggersHeader())
	fmt.Fprintf(&b, "\nmigration\t%s\t%s\n", joinInts(src), joinInts(tgts))
	for _, t := range ts {
		b.WriteString(t.Name)
		for _, alt := range t.With {
			b.WriteByte('\t')
			b.WriteString(strings.Join(alt, "+"))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// parseTriggers reads TriggersText's output; ok is false when text was not
// derived from the embedded data or is for other migrations.
func parseTriggers(text string, src, tgts []int) (ts []Trigger, ok bool) {
	header, rest, _ := strings.Cut(text, "\n")
	if header != triggersHeader() {
		return nil, false
	}
	mig, rest, _ := strings.Cut(rest, "\n")
	if mig != fmt.Sprintf("migration\t%s\t%s", joinInts(src), joinInts(tgts)) {
		return nil, false
	}
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
			return nil, false
		}
		first := len(alts)
		for more {
			var alt string
			alt, line, more = strings.Cut(line, "\t")
			if alt == "" {
				return nil, false
			}
			w := len(words)
			for alt != "" {
				var word string
				word, alt, _ = strings.Cut(alt, "+")
				words = append(words, word)
			}
			alts = append(alts, words[w:len(words):len(words)])
		}
		t := Trigger{Name: name}
		if len(alts) > first {
			t.With = alts[first:len(alts):len(alts)]
		}
		ts = append(ts, t)
	}
	return ts, true
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
	if ts, ok := triggersMemo[key]; ok {
		return ts
	}
	var ts []Trigger
	ok := false
	if all {
		psrc, ptgts := Precomputed()
		ts, ok = parseTriggers(embeddedTriggers, psrc, ptgts)
		if !ok {
			ts = precomputedTriggers(Load())
		}
	} else {
		ts = Load().ChangedNamesAny(src, tgt)
	}
	triggersMemo[key] = ts
	return ts
}

// precomputedTriggers computes what mlflow.triggers holds.
func precomputedTriggers(db *DB) []Trigger {
	psrc, ptgts := Precomputed()
	srcs := make([][]int, len(ptgts))
	for i := range srcs {
		srcs[i] = psrc
	}
	return db.ChangedNamesAny(srcs, ptgts)
}

var (
	triggersMu   sync.Mutex
	triggersMemo = map[string][]Trigger{}
)
