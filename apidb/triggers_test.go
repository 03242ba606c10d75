package apidb

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var updateDerived = flag.Bool("update-derived", false, "rewrite the derived files (mlflow.triggers, mlflow.envs) from the embedded data")

// TestDerivedFilesFresh checks that mlflow.triggers is what ChangedNamesAny
// computes for the Precomputed migrations from the embedded data, and
// mlflow.envs what EnvDropped lists (rewrite them with -update-derived, as
// `make apidb` does).
func TestDerivedFilesFresh(t *testing.T) {
	src, tgts := Precomputed()
	ptrig, pfree := precomputedTriggers(Load())
	for _, f := range []struct{ name, want, embedded string }{
		{"mlflow.triggers", TriggersText(src, tgts, ptrig, pfree), embeddedTriggers},
		{"mlflow.envs", EnvsText(LoadCLI().EnvDropped()), embeddedEnvs},
	} {
		if *updateDerived {
			if err := os.WriteFile(f.name, []byte(f.want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != f.want {
			t.Fatalf("%s is stale: run `go test ./apidb -run TestDerivedFilesFresh -update-derived` (make apidb does)", f.name)
		}
		if string(got) != f.embedded {
			t.Fatalf("the embedded %s differs from the file", f.name)
		}
	}
	if got, want := DroppedEnv(), LoadCLI().EnvDropped(); !reflect.DeepEqual(got, want) {
		t.Errorf("DroppedEnv() = %d variables, EnvDropped %d", len(got), len(want))
	}
}

func TestTriggersFromFileOrComputed(t *testing.T) {
	src, tgts := Precomputed()
	want, wantFree := precomputedTriggers(Load())
	if len(want) == 0 || len(wantFree) == 0 {
		t.Fatal("no precomputed triggers or free words")
	}
	ts, free, ok := parseTriggers(TriggersText(src, tgts, want, wantFree), src, tgts)
	if !ok || !reflect.DeepEqual(ts, want) || !reflect.DeepEqual(free, wantFree) {
		t.Fatalf("parseTriggers(TriggersText(x)) = %d triggers, %d free words, %v; want %d, %d", len(ts), len(free), ok, len(want), len(wantFree))
	}
	// Every migration from 2.x releases to a 3.x release reads the file:
	// the default one, one from 2.9.x to the first 3.x release, and the
	// upgrade matrix's.
	dsrc, dtgt := DefaultMigration()
	s29, _ := Select("2.9")
	for _, m := range []struct {
		src []int
		tgt int
	}{{dsrc, dtgt}, {s29, tgts[0]}} {
		if got := Triggers(m.src, m.tgt); !reflect.DeepEqual(got, want) {
			t.Errorf("Triggers(%v, %d) is not the precomputed set: %d vs %d triggers", m.src, m.tgt, len(got), len(want))
		}
	}
	if got := TriggersAny([][]int{s29, dsrc}, []int{tgts[1], tgts[2]}); !reflect.DeepEqual(got, want) {
		t.Errorf("TriggersAny of covered migrations is not the precomputed set")
	}
	// A migration from a 1.x release is not covered: computed.
	other := []int{0}
	if got, want := Triggers(other, dtgt), Load().ChangedNames(other, dtgt); !reflect.DeepEqual(got, want) {
		t.Errorf("Triggers(%v, %d) differs from ChangedNames: %d vs %d triggers", other, dtgt, len(got), len(want))
	}
	// Each covered migration's own triggers are no wider than the file's:
	// every set of words of its own has a set of the file among its words.
	byName := map[string]Trigger{}
	for _, tr := range want {
		byName[tr.Name] = tr
	}
	for _, m := range []struct {
		src []int
		tgt int
	}{{dsrc, dtgt}, {s29, tgts[0]}, {s29, tgts[len(tgts)/2]}} {
		for _, tr := range Load().ChangedNames(m.src, m.tgt) {
			for _, a := range alternatives(tr) {
				if !firedBy(a, byName) {
					t.Errorf("%v -> %d: the trigger %v is not covered by the file", m.src, m.tgt, a)
				}
			}
		}
	}
	// A file for other data, or for other migrations, is not used.
	text := TriggersText(src, tgts, want, wantFree)
	stale := strings.Replace(text, "crc32c:", "crc32c:0", 1)
	if _, _, ok := parseTriggers(stale, src, tgts); ok {
		t.Error("a file derived from other data was accepted")
	}
	if _, _, ok := parseTriggers(text, src[1:], tgts); ok {
		t.Error("a file for other migrations was accepted")
	}
	if _, _, ok := parseTriggers(text+"\tcompanion\n", src, tgts); ok {
		t.Error("a line without a name was accepted")
	}
	if _, _, ok := parseTriggers(strings.Replace(text, "\nfree\t", "\nfreed\t", 1), src, tgts); ok {
		t.Error("a file without its free words was accepted")
	}
}

// alternatives returns the whole word sets of a trigger, its name
// included.
func alternatives(tr Trigger) []gatedAlt {
	var out []gatedAlt
	for i, w := range tr.alternatives() {
		a := gatedAlt{words: append([]string{tr.Name}, w...), name: tr.Name}
		if i >= len(tr.With) {
			a.gate = tr.Gate
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return []gatedAlt{{words: []string{tr.Name}, name: tr.Name}}
	}
	return out
}

// gatedAlt is an alternative of a trigger named name, all its words (the
// name among them), and its gate.
type gatedAlt struct {
	words []string
	name  string
	gate  *CallGate
}

// firedBy reports whether a source holding exactly the words of a fires
// one of the triggers ts wherever a does: a trigger fires only where its
// name is a word, and a gated alternative only where its gate holds,
// which is wherever a's does when a is gated by a gate of the same name
// that lets through no more than it (coversGate).
func firedBy(a gatedAlt, ts map[string]Trigger) bool {
	has := map[string]bool{}
	for _, w := range a.words {
		has[w] = true
	}
	for _, w := range a.words {
		tr, ok := ts[w]
		if !ok {
			continue
		}
		for _, b := range alternatives(tr) {
			all := b.gate == nil || a.gate != nil && b.name == a.name && coversGate(b.gate, a.gate)
			for _, x := range b.words {
				all = all && has[x]
			}
			if all {
				return true
			}
		}
	}
	return false
}

// coversGate reports whether gate b holds wherever gate a does.
func coversGate(b, a *CallGate) bool {
	capOK := func(cb, ca int) bool { return ca < 0 && cb < 0 || cb >= 0 && (ca < 0 || cb <= ca) }
	if !capOK(b.Cap, a.Cap) || !capOK(b.AttrCap, a.AttrCap) {
		return false
	}
	switch {
	case !a.Open && b.Open:
		return false // a holds for every keyword but a few
	case !a.Open:
		return !slices.ContainsFunc(b.Keywords, func(k string) bool { return a.KeywordHolds(k) })
	}
	return !slices.ContainsFunc(a.Keywords, func(k string) bool { return !b.KeywordHolds(k) })
}

// BenchmarkTriggers compares what a run pays for the default migration's
// trigger words: read from mlflow.triggers, or computed from the data
// (gunzip, parse, ChangedNames) as before the file existed.
func BenchmarkTriggers(b *testing.B) {
	src, tgt := DefaultMigration()
	psrc, ptgts := Precomputed()
	b.Run("file", func(b *testing.B) {
		for b.Loop() {
			if _, _, ok := parseTriggers(embeddedTriggers, psrc, ptgts); !ok {
				b.Fatal("mlflow.triggers is stale")
			}
		}
	})
	b.Run("computed", func(b *testing.B) {
		for b.Loop() {
			db, err := Parse(embedded)
			if err != nil {
				b.Fatal(err)
			}
			db.ChangedNames(src, tgt)
		}
	})
}

// TestTriggerIndexAgrees holds the index read on demand to the triggers it
// is derived from: every trigger is found with its alternatives, every
// word of them is in the vocabulary and no other, and words that name no
// trigger (its companions, and names between and around the trigger
// names) are not found.
func TestTriggerIndexAgrees(t *testing.T) {
	src, tgts := Precomputed()
	srcs := make([][]int, len(tgts))
	for i := range srcs {
		srcs[i] = src
	}
	x, ok := PrecomputedIndex(srcs, tgts)
	if !ok {
		t.Fatal("mlflow.triggers does not open as an index")
	}
	want, freeWords := precomputedTriggers(Load())
	free := map[string]bool{}
	for _, w := range freeWords {
		free[w] = true
	}
	words := map[string]bool{}
	names := map[string]bool{}
	for _, tr := range want {
		names[tr.Name] = true
		words[tr.Name] = true
		got, ok := x.Alternatives(tr.Name)
		wantAlts := markAlts(tr.Name, tr.alternatives(), free)
		if g, ok := x.CallGate(tr.Name); ok != (tr.Gate != nil) || ok && (!sameGate(g.Gate, tr.Gate) || g.From != len(tr.With)) {
			t.Fatalf("CallGate(%q) = %v, %v; want %v from %d", tr.Name, g, ok, tr.Gate, len(tr.With))
		}
		if !ok || !reflect.DeepEqual(got, wantAlts) {
			t.Fatalf("Alternatives(%q) = %v, %v; want %v", tr.Name, got, ok, wantAlts)
		}
		var each [][]string
		n, ok := x.EachAlternativeRef(tr.Name, func(alt int, r int32, member bool) {
			for len(each) <= alt {
				each = append(each, nil)
			}
			w := WrittenMark
			if r != WrittenRef {
				w = x.Vocabulary()[r]
			}
			if member {
				w = "." + w
			}
			each[alt] = append(each[alt], w)
		})
		for len(each) < n {
			each = append(each, nil) // an alternative without words
		}
		if !ok || n != len(wantAlts) || !reflect.DeepEqual(each, wantAlts) {
			t.Fatalf("EachAlternativeRef(%q) = %v, %d, %v; want %v", tr.Name, each, n, ok, wantAlts)
		}
		for _, alt := range tr.alternatives() {
			for _, w := range alt {
				if w != WrittenMark { // a mark, no word
					words[w] = true
				}
			}
		}
	}
	vocab := x.Vocabulary()
	if len(vocab) != len(words) {
		t.Errorf("vocabulary has %d words, the triggers %d", len(vocab), len(words))
	}
	for _, w := range vocab {
		if !words[w] {
			t.Errorf("vocabulary word %q is in no trigger", w)
		}
	}
	probes := []string{"", "\t", "A", "zzzz", "~"}
	for w := range words {
		probes = append(probes, w, w+"_", w[:len(w)-1])
	}
	// Twice: the second answer comes from the memo, for names and others.
	for range 2 {
		for _, w := range probes {
			if _, ok := x.Alternatives(w); ok != names[w] {
				t.Errorf("Alternatives(%q) found = %v, want %v", w, ok, names[w])
			}
			if _, ok := x.EachAlternativeRef(w, func(int, int32, bool) {}); ok != names[w] {
				t.Errorf("EachAlternativeRef(%q) found = %v, want %v", w, ok, names[w])
			}
		}
	}
	// A migration the file does not cover has no index.
	if _, ok := PrecomputedIndex([][]int{{0}}, []int{tgts[0]}); ok {
		t.Error("an index for a migration from 1.x")
	}
}

// TestTriggerWordNumbers: the alternatives of mlflow.triggers write each
// word as its number in the words line, WrittenMark as itself; a file
// whose number is no word's is refused by parseTriggers, and the index
// reads such a field as WrittenMark rather than as another word (04 is no
// number TriggersText writes, and reads as 4: past the words).
func TestTriggerWordNumbers(t *testing.T) {
	src, tgts := Precomputed()
	ts := []Trigger{
		{Name: "b", With: [][]string{{"a", WrittenMark}, {"c"}}},
		{Name: "c"},
		{Name: "d", With: [][]string{{"c", "a"}}},
	}
	text := TriggersText(src, tgts, ts, []string{"a"})
	for _, line := range []string{"words\ta b c d\n", "free\ta\n", "b\t0+!\t2\n", "c\n", "d\t2+0\n"} {
		if !strings.Contains(text, line) {
			t.Errorf("TriggersText lacks the line %q:\n%s", line, text)
		}
	}
	got, free, ok := parseTriggers(text, src, tgts)
	if !ok || !reflect.DeepEqual(got, ts) || !reflect.DeepEqual(free, []string{"a"}) {
		t.Fatalf("parseTriggers = %v, %v, %v; want %v", got, free, ok, ts)
	}
	x, ok := openIndex(text, src, tgts)
	if !ok {
		t.Fatal("openIndex refused TriggersText's output")
	}
	// each renders what EachAlternativeRef gives: a word by its number
	// (a dot before a member), "!" for WrittenRef.
	each := func(x *TriggerIndex, name string) []string {
		var out []string
		n, ok := x.EachAlternativeRef(name, func(alt int, r int32, member bool) {
			w := "!"
			if r != WrittenRef {
				w = x.Vocabulary()[r]
			}
			if member {
				w = "." + w
			}
			out = append(out, fmt.Sprintf("%d:%s", alt, w))
		})
		return append(out, fmt.Sprintf("n=%d ok=%v", n, ok))
	}
	for name, want := range map[string][]string{
		"b": {"0:a", "0:!", "0:.b", "1:.c", "1:.b", "n=2 ok=true"},
		"c": {"0:.c", "n=1 ok=true"},
		"d": {"0:.c", "0:a", "0:.d", "n=1 ok=true"},
		"a": {"n=0 ok=false"},
		"e": {"n=0 ok=false"},
	} {
		if got := each(x, name); !reflect.DeepEqual(got, want) {
			t.Errorf("EachAlternativeRef(%q) = %v, want %v", name, got, want)
		}
	}
	for _, bad := range []string{"4", "04", "2x", "", "-1", "99999999999"} {
		broken := strings.Replace(text, "b\t0+!\t2\n", "b\t0+!\t"+bad+"\n", 1)
		if _, _, ok := parseTriggers(broken, src, tgts); ok {
			t.Errorf("parseTriggers accepted the word number %q", bad)
		}
		y, ok := openIndex(broken, src, tgts)
		if !ok {
			t.Fatalf("openIndex refused the file with %q", bad)
		}
		want := []string{"0:a", "0:!", "0:.b", "1:!", "1:.b", "n=2 ok=true"}
		if bad == "" {
			// An empty alternative holds no word to misread: the name
			// alone, wider than the alternative it replaced.
			want = slices.Delete(want, 3, 4)
		}
		if got := each(y, "b"); !reflect.DeepEqual(got, want) {
			t.Errorf("with the word number %q, EachAlternativeRef(b) = %v, want %v", bad, got, want)
		}
		// Alternatives reads the field as EachAlternativeRef does.
		wantAlts := [][]string{{"a", "!", ".b"}, {"!", ".b"}}
		if bad == "" {
			wantAlts = [][]string{{"a", "!", ".b"}, {".b"}}
		}
		if got, ok := y.Alternatives("b"); !ok || !reflect.DeepEqual(got, wantAlts) {
			t.Errorf("with the word number %q, Alternatives(b) = %q, %v; want %q", bad, got, ok, wantAlts)
		}
	}
}

// TestNameSig: every name added passes, and most others do not.
func TestNameSig(t *testing.T) {
	seed := uint64(5)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	word := func() string {
		b := make([]byte, 1+next(12))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz_ABCXYZ0123"[next(37)]
		}
		return string(b)
	}
	var s NameSig
	added := map[string]bool{}
	for range 20 {
		w := word()
		s.Add(w)
		added[w] = true
	}
	for w := range added {
		if !s.May(w) || !s.MayBytes([]byte(w)) {
			t.Fatalf("%q was added and is refused", w)
		}
	}
	refused := 0
	for range 2000 {
		w := word()
		if s.May(w) != s.MayBytes([]byte(w)) {
			t.Fatalf("May and MayBytes differ on %q", w)
		}
		if !s.May(w) {
			refused++
		}
	}
	if refused < 1500 {
		t.Errorf("%d of 2,000 other words refused, want most", refused)
	}
}
