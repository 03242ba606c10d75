package analyzer

import (
	"bytes"
	"sort"
	"strings"
	"unsafe"

	"github.com/mlflowlint/mlflowlint/parser"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// view is the text the analyzers see for one file, and the way back to the
// file's raw bytes. For a Python file the body is the file without its
// byte-order mark; for a notebook, the virtual Python text of its cells.
type view struct {
	body  []byte // the text positions and fix edits refer to
	parse []byte // the text given to the parser (magics masked), same length as body for .py
	// prefix is put back in front of the body when writing (a BOM).
	prefix     []byte
	virtual    parser.Virtual
	databricks bool
	lineStarts []int
	// display is the text shown in code frames when it differs from body
	// (a notebook's cells before their magics were masked).
	display []byte
	// pipLines are `%pip install` lines of notebooks, for manifest rules.
	pipLines []parser.PipLine
	notebook bool
	// trig caches which rule triggers parse contains (driver.triggersOf);
	// scanned, what scans of parse found, shared by the copies of a view
	// that several drivers analyse (see sharedParse).
	trig    *triggered
	scanned *scanMemo
	// raw is the file a notebook view was made from.
	raw []byte
	// src is the Source its findings share, made on first use.
	src *Source
	// shared holds the line starts and Source of the copies of one view
	// (see sharedParse), made on first use by any of them; nil for a
	// view that is not copied.
	shared *viewMemo
	// syntaxErrs counts the syntax error nodes of the parsed text, once
	// analyze has parsed it (-1 before).
	syntaxErrs int
	// parsedBytes counts the bytes of parse the parser read.
	parsedBytes int
}

func newView(path string, src []byte) (*view, error) {
	v := &view{syntaxErrs: -1}
	if strings.EqualFold(extOf(path), ".ipynb") {
		nb, err := parser.ParseNotebook(src)
		if err != nil {
			return nil, err
		}
		v.body, v.parse, v.display, v.virtual, v.pipLines = nb.Src, nb.Src, nb.Original(), nb, nb.PipLines
		v.notebook = true
		v.raw = src
	} else {
		body := src
		if bytes.HasPrefix(body, bom) {
			v.prefix = bom
			body = body[len(bom):]
		}
		v.body, v.parse = body, body
		if parser.IsDatabricksExport(body) {
			v.parse, v.pipLines = parser.MaskDatabricks(body)
			v.databricks = true
		}
	}
	return v, nil
}

func extOf(path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 || strings.ContainsAny(path[i:], "/\\") {
		return ""
	}
	return path[i:]
}

// starts returns the line starts of the body, computed on first use: a
// file skipped by its triggers or served from the cache needs none.
func (v *view) starts() []int {
	if v.lineStarts == nil {
		if v.shared != nil && v.shared.lineStarts != nil {
			v.lineStarts = v.shared.lineStarts
			return v.lineStarts
		}
		v.lineStarts = lineStarts(v.body)
		if v.shared != nil {
			v.shared.lineStarts = v.lineStarts
		}
	}
	return v.lineStarts
}

// viewMemo is what the copies of a view share.
type viewMemo struct {
	lineStarts []int
	src        *Source
}

// lineStarts returns the offsets at which the lines of b start.
func lineStarts[T string | []byte](b T) []int {
	var s string
	switch v := any(b).(type) {
	case string:
		s = v
	case []byte:
		s = unsafe.String(unsafe.SliceData(v), len(v)) // read here only
	}
	// The breaks are counted first, so that the table is allocated once.
	starts := make([]int, 1, strings.Count(s, "\n")+1)
	for i := 0; ; {
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}

// line returns the 1-based line of an offset of the body.
func (v *view) line(off int) int {
	starts := v.starts()
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}

// position converts a body offset; in notebooks lines and columns are
// relative to the cell.
func (v *view) position(off int) Position {
	if v.virtual != nil {
		_, l, c := v.virtual.Cell(off)
		return Position{Offset: off, Line: l, Col: c}
	}
	l := v.line(off)
	return Position{Offset: off, Line: l, Col: off - v.starts()[l-1] + 1}
}

func (v *view) cell(off int) int {
	if v.virtual == nil {
		return 0
	}
	c, _, _ := v.virtual.Cell(off)
	return c
}

// cachedSource returns the Source for findings served from the cache: for
// a plain Python file only the lines they need (what compactSources would
// leave of source()), without indexing the whole file; otherwise source().
func (v *view) cachedSource(findings []Finding) *Source {
	if len(findings) == 0 {
		return nil
	}
	if v.display != nil || v.raw != nil || v.virtual != nil {
		return v.source()
	}
	spans := make([][2]int, len(findings))
	for i := range findings {
		spans[i] = [2]int{findings[i].Start.Offset, findings[i].End.Offset}
	}
	// compactSource copies the lines it keeps; the body is read in place.
	return compactSource(unsafe.String(unsafe.SliceData(v.body), len(v.body)), spans)
}

// source returns the Source the view's findings share. Its text is
// copied once per view, so that findings outlive the read buffer.
func (v *view) source() *Source {
	if v.src == nil && v.shared != nil && v.shared.src != nil {
		v.src = v.shared.src
	}
	if v.src == nil {
		text := v.body
		if v.display != nil {
			text = v.display
		}
		v.src = newSource(0, string(text), v.starts())
		if v.raw != nil {
			v.src.WithRaw(string(v.raw))
		}
		if v.shared != nil {
			v.shared.src = v.src
		}
	}
	return v.src
}

// lineText returns a body line without its line ending.
func (v *view) lineText(l int) string {
	return v.source().line(l - 1)
}

// locate sets the position fields of a finding spanning the body offsets
// [start, end] and points it at the view's Source.
func (v *view) locate(fd *Finding, start, end int) {
	fd.Start, fd.End = v.position(start), v.position(end)
	fd.NoqaLine = v.line(start)
	fd.Cell = v.cell(start)
	fd.Src = v.source()
	if v.virtual != nil {
		sl, sc, _ := v.virtual.Raw(start)
		el, ec, _ := v.virtual.Raw(end)
		fd.Raw = &RawSpan{Start: Position{Line: sl, Col: sc}, End: Position{Line: el, Col: ec}}
	}
}

// rebuild returns the raw file bytes for an edited body.
func (v *view) rebuild(body []byte) ([]byte, error) {
	if v.virtual != nil {
		return v.virtual.Rebuild(body)
	}
	if len(v.prefix) == 0 {
		return body, nil
	}
	return append(append([]byte{}, v.prefix...), body...), nil
}

// matchEOL rewrites the bare "\n" line breaks of a fix's new text to the
// line ending of the body line holding off, so that a fix inserting lines
// into a CRLF file keeps it CRLF (and a mixed file keeps each line's own).
// Notebook views are LF text re-encoded by Rebuild, and are left alone.
func (v *view) matchEOL(off int, text string) string {
	if v.virtual != nil || !strings.Contains(text, "\n") {
		return text
	}
	crlf := false
	if i := bytes.IndexByte(v.body[off:], '\n'); i >= 0 {
		crlf = i > 0 && v.body[off+i-1] == '\r'
	} else if j := bytes.LastIndexByte(v.body[:off], '\n'); j >= 0 {
		crlf = j > 0 && v.body[j-1] == '\r'
	}
	if !crlf {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && (i == 0 || text[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(text[i])
	}
	return b.String()
}
