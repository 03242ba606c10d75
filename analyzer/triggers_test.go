package analyzer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/bench/gen/gencorpus"
)

// TestMatcherAgreesWithContains compares the automaton with bytes.Contains
// on random sources over a small alphabet, where patterns overlap and
// nest.
func TestMatcherAgreesWithContains(t *testing.T) {
	pats := [][]byte{[]byte("ab"), []byte("abc"), []byte("bca"), []byte("c"), []byte("aab"), []byte("cab_"), []byte("b_b")}
	m := newMatcher(pats)
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("abc_x")
	for range 5000 {
		src := make([]byte, r.IntN(12))
		for i := range src {
			src[i] = alphabet[r.IntN(len(alphabet))]
		}
		found := make([]bool, len(pats))
		m.find(src, found)
		for i, p := range pats {
			if want := bytes.Contains(src, p); found[i] != want {
				t.Fatalf("%q in %q: found %v, want %v", p, src, found[i], want)
			}
		}
	}
	empty := newMatcher(nil)
	empty.find([]byte("abc"), nil)
}

// TestMatcherSkipsExactly: the automaton that moves a window as long as
// the shortest pattern by the shift of its last two bytes reports the
// matches, ids and ends, in the order the automaton run over every byte
// does, on random pattern sets of two bytes or more that overlap, nest
// and share their first bytes, and on random sources over their
// alphabet, with windows of two to six bytes.
func TestMatcherSkipsExactly(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const alphabet = "abc_/:x"
	text := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return b
	}
	type match struct{ id, end int }
	collect := func(m *matcher, src []byte) []match {
		var out []match
		m.findEach(src, func(id, end int) { out = append(out, match{id, end}) })
		return out
	}
	matched := 0
	windows := map[int]int{} // pattern sets by window
	for range 600 {
		pats := make([][]byte, 1+r.IntN(6))
		shortest := 2 + r.IntN(5)
		for i := range pats {
			pats[i] = text(shortest + r.IntN(4))
		}
		m := newMatcher(pats)
		if m.shift == nil {
			t.Fatalf("no shifts for patterns of two bytes or more: %q", pats)
		}
		if least := len(slices.MinFunc(pats, func(a, b []byte) int { return len(a) - len(b) })); m.window != least {
			t.Fatalf("patterns %q: window %d", pats, m.window)
		}
		windows[m.window]++
		plain := *m
		plain.shift = nil
		for range 50 {
			src := text(r.IntN(40))
			got, want := collect(m, src), collect(&plain, src)
			if !slices.Equal(got, want) {
				t.Fatalf("patterns %q in %q: %v, want %v", pats, src, got, want)
			}
			matched += len(want)
		}
	}
	if matched < 1000 {
		t.Fatalf("%d matches in all: the sources hold too few", matched)
	}
	for w := 2; w <= 6; w++ {
		if windows[w] < 50 {
			t.Fatalf("%d pattern sets with a window of %d: too few", windows[w], w)
		}
	}
	if m := newMatcher([][]byte{[]byte("ab"), []byte("c")}); m.shift != nil {
		t.Error("a pattern of one byte and shifts")
	}
	long := bytes.Repeat([]byte("ab"), 40)
	if m := newMatcher([][]byte{long}); m.window != maxWindow {
		t.Errorf("a pattern of %d bytes: window %d", len(long), m.window)
	}
}

// TestContainsRare holds containsRare to bytes.Contains: patterns at the
// start, at the end, overlapping themselves, cut short by the end, and
// random texts over a small alphabet so that near misses are frequent.
func TestContainsRare(t *testing.T) {
	pats := []string{"mlflow", "MLFLOW", "models:/", "api/", "ww", "a"}
	texts := []string{"", "w", "mlflo", "lflow", "mlflow", "xmlflow", "mlflowx", "mlfmlflow", "mlflowmlflow",
		"MLFLOW_TRACKING_URI", "wwwmlflo", "api", "x/api/", "mlfloW", "\nmlflow\n"}
	check := func(text, pat string) {
		if got, want := containsRare([]byte(text), []byte(pat)), strings.Contains(text, pat); got != want {
			t.Errorf("containsRare(%q, %q) = %v, want %v", text, pat, got, want)
		}
	}
	for _, p := range pats {
		for _, s := range texts {
			check(s, p)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "mlfowMLFOW/:api "
	for range 20000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		for _, p := range pats {
			check(string(b), p)
		}
	}
}

// BenchmarkWordScan is the word half of the prefilter (presentWords and
// hasTrigger) over generated MLflow modules with the generic rules'
// precomputed triggers as the word set.
func BenchmarkWordScan(b *testing.B) {
	src, tgts := apidb.Precomputed()
	x, ok := apidb.PrecomputedIndex([][]int{src}, tgts[len(tgts)-1:])
	if !ok {
		b.Fatal("no precomputed triggers")
	}
	ws := NewWordsFrom(func() WordSource { return x }).Needing("mlflow")
	a := &analysis.Analyzer{Name: "X"}
	rt := newRuleTriggers([]*analysis.Analyzer{a}, nil, map[string]*Words{"X": ws})
	files := gencorpus.Generate(1, 40)
	var size int64
	for _, f := range files {
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	hits := 0
	for b.Loop() {
		hits = 0
		for _, f := range files {
			if rt.scan(f.Data, &scanMemo{}).runs(a) {
				hits++
			}
		}
	}
	b.ReportMetric(float64(hits), "triggered/op")
}

// TestMemberWords holds a word the set needs as a member (".pipelines") to
// the places a path of MLflow's API can be written: each source below
// must trigger the set or not as its name says. A word the set needs
// anywhere ("kw") triggers wherever it is written.
func TestMemberWords(t *testing.T) {
	ws := NewWords(func() WordSet {
		return WordSet{"pipelines": {{".pipelines"}}, "kw": nil, "Run": {{".entities", ".Run"}}}
	}).Needing("mlflow")
	a := &analysis.Analyzer{Name: "X"}
	rt := newRuleTriggers([]*analysis.Analyzer{a}, nil, map[string]*Words{"X": ws})
	cases := []struct {
		name string
		src  string
		want bool
	}{
		{"attribute", "import mlflow\nmlflow.pipelines.x()\n", true},
		{"alias attribute", "import mlflow as m\nm . pipelines\n", true},
		{"chain over lines", "import mlflow\nx = (mlflow\n    .pipelines)\n", true},
		{"comment inside the chain", "import mlflow\nx = (mlflow.  # the old name\n    pipelines)\n", true},
		{"comment ending in from", "import mlflow as m\nx = (m  # see from\n    .pipelines)\n", true},
		{"comment ending in an import", "import mlflow as m\nx = (m  # from kedro import\n    .pipelines)\n", true},
		{"comment before the chain", "import mlflow as m\nx = (  # from\n    m.pipelines)\n", true},
		{"continuation", "import mlflow\nx = mlflow.\\\n    pipelines\n", true},
		{"import", "import mlflow.pipelines\n", true},
		{"from mlflow", "from mlflow import pipelines\n", true},
		{"from mlflow, parenthesized", "from mlflow import (\n    evaluate,  # see )\n    pipelines as p,\n)\n", true},
		{"from mlflow, continued", "from mlflow import evaluate, \\\n    pipelines\n", true},
		{"from mlflow, continued, CRLF", "from mlflow import evaluate, \\\r\n    pipelines\r\n", true},
		{"chain at the start", ".pipelines\nimport mlflow\n", true},
		{"from a submodule", "from mlflow . pipelines import step\n", true},
		{"from mlflow after a statement", "x = 1; from mlflow import pipelines\n", true},
		{"patch target", "import mlflow\nmock.patch(\"mlflow.pipelines.x\")\n", true},
		{"getattr", "import mlflow\ngetattr(mlflow, \"pipelines\")\n", true},
		{"patch.object", "import mlflow\nmock.patch.object(mlflow, 'pipelines')\n", true},
		{"def", "import mlflow\nclass M(mlflow.X):\n    def pipelines(self): pass\n", true},
		{"wildcard", "from mlflow import *\npipelines.run()\n", true},
		{"wildcard after a docstring's open import", "\"\"\"Use: from mlflow import (a\"\"\"\nfrom mlflow import *\nf()\npipelines.run()\n", true},
		{"result of a call", "import mlflow\nmlflow.get()[0].pipelines\n", true},
		{"keyword", "import mlflow\ndict(pipelines=[])\n", false},
		{"dict key", "import mlflow\nx = {\"pipelines\": []}\n", false},
		{"bare name", "import mlflow\npipelines = load()\nrun(pipelines)\n", false},
		{"from another package", "import mlflow\nfrom kedro.framework import pipelines\n", false},
		{"import list of another package", "import mlflow\nfrom kedro import (\n    pipelines,\n)\nfrom mlflow import evaluate\n", false},
		{"module path of another package", "import mlflow\nfrom kedro_mlflow.pipelines import x\nimport kedro_mlflow.pipelines\n", false},
		{"relative import", "import mlflow\nfrom .pipelines import x\nfrom ..pipelines import y\n", false},
		{"string of another package", "import mlflow\nmock.patch(\"kedro.pipelines.x\")\n", false},
		{"yield from", "import mlflow\ndef f():\n    yield from pipelines\n", false},
		{"raise from an alias", "import mlflow as m\ntry:\n    pass\nexcept E as e:\n    raise X from m.pipelines.Err\n", true},
		{"yield from an alias", "import mlflow as m\ndef f():\n    yield from m.pipelines.steps()\n", true},
		{"from-import after a colon", "import mlflow\nif True: from kedro.pipelines import x\n", false},
		{"no mlflow", "import kedro\nkedro.pipelines\n", false},
		{"keyword anywhere", "import mlflow\nf(kw=1)\n", true},
		{"path of two members", "from mlflow.entities import Run\n", true},
		{"path words not as members", "import mlflow\nentities = Run = 1\n", false},
	}
	for _, c := range cases {
		got := rt.scan([]byte(c.src), &scanMemo{}).runs(a)
		if got != c.want {
			t.Errorf("%s: triggered = %v, want %v\n%s", c.name, got, c.want, c.src)
		}
	}
}

// TestScanHostileSources runs the word scan over 1 MB sources built to
// make a scan that rereads what it has read quadratic: from-imports of
// mlflow whose names never close, from-imports of another package, and
// one dotted chain of 100,000 words in an import and in a string. Each is
// read once (a few milliseconds); a scan that walked each list or chain
// again for every word in it would take minutes here, past the test
// binary's timeout under -race. The chains start elsewhere than mlflow and
// must not trigger; the open list of mlflow names must.
func TestScanHostileSources(t *testing.T) {
	ws := NewWords(func() WordSet { return WordSet{"pipelines": {{".pipelines"}}} }).Needing("mlflow")
	a := &analysis.Analyzer{Name: "X"}
	rt := newRuleTriggers([]*analysis.Analyzer{a}, nil, map[string]*Words{"X": ws})
	cases := []struct {
		src  string
		want bool
	}{
		{"import mlflow\n" + strings.Repeat("from mlflow import (", 50000) + "pipelines", true},
		{"import mlflow\n" + strings.Repeat("from foo import (", 50000) + "pipelines", false},
		{"import mlflow\nimport foo" + strings.Repeat(".pipelines", 100000), false},
		{"import mlflow\nx = \"foo" + strings.Repeat(".pipelines", 100000) + "\"", false},
	}
	for i, c := range cases {
		if got := rt.scan([]byte(c.src), &scanMemo{}).runs(a); got != c.want {
			t.Errorf("source %d: triggered = %v, want %v", i, got, c.want)
		}
	}
}

// TestFiresAnyAgrees: a word's keys are the sets whose Alternatives know
// it; firesAny, which reads each word once for all sets, answers as
// hasTrigger of each selected set does, with the same test
// after it, on random presences over sets that share words, need a word,
// ask for members and for the key written.
func TestFiresAnyAgrees(t *testing.T) {
	sets := []WordSet{
		{"a": nil, "b": {{"c"}, {".d"}}},
		{"b": {{WrittenMark, ".b"}}, "e": {{"a", ".c"}}},
		{"c": nil},
		{"d": {{"e", "a"}}},
	}
	words := map[string]*Words{}
	var rules []*analysis.Analyzer
	for i, ws := range sets {
		name := string(rune('P' + i))
		w := NewWords(func() WordSet { return ws })
		if i == 2 {
			w = w.Needing("e")
		}
		words[name] = w
		rules = append(rules, &analysis.Analyzer{Name: name})
	}
	rt := newRuleTriggers(rules, nil, words)
	vocab := rt.vocabulary()
	if rt.keys == nil {
		t.Fatal("no keys for four sets")
	}
	// The keys, which ask only the sets that list a word, are the sets
	// whose Alternatives know it.
	for id, w := range vocab.words {
		want := keyKnown
		for k, ws := range sets {
			if _, ok := ws.Alternatives(w); ok {
				want |= 1 << k
			}
		}
		if got := rt.keyMask(int32(id)); got != want {
			t.Errorf("keyMask(%q) = %b, want %b", w, got, want)
		}
	}
	next := lcg(3)
	for range 5000 {
		p := randomPresence(rt, next, 2, true)
		var list []int
		for k := range sets {
			if next(3) > 0 {
				list = append(list, k)
			}
		}
		refused := next(16) // a bit per set: the test after the words
		ok := func(k int) bool { return refused&(1<<k) == 0 }
		want := false
		for _, k := range list {
			if rt.hasTrigger(k, p) && ok(k) {
				want = true
			}
		}
		if got := rt.firesAny(rt.selectSets(list), p, ok); got != want {
			t.Fatalf("firesAny = %v, hasTrigger of each set %v: sets %v, words %v", got, want, list, p.ids)
		}
	}
}

// TestFiresAnyManyWords: with more words than a signature has bits
// (trigAlts.sigs), so that words share bits, firesAny still answers as
// hasTrigger, which reads every word of every alternative, does.
func TestFiresAnyManyWords(t *testing.T) {
	next := lcg(11)
	word := func() string { return fmt.Sprintf("w%d", next(300)) }
	sets := []WordSet{{}, {}}
	for _, ws := range sets {
		for i := range 20 {
			var alts [][]string
			for range 1 + next(40) {
				alt := []string{word()}
				for range 1 + next(3) {
					w := word()
					if next(3) == 0 {
						w = "." + w
					}
					alt = append(alt, w)
				}
				alts = append(alts, alt)
			}
			ws[fmt.Sprintf("t%d", i)] = alts
		}
	}
	words := map[string]*Words{}
	var rules []*analysis.Analyzer
	for i, ws := range sets {
		name := string(rune('P' + i))
		words[name] = NewWords(func() WordSet { return ws })
		rules = append(rules, &analysis.Analyzer{Name: name})
	}
	rt := newRuleTriggers(rules, nil, words)
	vocab := rt.vocabulary()
	if len(vocab.words) < 128 {
		t.Fatalf("%d words: too few to share bits", len(vocab.words))
	}
	fired := 0
	for range 3000 {
		p := randomPresence(rt, next, 8, false)
		list := []int{0, 1}
		want := rt.hasTrigger(0, p) || rt.hasTrigger(1, p)
		if got := rt.firesAny(rt.selectSets(list), p, func(int) bool { return true }); got != want {
			t.Fatalf("firesAny = %v, hasTrigger %v: words %v", got, want, p.ids)
		}
		if want {
			fired++
		}
	}
	t.Logf("fired in %d of 3000", fired)
	if fired == 0 || fired == 3000 {
		t.Fatalf("fired in %d of 3000 presences: the test asks nothing", fired)
	}
}

// lcg returns a seeded generator of numbers in [0, n).
func lcg(seed uint64) func(n int) int {
	return func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
}

// randomPresence marks each word of rt's vocabulary present with chance
// 1/in, half of those as members and, with written, half of those as
// written by the statement itself.
func randomPresence(rt *ruleTriggers, next func(int) int, in int, written bool) *presence {
	p := rt.newPresence()
	if written {
		p.written = make([]uint64, len(p.bits))
	}
	for id := range rt.vocabulary().words {
		if next(in) > 0 {
			continue
		}
		bit := uint64(1) << (id % 64)
		p.bits[id/64] |= bit
		p.ids = append(p.ids, int32(id))
		if next(2) == 0 {
			p.member[id/64] |= bit
			if written && next(2) == 0 {
				p.written[id/64] |= bit
			}
		}
	}
	return p
}

// TestVocabularyLookup finds each of 4,000 words at its id and none of
// 100,000 others, and checks that the filter in front of the slots
// refuses most of the others without a probe (about one in eight passes
// it at this size).
func TestVocabularyLookup(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	word := func() string {
		b := make([]byte, 3+rng.IntN(20))
		for i := range b {
			b[i] = "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[rng.IntN(63)]
		}
		return string(b)
	}
	in := map[string]bool{}
	var words []string
	for len(words) < 4000 {
		if w := word(); !in[w] {
			in[w] = true
			words = append(words, w)
		}
	}
	v := newVocabulary(words)
	for id, w := range words {
		if got := v.id([]byte(w)); got != int32(id) {
			t.Fatalf("id(%q) = %d, want %d", w, got, id)
		}
	}
	passed, absent := 0, 0
	for range 100000 {
		w := word()
		if in[w] {
			continue
		}
		absent++
		if got := v.id([]byte(w)); got != -1 {
			t.Fatalf("id(%q) = %d for a word not in the vocabulary", w, got)
		}
		if b := filterBit(hashWord([]byte(w))); v.filter[b/64]&(1<<(b%64)) != 0 {
			passed++
		}
	}
	if rate := float64(passed) / float64(absent); rate > 0.2 {
		t.Errorf("%.1f%% of absent words pass the filter, want about 12%%", 100*rate)
	}
}

// TestAfterComment holds afterComment, which loops over short gaps and
// searches long ones, to its definition over random sources: the bytes
// between k and i hold a line break, and the line of k, up to that
// break, a `#`.
func TestAfterComment(t *testing.T) {
	want := func(src []byte, k, i int) bool {
		j := bytes.IndexByte(src[k+1:i], '\n')
		if j < 0 {
			return false
		}
		start := bytes.LastIndexByte(src[:k+1], '\n') + 1
		return bytes.Contains(src[start:k+1+j], []byte("#"))
	}
	rng := rand.New(rand.NewPCG(7, 11))
	const alphabet = "  \n#a.\t\r"
	held := 0
	for range 50000 {
		src := make([]byte, 2+rng.IntN(30))
		for p := range src {
			src[p] = alphabet[rng.IntN(len(alphabet))]
		}
		k := rng.IntN(len(src) - 1)
		i := k + 1 + rng.IntN(len(src)-k-1)
		got := afterComment(src, k, i)
		if got != want(src, k, i) {
			t.Fatalf("afterComment(%q, %d, %d) = %v", src, k, i, got)
		}
		if got {
			held++
		}
	}
	if held == 0 {
		t.Fatal("no source held")
	}
}
