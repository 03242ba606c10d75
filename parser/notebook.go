package parser

// Jupyter notebooks (.ipynb, nbformat 4) as virtual Python sources.
//
// The virtual text (Notebook.Src) is every code cell's decoded source, in
// order, each followed by one "\n" separator; markdown and raw cells add
// nothing. IPython syntax that is not Python is masked in place, keeping every
// byte offset: a masked stretch keeps its first byte's position and length,
// its first byte becomes "0" and its second "#" (a one-character expression
// statement followed by a comment), so a masked line is still a statement and
// an indented block holding only a magic still parses. The rest of the
// stretch is kept as comment text. A stretch of one byte becomes "0". Masked
// are:
//   - line magics and shell escapes at the start of a logical line: "%cmd",
//     "!cmd", "?obj", "??obj" and the autocall escapes "/f", ",f", ";f",
//     including backslash-continued lines;
//   - help lines whose code ends with "?" ("obj?", "obj??");
//   - the command of magic assignments ("files = !ls", "t = %timeit f()"):
//     the target stays, the command after "=" is masked;
//   - whole cells that start with a cell magic ("%%bash"), every line from
//     column 0, except the magics whose body is Python (%%time, %%timeit,
//     %%capture, %%python, ...) where only the magic line is masked;
//   - whole cells whose metadata.vscode.languageId names another language.
//
// Because masking never changes lengths, virtual offsets map to decoded cell
// text one to one, and from there to raw JSON bytes by re-walking one JSON
// string.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrNotebook is wrapped by every error ParseNotebook returns.
var ErrNotebook = errors.New("invalid notebook")

// PipLine is one "%pip install ..." or "!pip install ..." command found in a
// notebook or a Databricks export, for the dependency rules.
type PipLine struct {
	// Cell is the 1-based notebook cell (all cells counted), or for a
	// Databricks export the 1-based command cell (see DatabricksCells).
	Cell int
	// Line is 1-based: inside the cell for a notebook, inside the file for a
	// Databricks export.
	Line int
	// Offset is the byte offset of the first character of Text in the
	// virtual source (notebook) or the file (Databricks export).
	Offset int
	// Text is the command as written, from its "%" or "!" (or "# MAGIC")
	// to the end of its last continuation line, without the final newline.
	Text string
	// Command is the command without its escape character, continuation
	// lines joined with one space and "# MAGIC" prefixes removed, e.g.
	// "pip install -q 'mlflow<3'".
	Command string
}

// Args returns the words after "install", shell quotes removed, up to a
// "#" comment.
func (p PipLine) Args() []string {
	words := shellWords(p.Command)
	for i, w := range words {
		if w == "install" {
			return words[i+1:]
		}
	}
	return nil
}

// nbString is one JSON string of a cell's source value.
type nbString struct {
	start, end int // raw bytes, quotes included
	dstart     int // offset of its first decoded byte in the cell text
	line       int // 1-based raw line of start
	lineStart  int // raw offset of that line
	// plain is the length of the leading run of ASCII bytes without
	// escapes after the opening quote: there decoded and raw offsets agree.
	plain int
}

type nbCell struct {
	index              int // 0-based position in "cells"
	id                 string
	code               bool
	otherLang          bool // metadata.vscode.languageId names another language
	valStart, valEnd   int  // raw bytes of the source value
	valLine, valLineAt int  // raw line of valStart and its start offset
	list               bool
	strs               []nbString
	text               []byte // decoded source
	lineStarts         []int  // offsets in text of its lines
	vstart             int    // offset of text in Src
}

// Notebook is a parsed nbformat 4 notebook. It implements Virtual.
type Notebook struct {
	// Src is the virtual Python text (see the package comment of this file).
	Src []byte
	// PipLines lists the pip install commands of the code cells.
	PipLines []PipLine
	// Language is metadata.language_info.name (or kernelspec.language), ""
	// when absent. A driver may skip notebooks whose language is not Python.
	Language string

	raw   []byte
	orig  []byte // Src before masking, same length
	cells []nbCell
	code  []int // indexes into cells of the code cells
	unit  string
	nl    string
}

var _ Virtual = (*Notebook)(nil)

func nbErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotebook, fmt.Sprintf(format, args...))
}

// ParseNotebook reads an nbformat 4 notebook. raw is kept, not copied.
func ParseNotebook(raw []byte) (*Notebook, error) {
	if !json.Valid(raw) {
		var x json.RawMessage
		err := json.Unmarshal(raw, &x)
		if err == nil {
			err = errors.New("malformed")
		}
		return nil, nbErr("not valid JSON: %v", err)
	}
	s := &scanner{b: raw}
	s.ws()
	if s.i >= len(raw) || raw[s.i] != '{' {
		return nil, nbErr("not an nbformat 4 notebook: the top-level value is not an object")
	}
	top, err := s.members()
	if err != nil {
		return nil, err
	}
	nb := &Notebook{raw: raw, unit: " ", nl: "\n"}
	nb.unit, nb.nl = layout(raw)
	var version, cells *member
	for i := range top {
		switch top[i].key {
		case "nbformat":
			version = &top[i]
		case "cells":
			cells = &top[i]
		case "metadata":
			nb.Language = notebookLanguage(raw, top[i])
		}
	}
	if version == nil {
		return nil, nbErr("not an nbformat 4 notebook: no \"nbformat\" field")
	}
	var v json.Number
	if c := raw[version.start]; (c < '0' || c > '9') && c != '-' || json.Unmarshal(raw[version.start:version.end], &v) != nil {
		return nil, nbErr("not an nbformat 4 notebook: \"nbformat\" is not a number")
	}
	if f, err := v.Float64(); err != nil || f != 4 {
		return nil, nbErr("not an nbformat 4 notebook: nbformat is %s", v.String())
	}
	if cells == nil {
		return nil, nbErr("not an nbformat 4 notebook: no \"cells\" list")
	}
	if raw[cells.start] != '[' {
		return nil, nbErr("not an nbformat 4 notebook: \"cells\" is not a list")
	}
	elems, err := (&scanner{b: raw, i: cells.start}).elements()
	if err != nil {
		return nil, err
	}
	lines := lineCounter{b: raw, line: 1}
	for n, e := range elems {
		c, err := readCell(raw, n, e)
		if err != nil {
			return nil, err
		}
		if c.code {
			c.valLine, c.valLineAt = lines.at(c.valStart)
			for k := range c.strs {
				c.strs[k].line, c.strs[k].lineStart = lines.at(c.strs[k].start)
			}
			nb.code = append(nb.code, len(nb.cells))
		}
		nb.cells = append(nb.cells, c)
	}
	nb.build()
	return nb, nil
}

// readCell reads the n-th (0-based) element of "cells".
func readCell(raw []byte, n int, e [2]int) (nbCell, error) {
	c := nbCell{index: n, valStart: -1}
	if raw[e[0]] != '{' {
		return c, nbErr("cell %d: not an object", n+1)
	}
	ms, err := (&scanner{b: raw, i: e[0]}).members()
	if err != nil {
		return c, err
	}
	var src *member
	kind := ""
	for i := range ms {
		m := &ms[i]
		switch m.key {
		case "cell_type":
			if raw[m.start] != '"' {
				return c, nbErr("cell %d: cell_type is not a string", n+1)
			}
			kind = string(unquote(raw[m.start:m.end]))
		case "source":
			src = m
		case "id":
			if raw[m.start] == '"' {
				c.id = string(unquote(raw[m.start:m.end]))
			}
		case "metadata":
			lang := lookupString(raw, *m, "vscode", "languageId")
			c.otherLang = lang != "" && lang != "python"
		}
	}
	c.code = kind == "code"
	if src == nil {
		if c.code {
			return c, nbErr("cell %d: code cell without source", n+1)
		}
		return c, nil
	}
	c.valStart, c.valEnd = src.start, src.end
	bad := nbErr("cell %d: source is neither a string nor a list of strings", n+1)
	switch raw[src.start] {
	case '"':
		c.strs = []nbString{{start: src.start, end: src.end}}
	case '[':
		c.list = true
		items, err := (&scanner{b: raw, i: src.start}).elements()
		if err != nil {
			return c, err
		}
		for _, it := range items {
			if raw[it[0]] != '"' {
				return c, bad
			}
			c.strs = append(c.strs, nbString{start: it[0], end: it[1]})
		}
	default:
		return c, bad
	}
	if !c.code {
		c.strs = nil
		return c, nil
	}
	var text []byte
	for k := range c.strs {
		s := &c.strs[k]
		s.dstart = len(text)
		s.plain = plainRun(raw[s.start+1 : s.end-1])
		text = append(text, unquote(raw[s.start:s.end])...)
	}
	c.text = text
	c.lineStarts = []int{0}
	for i, b := range text {
		if b == '\n' {
			c.lineStarts = append(c.lineStarts, i+1)
		}
	}
	return c, nil
}

// build lays out Src, masks IPython syntax and collects pip lines.
func (nb *Notebook) build() {
	n := 0
	for _, ci := range nb.code {
		n += len(nb.cells[ci].text) + 1
	}
	nb.Src = make([]byte, 0, n)
	nb.orig = make([]byte, 0, n)
	for _, ci := range nb.code {
		c := &nb.cells[ci]
		c.vstart = len(nb.Src)
		nb.orig = append(nb.orig, c.text...)
		nb.orig = append(nb.orig, '\n')
		masked := bytes.Clone(c.text)
		var ms []magic
		if c.otherLang {
			ms = wholeCell(masked)
		} else {
			ms = findMagics(masked, true)
		}
		for _, m := range ms {
			for _, seg := range m.segs {
				maskStatement(masked[seg[0]:seg[1]])
			}
			if m.pip {
				nb.PipLines = append(nb.PipLines, PipLine{
					Cell:    c.index + 1,
					Line:    m.line + 1,
					Offset:  c.vstart + m.start,
					Text:    string(c.text[m.start:m.end]),
					Command: m.command,
				})
			}
		}
		nb.Src = append(nb.Src, masked...)
		nb.Src = append(nb.Src, '\n')
	}
}

// NumCells returns the number of cells, markdown and raw cells included.
func (nb *Notebook) NumCells() int { return len(nb.cells) }

// CellID returns the nbformat 4.5 "id" of the 1-based cell, or "".
func (nb *Notebook) CellID(cell int) string {
	if cell < 1 || cell > len(nb.cells) {
		return ""
	}
	return nb.cells[cell-1].id
}

// Span returns the virtual byte range of the 1-based cell's text (its
// separator excluded); ok is false for cells that are not code cells.
func (nb *Notebook) Span(cell int) (start, end int, ok bool) {
	if cell < 1 || cell > len(nb.cells) || !nb.cells[cell-1].code {
		return 0, 0, false
	}
	c := &nb.cells[cell-1]
	return c.vstart, c.vstart + len(c.text), true
}

// locate returns the code cell (index into nb.code) holding virtual offset
// off and the position inside its text; the separator maps to the end of the
// text. k is -1 when the notebook has no code cell.
func (nb *Notebook) locate(off int) (k, p int) {
	if len(nb.code) == 0 {
		return -1, 0
	}
	off = max(0, min(off, len(nb.Src)))
	k = sort.Search(len(nb.code), func(i int) bool { return nb.cells[nb.code[i]].vstart > off }) - 1
	k = max(k, 0)
	c := &nb.cells[nb.code[k]]
	return k, min(off-c.vstart, len(c.text))
}

// Cell implements Virtual: the cell number counts all cells, markdown too.
func (nb *Notebook) Cell(off int) (cell, line, col int) {
	k, p := nb.locate(off)
	if k < 0 {
		return 0, 1, 1
	}
	c := &nb.cells[nb.code[k]]
	line = sort.Search(len(c.lineStarts), func(i int) bool { return c.lineStarts[i] > p })
	return c.index + 1, line, p - c.lineStarts[line-1] + 1
}

// Raw implements Virtual. The position is the first raw byte of the JSON
// representation of the byte at off (the backslash of an escape); the
// separator after a cell maps to the closing quote of its last string.
func (nb *Notebook) Raw(off int) (line, col int, text string) {
	k, p := nb.locate(off)
	if k < 0 {
		return 1, 1, nb.rawLine(0)
	}
	c := &nb.cells[nb.code[k]]
	if len(c.strs) == 0 {
		return c.valLine, c.valStart - c.valLineAt + 1, nb.rawLine(c.valLineAt)
	}
	i := sort.Search(len(c.strs), func(i int) bool { return c.strs[i].dstart > p }) - 1
	i = max(i, 0)
	s := c.strs[i]
	var at int
	if p-s.dstart < s.plain {
		// Decoding would walk the string up to p: one long source line
		// can hold thousands of findings.
		at = s.start + 1 + p - s.dstart
	} else {
		at = s.start + rawIndex(nb.raw[s.start:s.end], p-s.dstart)
	}
	return s.line, at - s.lineStart + 1, nb.rawLine(s.lineStart)
}

func (nb *Notebook) rawLine(start int) string {
	end := bytes.IndexByte(nb.raw[start:], '\n')
	if end < 0 {
		end = len(nb.raw) - start
	}
	return string(bytes.TrimSuffix(nb.raw[start:start+end], []byte{'\r'}))
}

// Rebuild implements Virtual. newSrc is split back into cells with a line
// diff against Src: unchanged lines keep their cell; lines inserted between
// two cells go to the later one; a changed run that spans cells is split
// line by line when it keeps its line count and refused otherwise. Only the
// source values of cells whose text changed are rewritten. The result is
// checked by parsing it again: its virtual text must equal newSrc.
func (nb *Notebook) Rebuild(newSrc []byte) ([]byte, error) {
	if bytes.Equal(newSrc, nb.Src) {
		return bytes.Clone(nb.raw), nil
	}
	texts, err := nb.splitCells(newSrc)
	if err != nil {
		return nil, err
	}
	out := nb.splice(texts, false)
	chk, err := ParseNotebook(out)
	if err != nil {
		return nil, fmt.Errorf("rebuilt notebook does not parse: %w", err)
	}
	if !bytes.Equal(chk.Src, newSrc) {
		return nil, errors.New("notebook edit cannot be written back: it changes a magic line or crosses a cell boundary")
	}
	return out, nil
}

// splice replaces the source values of the code cells whose text differs
// from texts (all of them when force is set).
func (nb *Notebook) splice(texts [][]byte, force bool) []byte {
	var out bytes.Buffer
	out.Grow(len(nb.raw))
	last := 0
	for k, ci := range nb.code {
		c := &nb.cells[ci]
		if !force && bytes.Equal(texts[k], c.text) {
			continue
		}
		out.Write(nb.raw[last:c.valStart])
		out.Write(nb.encodeSource(c, texts[k]))
		last = c.valEnd
	}
	out.Write(nb.raw[last:])
	return out.Bytes()
}

// encodeSource writes text as a source value in the style of c's original.
func (nb *Notebook) encodeSource(c *nbCell, text []byte) []byte {
	val := nb.raw[c.valStart:c.valEnd]
	ascii, upper := escapeStyle(val)
	if !c.list {
		return appendJSONString(nil, text, ascii, upper)
	}
	lines := splitKeep(text)
	if len(lines) == 0 {
		return []byte("[]")
	}
	known := make(map[string][]byte, len(c.strs))
	for _, s := range c.strs {
		r := nb.raw[s.start:s.end]
		if _, ok := known[string(unquote(r))]; !ok {
			known[string(unquote(r))] = r
		}
	}
	var open, sep, close string
	switch n := len(c.strs); {
	case n == 0:
		if bytes.IndexByte(nb.raw, '\n') < 0 {
			open, sep, close = "", ",", ""
		} else {
			ind := leadingSpace(nb.raw[c.valLineAt:c.valStart])
			open, close = nb.nl+ind+nb.unit, nb.nl+ind
			sep = "," + open
		}
	default:
		open = string(nb.raw[c.valStart+1 : c.strs[0].start])
		close = string(nb.raw[c.strs[n-1].end : c.valEnd-1])
		sep = "," + open
		if n > 1 {
			sep = string(nb.raw[c.strs[0].end:c.strs[1].start])
		}
	}
	out := append([]byte{'['}, open...)
	for i, l := range lines {
		if i > 0 {
			out = append(out, sep...)
		}
		if r, ok := known[string(l)]; ok {
			out = append(out, r...)
		} else {
			out = appendJSONString(out, l, ascii, upper)
		}
	}
	out = append(out, close...)
	return append(out, ']')
}

// splitCells divides an edited virtual text into the new text of each code
// cell.
func (nb *Notebook) splitCells(newSrc []byte) ([][]byte, error) {
	if len(nb.code) == 0 {
		return nil, errors.New("notebook has no code cell to edit")
	}
	oldL, newL := splitKeep(nb.Src), splitKeep(newSrc)
	// cellOf[i] is the code cell (index into nb.code) of old line i;
	// origL[i] the line before masking.
	cellOf := make([]int, len(oldL))
	origL := make([][]byte, len(oldL))
	off, k := 0, 0
	for i, l := range oldL {
		for k+1 < len(nb.code) && nb.cells[nb.code[k+1]].vstart <= off {
			k++
		}
		cellOf[i] = k
		origL[i] = nb.orig[off : off+len(l)]
		off += len(l)
	}
	masked := func(i int) bool { return !bytes.Equal(oldL[i], origL[i]) }
	pairs, err := matchLines(oldL, newL)
	if err != nil {
		return nil, err
	}
	bufs := make([][]byte, len(nb.code))
	assigned := -1
	put := func(cell int, line []byte) error {
		if cell < assigned {
			return errors.New("notebook edit moves lines between cells")
		}
		assigned = cell
		bufs[cell] = append(bufs[cell], line...)
		return nil
	}
	pi, pj := -1, -1
	for _, p := range append(pairs, [2]int{len(oldL), len(newL)}) {
		del, ins := oldL[pi+1:p[0]], newL[pj+1:p[1]]
		for i := pi + 1; i < p[0]; i++ {
			if masked(i) {
				c := &nb.cells[nb.code[cellOf[i]]]
				line := 1 + bytes.Count(nb.Src[c.vstart:lineOffset(oldL, i)], []byte{'\n'})
				return nil, fmt.Errorf("notebook edit changes a magic line (cell %d, line %d)", c.index+1, line)
			}
		}
		switch {
		case len(ins) == 0:
		case len(del) == 0:
			cell := 0
			switch {
			case pi < 0:
				cell = cellOf[0]
			case p[0] >= len(oldL):
				cell = cellOf[pi]
			default:
				cell = cellOf[p[0]]
			}
			for _, l := range ins {
				if err := put(cell, l); err != nil {
					return nil, err
				}
			}
		case cellOf[pi+1] == cellOf[p[0]-1]:
			for _, l := range ins {
				if err := put(cellOf[pi+1], l); err != nil {
					return nil, err
				}
			}
		case len(del) == len(ins):
			for x, l := range ins {
				if err := put(cellOf[pi+1+x], l); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fmt.Errorf("notebook edit crosses the boundary after cell %d", nb.cells[nb.code[cellOf[pi+1]]].index+1)
		}
		if p[0] < len(oldL) {
			if err := put(cellOf[p[0]], origL[p[0]]); err != nil {
				return nil, err
			}
		}
		pi, pj = p[0], p[1]
	}
	texts := make([][]byte, len(bufs))
	for k, b := range bufs {
		if len(b) == 0 || b[len(b)-1] != '\n' {
			return nil, fmt.Errorf("notebook edit removes the end of cell %d", nb.cells[nb.code[k]].index+1)
		}
		texts[k] = b[:len(b)-1]
	}
	return texts, nil
}

func lineOffset(lines [][]byte, i int) int {
	n := 0
	for _, l := range lines[:i] {
		n += len(l)
	}
	return n
}

// splitKeep splits b after every "\n"; a last piece without one is kept.
func splitKeep(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

// maxDiff bounds the number of changed lines Rebuild accepts.
const maxDiff = 2000

// matchLines returns the pairs (old index, new index) of lines kept by a
// shortest edit script from a to b (Myers' algorithm), in order.
func matchLines(a, b [][]byte) ([][2]int, error) {
	pre := 0
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	var pairs [][2]int
	for i := 0; i < pre; i++ {
		pairs = append(pairs, [2]int{i, i})
	}
	mid, err := myers(a[pre:len(a)-suf], b[pre:len(b)-suf])
	if err != nil {
		return nil, err
	}
	for _, p := range mid {
		pairs = append(pairs, [2]int{p[0] + pre, p[1] + pre})
	}
	for i := suf; i > 0; i-- {
		pairs = append(pairs, [2]int{len(a) - i, len(b) - i})
	}
	return pairs, nil
}

func myers(a, b [][]byte) ([][2]int, error) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil, nil
	}
	limit := min(n+m, maxDiff)
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, a, b, d), nil
			}
		}
	}
	return nil, fmt.Errorf("notebook edit changes too many lines (more than %d)", maxDiff)
}

// backtrack walks the saved frontiers back from (len(a), len(b)).
// trace[d] holds the frontier before step d, for diagonals -d-1..d+1.
func backtrack(trace [][]int, a, b [][]byte, dEnd int) [][2]int {
	x, y := len(a), len(b)
	var rev [][2]int
	for d := dEnd; d > 0; d-- {
		vd := trace[d]
		get := func(k int) int { return vd[k+d+1] }
		k := x - y
		var pk int
		if k == -d || (k != d && get(k-1) < get(k+1)) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := get(pk)
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, [2]int{x, y})
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, [2]int{x, y})
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// ---- JSON scanning over the raw bytes (input already validated) ----

type scanner struct {
	b []byte
	i int
}

type member struct {
	key        string
	start, end int // raw bytes of the value
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func errMalformed(at int) error { return nbErr("malformed JSON at byte %d", at) }

// skipString moves past the string starting at s.i.
func (s *scanner) skipString() error {
	j := s.i + 1
	for {
		q := bytes.IndexByte(s.b[j:], '"')
		if q < 0 {
			return errMalformed(s.i)
		}
		q += j
		bs := 0
		for p := q - 1; p > s.i && s.b[p] == '\\'; p-- {
			bs++
		}
		if bs%2 == 0 {
			s.i = q + 1
			return nil
		}
		j = q + 1
	}
}

// skipValue moves past the value starting at s.i.
func (s *scanner) skipValue() error {
	depth := 0
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case '"':
			if err := s.skipString(); err != nil {
				return err
			}
		case '{', '[':
			depth++
			s.i++
		case '}', ']':
			depth--
			s.i++
		case ',', ':', ' ', '\t', '\n', '\r':
			s.i++
			continue
		default:
			for s.i < len(s.b) && !strings.ContainsRune(",:]} \t\r\n", rune(s.b[s.i])) {
				s.i++
			}
		}
		if depth <= 0 {
			return nil
		}
	}
	return errMalformed(s.i)
}

// items walks the object or array at s.i, calling item at the start of
// each member or element; item must move past it.
func (s *scanner) items(item func() error) error {
	s.i++
	for {
		s.ws()
		if s.i >= len(s.b) {
			return errMalformed(s.i)
		}
		switch s.b[s.i] {
		case '}', ']':
			s.i++
			return nil
		case ',':
			s.i++
			continue
		}
		if err := item(); err != nil {
			return err
		}
	}
}

// members reads the object at s.i.
func (s *scanner) members() ([]member, error) {
	var out []member
	err := s.items(func() error {
		ks := s.i
		if s.b[s.i] != '"' || s.skipString() != nil {
			return errMalformed(ks)
		}
		key := string(unquote(s.b[ks:s.i]))
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			return errMalformed(s.i)
		}
		s.i++
		s.ws()
		vs := s.i
		if err := s.skipValue(); err != nil {
			return err
		}
		out = append(out, member{key: key, start: vs, end: s.i})
		return nil
	})
	return out, err
}

// elements reads the array at s.i and returns each element's byte range.
func (s *scanner) elements() ([][2]int, error) {
	var out [][2]int
	err := s.items(func() error {
		vs := s.i
		if err := s.skipValue(); err != nil {
			return err
		}
		out = append(out, [2]int{vs, s.i})
		return nil
	})
	return out, err
}

// lookupString follows object keys from m and returns the string found, or "".
func lookupString(raw []byte, m member, path ...string) string {
	for _, key := range path {
		if raw[m.start] != '{' {
			return ""
		}
		ms, err := (&scanner{b: raw, i: m.start}).members()
		if err != nil {
			return ""
		}
		found := false
		for _, x := range ms {
			if x.key == key {
				m, found = x, true
			}
		}
		if !found {
			return ""
		}
	}
	if raw[m.start] != '"' {
		return ""
	}
	return string(unquote(raw[m.start:m.end]))
}

func notebookLanguage(raw []byte, meta member) string {
	if l := lookupString(raw, meta, "language_info", "name"); l != "" {
		return l
	}
	return lookupString(raw, meta, "kernelspec", "language")
}

// layout guesses the file's indentation unit and newline from the first
// member of the top-level object.
func layout(raw []byte) (unit, nl string) {
	unit, nl = " ", "\n"
	if i := bytes.IndexByte(raw, '\n'); i > 0 && raw[i-1] == '\r' {
		nl = "\r\n"
	}
	i := bytes.IndexByte(raw, '{')
	j := bytes.IndexByte(raw[i+1:], '"')
	if j < 0 {
		return unit, nl
	}
	gap := raw[i+1 : i+1+j]
	if k := bytes.LastIndexByte(gap, '\n'); k >= 0 && k+1 < len(gap) {
		unit = string(gap[k+1:])
	}
	return unit, nl
}

func leadingSpace(b []byte) string {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t') {
		n++
	}
	return string(b[:n])
}

// lineCounter turns increasing raw offsets into 1-based lines and line starts.
type lineCounter struct {
	b               []byte
	pos, line, from int
}

func (lc *lineCounter) at(off int) (line, lineStart int) {
	for {
		i := bytes.IndexByte(lc.b[lc.pos:off], '\n')
		if i < 0 {
			break
		}
		lc.pos += i + 1
		lc.line++
		lc.from = lc.pos
	}
	lc.pos = off
	return lc.line, lc.from
}

// ---- JSON strings ----

// decodeString decodes the JSON string raw (quotes included) the way
// encoding/json does (invalid UTF-8 and lone surrogates become U+FFFD). For
// stop >= 0 it returns instead the offset in raw of the representation of
// decoded byte stop (the closing quote for the decoded length).
func decodeString(raw []byte, stop int) ([]byte, int) {
	var out []byte
	i, end := 1, len(raw)-1
	emit := func(b []byte) bool {
		if stop >= 0 && stop < len(out)+len(b) {
			return true
		}
		out = append(out, b...)
		return false
	}
	var buf [utf8.UTFMax]byte
	for i < end {
		c := raw[i]
		start := i
		var b []byte
		switch {
		case c == '\\' && i+1 < end:
			e := raw[i+1]
			i += 2
			switch e {
			case 'b':
				b = []byte{'\b'}
			case 'f':
				b = []byte{'\f'}
			case 'n':
				b = []byte{'\n'}
			case 'r':
				b = []byte{'\r'}
			case 't':
				b = []byte{'\t'}
			case 'u':
				r := hex4(raw[i:end])
				i += 4
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if i+1 < end && raw[i] == '\\' && raw[i+1] == 'u' {
						r2 = hex4(raw[i+2 : end])
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				if r < 0 {
					r = utf8.RuneError
				}
				b = buf[:utf8.EncodeRune(buf[:], r)]
			default:
				b = []byte{e}
			}
		case c < utf8.RuneSelf:
			b = raw[i : i+1]
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:end])
			if r == utf8.RuneError && size == 1 {
				b = buf[:utf8.EncodeRune(buf[:], r)]
			} else {
				b = raw[i : i+size]
			}
			i += size
		}
		if emit(b) {
			return out, start
		}
	}
	return out, end
}

func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(v)
}

func unquote(raw []byte) []byte {
	out, _ := decodeString(raw, -1)
	return out
}

// plainRun returns the length of the leading run of b that is ASCII and
// holds no backslash.
func plainRun(b []byte) int {
	for i, c := range b {
		if c == '\\' || c >= utf8.RuneSelf {
			return i
		}
	}
	return len(b)
}

// rawIndex returns the offset in raw of decoded byte p.
func rawIndex(raw []byte, p int) int {
	_, at := decodeString(raw, p)
	return at
}

// escapeStyle tells whether a raw JSON value escapes non-ASCII characters
// (\u00e9 instead of é) and whether its \u escapes use upper-case hex.
func escapeStyle(val []byte) (ascii, upper bool) {
	for i := 0; i+1 < len(val); i++ {
		if val[i] != '\\' {
			continue
		}
		if val[i+1] == 'u' && i+6 <= len(val) {
			h := val[i+2 : i+6]
			if r := hex4(h); r >= 0x80 {
				ascii = true
			}
			if bytes.ContainsAny(h, "ABCDEF") {
				upper = true
			}
		}
		i++
	}
	return ascii, upper
}

// appendJSONString encodes s as Jupyter does (Python's json.dumps): short
// escapes for quote, backslash and \b \f \n \r \t, \u00XX for other control
// characters, "/" kept; with ascii set every character outside printable
// ASCII is escaped, with surrogate pairs above U+FFFF.
func appendJSONString(out, s []byte, ascii, upper bool) []byte {
	const lower, hi = "0123456789abcdef", "0123456789ABCDEF"
	digits := lower
	if upper {
		digits = hi
	}
	u := func(r rune) {
		out = append(out, '\\', 'u', digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15])
	}
	out = append(out, '"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		i += size
		switch {
		case r == '"':
			out = append(out, '\\', '"')
		case r == '\\':
			out = append(out, '\\', '\\')
		case r == '\n':
			out = append(out, '\\', 'n')
		case r == '\r':
			out = append(out, '\\', 'r')
		case r == '\t':
			out = append(out, '\\', 't')
		case r == '\b':
			out = append(out, '\\', 'b')
		case r == '\f':
			out = append(out, '\\', 'f')
		case r < 0x20:
			u(r)
		case ascii && r >= 0x7f:
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				u(r1)
				u(r2)
			} else {
				u(r)
			}
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return append(out, '"')
}

// ---- IPython syntax ----

// magic is one stretch of IPython syntax inside a cell or file.
type magic struct {
	line       int      // 0-based line of its first byte
	start, end int      // the whole command, newline of the last line excluded
	segs       [][2]int // one per physical line, the bytes to mask
	escape     byte     // '%', '!', '?', ... ; 0 for help lines and cell bodies
	pip        bool
	command    string
}

// pythonCellMagics have a Python body; only their first line is masked.
var pythonCellMagics = map[string]bool{
	"capture": true, "debug": true, "ipytest": true, "prun": true, "pypy": true,
	"python": true, "python3": true, "time": true, "timeit": true,
}

var magicAssign = regexp.MustCompile(`^[ \t]*[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*([%!])`)

// pyState follows just enough Python lexing to know where logical lines
// start: open brackets, open strings and backslash continuations.
type pyState struct {
	depth  int
	quote  byte
	triple bool
	cont   bool
}

func (st *pyState) atStart() bool { return st.depth == 0 && st.quote == 0 && !st.cont }

// scan consumes one line (newline excluded) and returns where its code
// ends (the start of a comment, or the line's length).
func (st *pyState) scan(line []byte) int {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	st.cont = false
	escNL := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if st.quote != 0 {
			switch {
			case c == '\\':
				i++
				escNL = i >= len(line)
			case c != st.quote:
			case !st.triple:
				st.quote = 0
			case i+2 < len(line) && line[i+1] == c && line[i+2] == c:
				st.quote = 0
				i += 2
			}
			continue
		}
		switch c {
		case '#':
			return i
		case '"', '\'':
			st.quote = c
			st.triple = i+2 < len(line) && line[i+1] == c && line[i+2] == c
			if st.triple {
				i += 2
			}
		case '(', '[', '{':
			st.depth++
		case ')', ']', '}':
			st.depth = max(0, st.depth-1)
		case '\\':
			st.cont = i == len(line)-1
		}
	}
	// An unterminated one-line string ends with its line unless the
	// newline is escaped.
	if st.quote != 0 && !st.triple && !escNL {
		st.quote = 0
	}
	return len(line)
}

type lineRef struct{ start, end int } // end excludes "\n"

func lineRefs(text []byte) []lineRef {
	var out []lineRef
	start := 0
	for {
		i := bytes.IndexByte(text[start:], '\n')
		if i < 0 {
			out = append(out, lineRef{start, len(text)})
			return out
		}
		out = append(out, lineRef{start, start + i})
		start += i + 1
	}
}

func contentEnd(text []byte, l lineRef) int {
	if l.end > l.start && text[l.end-1] == '\r' {
		return l.end - 1
	}
	return l.end
}

// wholeCell marks every non-blank line of a cell from column 0.
func wholeCell(text []byte) []magic {
	var out []magic
	for n, l := range lineRefs(text) {
		e := contentEnd(text, l)
		if len(bytes.TrimSpace(text[l.start:e])) > 0 {
			out = append(out, magic{line: n, start: l.start, end: e, segs: [][2]int{{l.start, e}}})
		}
	}
	return out
}

// findMagics finds the IPython syntax of a notebook cell (cells set) or the
// "%" and "!" lines of a Databricks export (cells unset: no cell magics,
// help lines, assignments or other escapes).
func findMagics(text []byte, cells bool) []magic {
	escapes := "%!?/,;"
	if !cells {
		escapes = "%!"
	}
	lines := lineRefs(text)
	var out []magic
	var st pyState
	first := true
	for n := 0; n < len(lines); n++ {
		l := lines[n]
		e := contentEnd(text, l)
		line := text[l.start:e]
		ind := len(leadingSpace(line))
		body := line[ind:]
		if !st.atStart() || len(body) == 0 {
			st.scan(line)
			continue
		}
		if cells && first && bytes.HasPrefix(body, []byte("%%")) {
			name := body[2:]
			if i := bytes.IndexAny(name, " \t"); i >= 0 {
				name = name[:i]
			}
			if !pythonCellMagics[string(name)] {
				return wholeCell(text)
			}
			out = append(out, magic{line: n, start: l.start + ind, end: e, segs: [][2]int{{l.start + ind, e}}, escape: '%'})
			first = false
			continue
		}
		first = false
		from, esc := -1, byte(0)
		switch {
		case strings.IndexByte(escapes, body[0]) >= 0:
			from, esc = l.start+ind, body[0]
		case cells && magicAssign.Match(line):
			loc := magicAssign.FindSubmatchIndex(line)
			from, esc = l.start+loc[2], line[loc[2]]
		}
		if from < 0 {
			probe := st
			code := bytes.TrimRight(line[:probe.scan(line)], " \t")
			if cells && probe.atStart() && bytes.HasSuffix(code, []byte("?")) {
				out = append(out, magic{line: n, start: l.start + ind, end: e, segs: [][2]int{{l.start + ind, e}}})
				continue
			}
			st = probe
			continue
		}
		m := magic{line: n, start: from, escape: esc, segs: [][2]int{{from, e}}}
		cmd := []string{string(text[from+1 : e])}
		for bytes.HasSuffix(text[l.start:e], []byte{'\\'}) && n+1 < len(lines) {
			cmd[len(cmd)-1] = strings.TrimRight(strings.TrimSuffix(cmd[len(cmd)-1], "\\"), " \t")
			n++
			l = lines[n]
			e = contentEnd(text, l)
			m.segs = append(m.segs, [2]int{l.start, e})
			cmd = append(cmd, strings.TrimSpace(string(text[l.start:e])))
		}
		m.end = e
		m.command = strings.TrimSpace(strings.Join(cmd, " "))
		m.pip = (esc == '%' || esc == '!') && isPipInstall(m.command)
		out = append(out, m)
	}
	return out
}

// isPipInstall recognises "pip install ...", "pip3 -q install ...",
// "python -m pip install ..." and "{sys.executable} -m pip install ...".
func isPipInstall(cmd string) bool {
	w := shellWords(cmd)
	if len(w) > 2 && w[1] == "-m" && (strings.HasPrefix(w[0], "python") || strings.Contains(w[0], "sys.executable")) {
		w = w[2:]
	}
	if len(w) == 0 || (w[0] != "pip" && w[0] != "pip3") {
		return false
	}
	for _, x := range w[1:] {
		if x == "install" {
			return true
		}
		if !strings.HasPrefix(x, "-") {
			return false
		}
	}
	return false
}

// shellWords splits a command line on blanks, honouring single and double
// quotes, and stops at a word starting with "#".
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quote, started := byte(0), false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, started = c, true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if started {
				out = append(out, cur.String())
				cur.Reset()
				started = false
			}
		case c == '#' && !started:
			return out
		default:
			cur.WriteByte(c)
			started = true
		}
	}
	if started {
		out = append(out, cur.String())
	}
	return out
}

// maskStatement turns b into "0#..." (or "0"), keeping its length and
// leaving valid UTF-8 behind.
func maskStatement(b []byte) {
	if len(b) == 0 {
		return
	}
	b[0] = '0'
	if len(b) == 1 {
		return
	}
	b[1] = '#'
	for k := 2; k < len(b) && b[k]&0xC0 == 0x80; k++ {
		b[k] = ' '
	}
	for k := 2; k < len(b); k++ {
		if b[k] == '\r' {
			b[k] = ' '
		}
	}
}

// Original returns the virtual text before magics were masked (same
// length as Src), for showing cells as they were written.
func (nb *Notebook) Original() []byte { return nb.orig }
