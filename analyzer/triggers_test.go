package analyzer

import (
	"bytes"
	"math/rand/v2"
	"testing"
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
