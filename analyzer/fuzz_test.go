package analyzer

import (
	"bytes"
	"testing"
)

// FuzzMergeFixes decodes random findings with random edits from the input
// and checks the merge: its output is sorted and free of overlaps, it takes
// no more fixes than there are, every edit it keeps came from a fix it
// took, and ApplyEdits never panics on it (and succeeds when the edits lie
// within the source).
func FuzzMergeFixes(f *testing.F) {
	f.Add([]byte("hello world"), []byte{0, 3, 1, 2, 3, 5, 0, 0, 0, 0, 9, 9, 1})
	f.Add([]byte("import mlflow\nmlflow.old()\n"), []byte{1, 21, 24, 3, 1, 21, 24, 3, 0, 14, 14, 0, 2})
	f.Add([]byte(""), []byte{0, 0, 0, 1, 0, 0, 0, 1, 3})
	f.Fuzz(func(t *testing.T, src, plan []byte) {
		findings := decodeFindings(plan, len(src))
		for _, unsafe := range []bool{false, true} {
			merged, n := MergeFixes(findings, unsafe)
			fixable := 0
			for i := range findings {
				if !findings[i].Suppressed && findings[i].Fixable(unsafe) {
					fixable++
				}
			}
			if n > fixable {
				t.Fatalf("took %d fixes of %d fixable", n, fixable)
			}
			if n == 0 && len(merged) > 0 {
				t.Fatalf("no fix taken but %d edits merged", len(merged))
			}
			for i, e := range merged {
				if !fromFindings(findings, e) {
					t.Fatalf("merged edit %v comes from no finding", e)
				}
				if i > 0 {
					p := merged[i-1]
					if p.Start.Offset > e.Start.Offset {
						t.Fatalf("merged edits not sorted: %v before %v", p, e)
					}
					if p.End.Offset > e.Start.Offset {
						t.Fatalf("merged edits overlap: %v and %v", p, e)
					}
					// Two insertions at one point are ordered only when
					// one fix holds both.
					if overlaps(p, e) && !sameFix(findings, p, e) {
						t.Fatalf("insertions of two fixes at one point: %v and %v", p, e)
					}
				}
			}
			out, err := ApplyEdits(src, merged)
			inRange := true
			for _, e := range merged {
				if e.Start.Offset < 0 || e.End.Offset < e.Start.Offset || e.End.Offset > len(src) {
					inRange = false
				}
			}
			if inRange && err != nil {
				t.Fatalf("ApplyEdits refused merged in-range edits: %v", err)
			}
			if err == nil {
				checkApplied(t, src, merged, out)
			}
		}
	})
}

// decodeFindings reads findings from plan: each takes four bytes (start,
// length, replacement length, flags), edits of one fix follow one another
// while the flags say so. Offsets may run a little past the source so that
// out-of-range edits are exercised too.
func decodeFindings(plan []byte, size int) []Finding {
	var out []Finding
	var cur *Finding
	for i := 0; i+4 <= len(plan); i += 4 {
		start := int(plan[i]) % (size + 3)
		end := start + int(plan[i+1])%8
		text := bytes.Repeat([]byte{'a' + plan[i+2]%26}, int(plan[i+2])%5)
		flags := plan[i+3]
		if cur == nil || flags&1 == 0 {
			out = append(out, Finding{Code: "MLF011", Fix: &Fix{Unsafe: flags&2 != 0}, Suppressed: flags&4 != 0})
			cur = &out[len(out)-1]
		}
		if flags&8 != 0 {
			end = start // an insertion
		}
		cur.Fix.Edits = append(cur.Fix.Edits, edit(start, end, string(text)))
	}
	// Fixes as the driver builds them: edits sorted and not overlapping
	// within one fix (the driver drops other fixes).
	kept := out[:0]
	for _, fd := range out {
		ok := true
		for i := 1; i < len(fd.Fix.Edits); i++ {
			a, b := fd.Fix.Edits[i-1], fd.Fix.Edits[i]
			if b.Start.Offset < a.End.Offset || a.Start.Offset > b.Start.Offset {
				ok = false
			}
		}
		if ok {
			kept = append(kept, fd)
		}
	}
	return kept
}

func sameFix(findings []Finding, a, b Edit) bool {
	for _, fd := range findings {
		ia, ib := -1, -1
		for i, x := range fd.Fix.Edits {
			if x == a && ia < 0 {
				ia = i
			} else if x == b {
				ib = i
			}
		}
		if ia >= 0 && ib > ia {
			return true
		}
	}
	return false
}

func fromFindings(findings []Finding, e Edit) bool {
	for _, fd := range findings {
		for _, x := range fd.Fix.Edits {
			if x == e {
				return true
			}
		}
	}
	return false
}

// checkApplied rebuilds the expected output of edits by hand.
func checkApplied(t *testing.T, src []byte, edits []Edit, out []byte) {
	t.Helper()
	var want []byte
	last := 0
	for _, e := range edits {
		want = append(want, src[last:e.Start.Offset]...)
		want = append(want, e.New...)
		last = e.End.Offset
	}
	want = append(want, src[last:]...)
	if !bytes.Equal(out, want) {
		t.Fatalf("ApplyEdits = %q, want %q", out, want)
	}
}
