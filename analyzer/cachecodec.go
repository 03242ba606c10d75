package analyzer

import (
	"encoding/binary"
	"errors"
)

// The cache stores findings in a compact binary form: a warm run decodes
// every entry of the files that mention MLflow, and decoding JSON was a
// fifth of such a run. Integers are varints, strings a length and their
// bytes, optional parts a presence byte.

type encoder struct{ b []byte }

func (e *encoder) int(v int)      { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *encoder) str(s string)   { e.int(len(s)); e.b = append(e.b, s...) }
func (e *encoder) pos(p Position) { e.int(p.Offset); e.int(p.Line); e.int(p.Col) }
func (e *encoder) flag(ok bool)   { e.b = append(e.b, boolByte(ok)) }
func boolByte(ok bool) byte {
	if ok {
		return 1
	}
	return 0
}

func encodeEntry(fs []Finding) []byte {
	e := &encoder{}
	e.int(len(fs))
	for i := range fs {
		f := &fs[i]
		e.str(f.Code)
		e.str(f.Message)
		e.str(string(f.Severity))
		e.str(f.Path)
		e.pos(f.Start)
		e.pos(f.End)
		e.int(f.Cell)
		e.int(f.NoqaLine)
		e.flag(f.Suppressed)
		e.flag(f.Raw != nil)
		if f.Raw != nil {
			e.pos(f.Raw.Start)
			e.pos(f.Raw.End)
		}
		e.flag(f.Fix != nil)
		if f.Fix != nil {
			e.str(f.Fix.Message)
			e.flag(f.Fix.Unsafe)
			e.int(len(f.Fix.Edits))
			for _, ed := range f.Fix.Edits {
				e.pos(ed.Start)
				e.pos(ed.End)
				e.str(ed.New)
			}
		}
	}
	return e.b
}

var errBadEntry = errors.New("malformed cache entry")

// decoder reads what encoder wrote; on malformed input it records an
// error and returns zero values, never reading out of bounds.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 || v < 0 || v > 1<<40 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *decoder) str() string {
	n := d.int()
	if n > len(d.b) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) pos() Position { return Position{Offset: d.int(), Line: d.int(), Col: d.int()} }

func (d *decoder) flag() bool {
	if len(d.b) == 0 || d.b[0] > 1 {
		d.fail()
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errBadEntry
	}
	d.b = nil
}

func decodeEntry(b []byte) ([]Finding, error) {
	d := &decoder{b: b}
	n := d.int()
	if n > len(b) { // every finding takes several bytes
		return nil, errBadEntry
	}
	var fs []Finding
	for i := 0; i < n && d.err == nil; i++ {
		f := Finding{Code: d.str(), Message: d.str(), Severity: Severity(d.str()), Path: d.str()}
		f.Start, f.End = d.pos(), d.pos()
		f.Cell, f.NoqaLine = d.int(), d.int()
		f.Suppressed = d.flag()
		if d.flag() {
			f.Raw = &RawSpan{Start: d.pos(), End: d.pos()}
		}
		if d.flag() {
			f.Fix = &Fix{Message: d.str(), Unsafe: d.flag()}
			k := d.int()
			if k > len(d.b) {
				d.fail()
			}
			for j := 0; j < k && d.err == nil; j++ {
				f.Fix.Edits = append(f.Fix.Edits, Edit{Start: d.pos(), End: d.pos(), New: d.str()})
			}
		}
		fs = append(fs, f)
	}
	if d.err != nil || len(d.b) != 0 {
		return nil, errBadEntry
	}
	return fs, nil
}
