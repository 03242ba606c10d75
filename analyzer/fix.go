package analyzer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"unicode/utf8"
)

// MergeFixes picks the fixes to apply from findings and merges their edits:
// identical edits coalesce, and a fix whose edits overlap edits already
// taken conflicts and waits for the next round. It returns the merged
// edits sorted by offset and the number of fixes taken.
func MergeFixes(findings []Finding, unsafe bool) ([]Edit, int) {
	var merged []Edit
	taken := 0
	for i := range findings {
		f := &findings[i]
		if f.Suppressed || !f.Fixable(unsafe) {
			continue
		}
		var add []Edit
		conflict := false
		for _, e := range f.Fix.Edits {
			dup := false
			for _, m := range merged {
				if m.Start.Offset == e.Start.Offset && m.End.Offset == e.End.Offset && m.New == e.New {
					dup = true
					break
				}
				if overlaps(m, e) {
					conflict = true
					break
				}
			}
			if conflict {
				break
			}
			if !dup {
				add = append(add, e)
			}
		}
		if conflict {
			continue
		}
		merged = append(merged, add...)
		// At one offset an insertion goes before a replacement starting
		// there (overlaps allows the pair); ties keep their fix's order.
		slices.SortStableFunc(merged, func(a, b Edit) int {
			if a.Start.Offset != b.Start.Offset {
				return a.Start.Offset - b.Start.Offset
			}
			return a.End.Offset - b.End.Offset
		})
		taken++
	}
	return merged, taken
}

// overlaps reports whether two edits cannot both be applied.
func overlaps(a, b Edit) bool {
	as, ae, bs, be := a.Start.Offset, a.End.Offset, b.Start.Offset, b.End.Offset
	if as == ae && bs == be {
		return as == bs // two insertions at one point: their order is ambiguous
	}
	if as == ae {
		return bs < as && as < be
	}
	if bs == be {
		return as < bs && bs < ae
	}
	return as < be && bs < ae
}

// ApplyEdits applies sorted, non-overlapping edits to src.
func ApplyEdits(src []byte, edits []Edit) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(src))
	last := 0
	for _, e := range edits {
		if e.Start.Offset < last || e.End.Offset < e.Start.Offset || e.End.Offset > len(src) {
			return nil, fmt.Errorf("invalid edit [%d,%d) after offset %d in a %d-byte source", e.Start.Offset, e.End.Offset, last, len(src))
		}
		out.Write(src[last:e.Start.Offset])
		out.WriteString(e.New)
		last = e.End.Offset
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// fixLoop applies fixes round after round until none is left, re-analysing
// the fixed text each time. A round whose result would have more syntax
// errors than the original is discarded.
//
// The syntax error counts come from the trees analyze parsed: no text is
// parsed twice.
func (d *driver) fixLoop(ctx context.Context, path string, raw []byte, v *view, findings []Finding) fileOut {
	baseErrs := v.syntaxErrs
	return d.fixRounds(path, raw, v, findings, func(newRaw []byte) (*view, []Finding, *FileError) {
		nv, err := newView(path, newRaw)
		if err != nil {
			return nil, nil, &FileError{Path: path, Message: "fix not applied: " + err.Error()}
		}
		nf, ferr := d.analyze(ctx, path, nv, nil)
		if ferr != nil && nv.syntaxErrs < 0 {
			// Not parsed (a timeout): whether the fix keeps the syntax is
			// unknown.
			return nil, nil, &FileError{Path: path, Message: "fix not applied: the fixed source would not parse; please report this"}
		}
		if nv.syntaxErrs > baseErrs {
			return nil, nil, &FileError{Path: path, Message: "fix not applied: the fixed source would not parse; please report this"}
		}
		return nv, nf, ferr
	})
}

// fixRounds merges and applies the fixes of findings, then hands the fixed
// raw bytes to again for a new view and new findings, until no fix is left,
// a round is refused, or maxFixRounds is reached. The refusal of a round
// keeps the result of the rounds before it.
func (d *driver) fixRounds(path string, raw []byte, cur *view, findings []Finding,
	again func(newRaw []byte) (*view, []Finding, *FileError)) fileOut {
	out := fileOut{parsed: true}
	curRaw := raw
	for round := 0; round < maxFixRounds; round++ {
		edits, n := MergeFixes(findings, d.opt.UnsafeFixes)
		if n == 0 {
			break
		}
		body, err := ApplyEdits(cur.body, edits)
		var newRaw []byte
		if err == nil {
			newRaw, err = cur.rebuild(body)
		}
		if err != nil {
			out.errs = append(out.errs, FileError{Path: path, Message: "fix not applied: " + err.Error()})
			break
		}
		nv, nf, ferr := again(newRaw)
		if ferr != nil {
			out.errs = append(out.errs, *ferr)
			break
		}
		out.fixed += n
		cur, curRaw, findings = nv, newRaw, nf
	}
	out.findings = findings
	if out.fixed > 0 && !bytes.Equal(curRaw, raw) {
		out.diff = &FileDiff{Path: filepath.ToSlash(path), Old: raw, New: curRaw}
	}
	return out
}

// errChanged is returned when a file changed between reading and writing.
var errChanged = errors.New("the file changed on disk while it was being analysed; run again")

// beforeWrite, when set by a test, runs just before writeAtomic checks that
// the file still holds the analysed bytes.
var beforeWrite func(path string)

// tempStem shortens long base names so that the temporary name stays
// within the 255-byte limit of common file systems.
func tempStem(base string) string {
	const max = 200
	if len(base) <= max {
		return base
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return base[:cut]
}

// writeAtomic replaces path with data through a temporary file in the same
// directory, keeping the mode (and owner where permitted), after checking
// that the file still holds the bytes that were analysed.
func writeAtomic(path string, orig, data []byte, mode fs.FileMode) error {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved // write through a link, keeping the link
	}
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+tempStem(base)+".mlflowlint-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	cleanup := func() { _ = os.Remove(tmpName) }
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		cleanup()
		return err
	}
	if err := tmp.Chmod(mode.Perm()); err != nil {
		tmp.Close()
		cleanup()
		return err
	}
	if st, err := os.Stat(target); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			_ = tmp.Chown(int(sys.Uid), int(sys.Gid))
		}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		cleanup()
		return err
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return err
	}
	// Compare as late as possible: the window in which another writer's
	// change could be lost is between this read and the rename.
	if beforeWrite != nil {
		beforeWrite(path)
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		cleanup()
		return err
	}
	if !bytes.Equal(cur, orig) {
		cleanup()
		return errChanged
	}
	if err := os.Rename(tmpName, target); err != nil {
		cleanup()
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
