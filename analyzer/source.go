package analyzer

import (
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Source is the text of one analysed file, shared by all of its findings.
// Findings keep offsets into it and their lines are cut out only when a
// report prints them, so the memory of a run grows with the size of the
// files that have findings, not with findings times line length.
type Source struct {
	// base is the body offset of text[0]: a Source may cover only a window
	// of a file (report tests build findings from a few lines).
	base int
	// text is the body as code frames show it (a notebook's cells before
	// their magics were masked); starts are its line starts relative to
	// text, the first always 0.
	text   string
	starts []int
	// ascii is the length of text's leading run of ASCII bytes: before it,
	// byte, code point and UTF-16 columns agree.
	ascii int
	// raw is the file's raw text when the body is a virtual view of it (a
	// notebook's JSON), for raw line text; its line index is built on first
	// use.
	raw       string
	rawOnce   sync.Once
	rawStarts []int
}

// NewSource returns the Source of text, which begins at body offset base.
func NewSource(base int, text string) *Source {
	return newSource(base, text, lineStarts(text))
}

func newSource(base int, text string, starts []int) *Source {
	s := &Source{base: base, text: text, starts: starts, ascii: len(text)}
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			s.ascii = i
			break
		}
	}
	return s
}

// WithRaw sets the raw file text behind a virtual view and returns s.
func (s *Source) WithRaw(raw string) *Source {
	s.raw = raw
	return s
}

// lineIndex returns the 0-based index of the line of text holding body
// offset off, or -1 when off lies before the Source.
func (s *Source) lineIndex(off int) int {
	off -= s.base
	if off < 0 {
		return -1
	}
	return sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > off }) - 1
}

// line returns the line of index i without its line ending.
func (s *Source) line(i int) string {
	if i < 0 || i >= len(s.starts) {
		return ""
	}
	e := len(s.text)
	if i+1 < len(s.starts) {
		e = s.starts[i+1]
	}
	return strings.TrimRight(s.text[s.starts[i]:e], "\r\n")
}

// maxFindingLines bounds the lines a finding carries into reports.
const maxFindingLines = 5

// Lines returns the lines spanned by the body offsets [start, end], at most
// five, without line endings. They are slices of the shared text, not
// copies.
func (s *Source) Lines(start, end int) []string {
	if s == nil {
		return nil
	}
	a, b := s.lineIndex(start), s.lineIndex(end)
	if a < 0 {
		return nil
	}
	b = min(max(b, a), a+maxFindingLines-1, len(s.starts)-1)
	out := make([]string, 0, b-a+1)
	for i := a; i <= b; i++ {
		out = append(out, s.line(i))
	}
	return out
}

// Slice returns the text between the body offsets [start, end), and false
// when the Source does not hold all of it.
func (s *Source) Slice(start, end int) (string, bool) {
	if s == nil || start < s.base || end < start || end-s.base > len(s.text) {
		return "", false
	}
	return s.text[start-s.base : end-s.base], true
}

// Context returns the whole lines from n lines before the line of body
// offset start to n lines after the line of end, without the last line's
// ending, and how many lines it holds before start's line.
func (s *Source) Context(start, end, n int) (text string, before int, ok bool) {
	if s == nil {
		return "", 0, false
	}
	a, b := s.lineIndex(start), s.lineIndex(end)
	if a < 0 || b < a || end-s.base > len(s.text) {
		return "", 0, false
	}
	lo, hi := max(a-n, 0), min(b+n, len(s.starts)-1)
	text = s.text[s.starts[lo]:]
	if hi+1 < len(s.starts) {
		// Drop exactly the last line's ending: the lines after it may be
		// empty ones.
		text = strings.TrimSuffix(text[:s.starts[hi+1]-s.starts[lo]-1], "\r")
	}
	return text, a - lo, true
}

// ASCIIBefore reports whether every byte of the body before offset off is
// ASCII, so that its columns need no conversion.
func (s *Source) ASCIIBefore(off int) bool {
	return s != nil && off-s.base <= s.ascii
}

// RawLine returns the 1-based line of the raw file, without its line
// ending, or "" when there is no raw text or no such line.
func (s *Source) RawLine(line int) string {
	if s == nil || s.raw == "" {
		return ""
	}
	s.rawOnce.Do(func() { s.rawStarts = lineStarts(s.raw) })
	if line < 1 || line > len(s.rawStarts) {
		return ""
	}
	e := len(s.raw)
	if line < len(s.rawStarts) {
		e = s.rawStarts[line]
	}
	return strings.TrimRight(s.raw[s.rawStarts[line-1]:e], "\r\n")
}
