package analyzer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestCompactSourceKeepsWhatReportsRead: a compacted Source answers Lines,
// Slice and Context for its findings exactly as the whole text does, and
// holds nothing else.
func TestCompactSourceKeepsWhatReportsRead(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "line %02d é\r\n", i) // 12 bytes a line
	}
	text := b.String()
	full := NewSource(0, text)
	off := func(line, col int) int { return (line-1)*12 + col - 1 }
	// One finding on line 3, one spanning lines 9 and 10.
	spans := [][2]int{{off(3, 1), off(3, 5)}, {off(9, 6), off(10, 3)}}
	c := full.compact(spans)
	if got, want := len(c.text), 12*(3+4); got != want {
		t.Errorf("compact holds %d bytes, want %d (lines 2-4 and 8-11)", got, want)
	}
	for _, sp := range spans {
		if got, want := c.Lines(sp[0], sp[1]), full.Lines(sp[0], sp[1]); !slices.Equal(got, want) || len(got) == 0 {
			t.Errorf("Lines%v = %q, want %q", sp, got, want)
		}
		got, gok := c.Slice(sp[0], sp[1])
		want, wok := full.Slice(sp[0], sp[1])
		if got != want || !gok || !wok {
			t.Errorf("Slice%v = %q %v, want %q", sp, got, gok, want)
		}
		gc, gb, _ := c.Context(sp[0], sp[1], 1)
		wc, wb, _ := full.Context(sp[0], sp[1], 1)
		if gc != wc || gb != wb || gb != 1 {
			t.Errorf("Context%v = %q %d, want %q %d", sp, gc, gb, wc, wb)
		}
	}
	if got := c.Lines(off(6, 1), off(6, 2)); got != nil {
		t.Errorf("a line not kept: %q", got)
	}
	if _, ok := c.Slice(off(4, 1), off(8, 1)); ok {
		t.Error("a slice across dropped lines")
	}
	// "line 03 " is ASCII; the column after é is not.
	if !c.ASCIIBefore(off(3, 9)) || c.ASCIIBefore(off(3, 11)) {
		t.Error("ASCIIBefore on line 3")
	}
}

// TestYieldLeavesNoSource: the findings yieldFindings drops must not stay
// in the array the kept ones share, where they would keep their file's
// whole Source alive past compactSources.
func TestYieldLeavesNoSource(t *testing.T) {
	src := NewSource(0, "import mlflow\nmlflow.x()\n")
	fs := []Finding{
		{Code: "GEN", Src: src, Start: Position{Offset: 14}, End: Position{Offset: 24}},
		{Code: "HAND", Src: src, Start: Position{Offset: 14}, End: Position{Offset: 22}},
		{Code: "GEN", Src: src, Start: Position{Offset: 0}, End: Position{Offset: 6}},
	}
	out := yieldFindings(fs, nil, map[string]bool{"GEN": true})
	if len(out) != 2 || out[0].Code != "HAND" || out[1].Code != "GEN" || out[1].Start.Offset != 0 {
		t.Fatalf("yieldFindings kept %+v", out)
	}
	compactSources(out)
	for i, f := range fs[len(out):] {
		if f.Src != nil {
			t.Errorf("dropped finding %d still holds a Source", len(out)+i)
		}
	}
}

// TestCompactSourceAgrees: compactSource keeps the same lines, with the
// same offsets and ASCII runs, as compacting a Source of the whole text.
func TestCompactSourceAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	pieces := []string{"a", "bc", " ", "\n", "\r\n", "é", "\n\n", "mlflow.x()", ""}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		var spans [][2]int
		for range 1 + rng.IntN(4) {
			s := rng.IntN(len(text)+3) - 1
			e := s + rng.IntN(len(text)+2) - 2
			spans = append(spans, [2]int{s, e})
		}
		want := NewSource(0, text).compact(spans)
		got := compactSource(text, spans)
		if got.text != want.text || !slices.Equal(got.lines, want.lines) {
			t.Fatalf("text %q spans %v:\ncompactSource %q %+v\ncompact       %q %+v", text, spans, got.text, got.lines, want.text, want.lines)
		}
	}
}

// TestLineStartsAndASCIIRun holds lineStarts and asciiRun, which read
// many bytes at a time, to a byte at a time on random texts of line
// breaks, ASCII and non-ASCII bytes at every length and position.
func TestLineStartsAndASCIIRun(t *testing.T) {
	next := lcg(9)
	const alphabet = "a\n\r \xc3\xa9\x80\xff"
	for range 20000 {
		b := make([]byte, next(40))
		for i := range b {
			b[i] = alphabet[next(len(alphabet))]
		}
		if next(2) == 0 {
			for i := range b {
				if b[i] >= 0x80 {
					b[i] = 'x' // ASCII alone, long runs
				}
			}
		}
		want := []int{0}
		run := len(b)
		for i, c := range b {
			if c == '\n' {
				want = append(want, i+1)
			}
			if c >= 0x80 && run == len(b) {
				run = i
			}
		}
		if got := lineStarts(b); !slices.Equal(got, want) {
			t.Fatalf("lineStarts(%q) = %v, want %v", b, got, want)
		}
		if got := lineStarts(string(b)); !slices.Equal(got, want) {
			t.Fatalf("lineStarts of the string %q = %v, want %v", b, got, want)
		}
		if got := asciiRun(string(b)); got != run {
			t.Fatalf("asciiRun(%q) = %d, want %d", b, got, run)
		}
	}
}
