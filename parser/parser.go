// Package parser owns the Python parser: it is the only package of mlflowlint
// that imports tree-sitter. It turns bytes into a File (source, tree and a
// token.File over the same bytes) and offers small node helpers.
package parser

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"time"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

// Point is a 0-based row/column (bytes) position inside a source.
type Point = sitter.Point

// ParseTimeout bounds the time spent parsing one source. Pathological inputs
// (deeply nested expressions) are cut off instead of stalling a run.
var ParseTimeout = 10 * time.Second

// ErrTimeout is returned when a parse exceeds ParseTimeout.
var ErrTimeout = errors.New("parse timed out")

var lang = python.GetLanguage()

// File is one parsed Python source. Src is the text the tree was built from
// (for a notebook, its virtual Python text). Tok maps offsets of Src to
// lines and columns. Root is the root of the flat tree (see flat.go); the
// tree-sitter tree is already freed when Parse returns. Close it when done:
// its nodes must not be used afterwards.
type File struct {
	Path string
	Src  []byte
	Root *Node
	// Tok maps the tree's offsets to token.Pos and back (Pos, End,
	// Tok.Offset). It holds no line table: the analysis reports offsets,
	// and lines come from the source where findings are placed, so the
	// table was built for every parsed file and read by none. A caller
	// that wants Tok.Line sets it (Tok.SetLinesForContent(Src)).
	Tok *token.File
	// Virtual is set when Src is a Python view of another kind of file
	// (a notebook); it maps positions back to the raw file.
	Virtual Virtual
	// Databricks is set for Databricks notebook exports (.py files that start
	// with "# Databricks notebook source").
	Databricks bool

	errs  int
	idx   *Index
	nodes []Node // the flat tree, Root first
}

// Index returns the index of the file's tree, built with it.
func (f *File) Index() *Index {
	if f.idx == nil {
		return NewIndex(f.Root)
	}
	return f.idx
}

// Virtual is implemented by the adapters that present a non-Python file as
// Python text (see notebook.go).
type Virtual interface {
	// Cell returns the 1-based cell number holding virtual byte offset off,
	// and the 1-based line and byte column inside that cell.
	Cell(off int) (cell, line, col int)
	// Raw returns the 1-based line and byte column in the raw file for a
	// virtual byte offset, and the text of that raw line.
	Raw(off int) (line, col int, text string)
	// Rebuild returns the raw file bytes for an edited virtual text.
	Rebuild(newSrc []byte) ([]byte, error)
}

// Parse parses src as Python. The returned File must be closed.
func Parse(ctx context.Context, path string, src []byte, fset *token.FileSet) (*File, error) {
	return ParseRanges(ctx, path, src, nil, fset)
}

// ParseRanges is Parse of the byte ranges of src that ranges lists
// (ascending, not overlapping; none: all of it; one empty range: none of
// it): the tree holds the statements they cover at their offsets in src,
// as if the rest were blank. Each range must hold whole statements from
// the start of a line.
func ParseRanges(ctx context.Context, path string, src []byte, ranges [][2]int, fset *token.FileSet) (*File, error) {
	text := src
	if len(ranges) == 1 && ranges[0][0] == ranges[0][1] {
		text, ranges = nil, nil // an empty range: no statement at all
	}
	for i, r := range ranges {
		if r[0] < 0 || r[1] > len(src) || r[0] >= r[1] || i > 0 && r[0] < ranges[i-1][1] {
			return nil, fmt.Errorf("parser: range %d..%d out of order or bounds for a source of %d bytes", r[0], r[1], len(src))
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The time bound is tree-sitter's own timeout, checked as it parses.
	nodes, idx, err := parseFlat(text, ParseTimeout, ranges...)
	if err != nil {
		return nil, err
	}
	if nodes == nil {
		return nil, fmt.Errorf("%w after %s", ErrTimeout, ParseTimeout)
	}
	if fset == nil {
		fset = token.NewFileSet()
	}
	tf := fset.AddFile(path, -1, len(src))
	f := &File{Path: path, Src: src, Root: &nodes[0], Tok: tf, errs: -1, idx: idx, nodes: nodes}
	return f, nil
}

// Close drops the tree. Nodes of the file must not be used afterwards:
// their memory holds the next file's tree.
func (f *File) Close() {
	if f != nil {
		recycle(f.nodes, f.idx)
		f.Root, f.idx, f.nodes = nil, nil, nil
	}
}

// Text returns the source text of n.
func (f *File) Text(n *Node) string {
	if n == nil {
		return ""
	}
	return string(f.Src[n.StartByte():n.EndByte()])
}

// Pos returns the token.Pos of the start of n.
func (f *File) Pos(n *Node) token.Pos { return f.Tok.Pos(int(n.StartByte())) }

// End returns the token.Pos of the end of n.
func (f *File) End(n *Node) token.Pos { return f.Tok.Pos(int(n.EndByte())) }

// ErrorCount returns the number of ERROR and MISSING nodes of the tree.
func (f *File) ErrorCount() int {
	if f.errs >= 0 {
		return f.errs
	}
	f.errs = CountErrors(f.Root)
	return f.errs
}

// CountErrors counts ERROR and MISSING nodes below n. A tree marked as
// having an error whose error nodes the cursor never visits (a zero-width
// missing token) counts as one error.
func CountErrors(n *Node) int {
	if n == nil || !n.HasError() {
		return 0
	}
	if c := countErrors(n); c > 0 {
		return c
	}
	return 1
}

func countErrors(n *Node) int {
	if n.IsError() || n.IsMissing() {
		return 1
	}
	if !n.HasError() {
		return 0
	}
	count := 0
	for j := n.first; j < n.first+n.nkids; j++ {
		count += countErrors(n.at(j))
	}
	return count
}

// ErrorRegions returns the byte ranges of ERROR and MISSING nodes, for
// messages about the parts of a file that could not be analysed.
func (f *File) ErrorRegions() [][2]int {
	if f.Root == nil || !f.Root.HasError() {
		return nil
	}
	var out [][2]int
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.IsError() || n.IsMissing() {
			out = append(out, [2]int{int(n.start), int(n.end)})
			return
		}
		if !n.HasError() {
			return
		}
		for j := n.first; j < n.first+n.nkids; j++ {
			walk(n.at(j))
		}
	}
	walk(f.Root)
	if len(out) == 0 {
		// The error is a token the cursor does not visit: blame the whole
		// source, as CountErrors counts it.
		out = append(out, [2]int{int(f.Root.start), int(f.Root.end)})
	}
	return out
}

// CheckSyntax parses src and returns its number of syntax errors: the
// error nodes of its tree or, in a tree without any, the lines Python
// ends a statement at where tree-sitter does not (SyntaxErrors).
func CheckSyntax(ctx context.Context, src []byte) (int, error) {
	f, err := Parse(ctx, "", src, nil)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return f.SyntaxErrors(), nil
}

// SyntaxErrors counts what CheckSyntax counts of the file: its error
// nodes or, in a tree without any, its JoinedLines and Misindented
// statements.
func (f *File) SyntaxErrors() int {
	if n := f.ErrorCount(); n > 0 {
		return n
	}
	return f.JoinedLines() + f.Misindented()
}
