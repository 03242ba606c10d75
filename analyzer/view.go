package analyzer

import (
	"bytes"
	"sort"
	"strings"

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
	// pipLines are `%pip install` lines of notebooks, for manifest rules.
	pipLines []PipLine
}

// PipLine is a `pip install` line found in a notebook or Databricks export.
type PipLine struct {
	Cell int
	Line int
	Text string
}

// NotebookView, when set, builds the virtual source of a .ipynb file. It
// returns the virtual Python text, the position mapping, and pip lines.
var NotebookView func(raw []byte) (src []byte, v parser.Virtual, pip []PipLine, err error)

// DatabricksView, when set, recognises Databricks exports and masks their
// raw magic lines (same length, so positions are unchanged).
var DatabricksView func(src []byte) (masked []byte, pip []PipLine, ok bool)

func newView(path string, src []byte) (*view, error) {
	v := &view{}
	if strings.EqualFold(extOf(path), ".ipynb") {
		if NotebookView == nil {
			return nil, errNotebookUnsupported
		}
		body, virt, pip, err := NotebookView(src)
		if err != nil {
			return nil, err
		}
		v.body, v.parse, v.virtual, v.pipLines = body, body, virt, pip
	} else {
		body := src
		if bytes.HasPrefix(body, bom) {
			v.prefix = bom
			body = body[len(bom):]
		}
		v.body, v.parse = body, body
		if DatabricksView != nil {
			if masked, pip, ok := DatabricksView(body); ok {
				v.parse, v.pipLines, v.databricks = masked, pip, true
			}
		}
	}
	v.lineStarts = lineStarts(v.body)
	return v, nil
}

type viewError string

func (e viewError) Error() string { return string(e) }

const errNotebookUnsupported = viewError("notebooks are not supported in this build")

func extOf(path string) string {
	i := strings.LastIndexByte(path, '.')
	if i < 0 || strings.ContainsAny(path[i:], "/\\") {
		return ""
	}
	return path[i:]
}

func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line returns the 1-based line of an offset of the body.
func (v *view) line(off int) int {
	return sort.Search(len(v.lineStarts), func(i int) bool { return v.lineStarts[i] > off })
}

// position converts a body offset; in notebooks lines and columns are
// relative to the cell.
func (v *view) position(off int) Position {
	if v.virtual != nil {
		_, l, c := v.virtual.Cell(off)
		return Position{Offset: off, Line: l, Col: c}
	}
	l := v.line(off)
	return Position{Offset: off, Line: l, Col: off - v.lineStarts[l-1] + 1}
}

func (v *view) cell(off int) int {
	if v.virtual == nil {
		return 0
	}
	c, _, _ := v.virtual.Cell(off)
	return c
}

// lineText returns a body line without its line ending.
func (v *view) lineText(l int) string {
	if l < 1 || l > len(v.lineStarts) {
		return ""
	}
	s := v.lineStarts[l-1]
	e := len(v.body)
	if l < len(v.lineStarts) {
		e = v.lineStarts[l]
	}
	return strings.TrimRight(string(v.body[s:e]), "\r\n")
}

// lines returns the body lines spanned by [start, end], at most five.
func (v *view) lines(start, end int) []string {
	a, b := v.line(start), v.line(end)
	if b-a > 4 {
		b = a + 4
	}
	out := make([]string, 0, b-a+1)
	for l := a; l <= b; l++ {
		out = append(out, v.lineText(l))
	}
	return out
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
