package analyzer

import (
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Source is the text of one analysed file that its findings share.
// Findings keep offsets into it and their lines are cut out only when a
// report prints them, so the memory of a run grows with the size of the
// files that have findings, not with findings times line length. Once a
// file is analysed its Source is compacted to the lines its findings need
// (their own and one either side), so a run keeps the lines of its
// findings, not the files.
type Source struct {
	// text holds the lines, each with its line ending, as code frames show
	// them (a notebook's cells before their magics were masked).
	text string
	// lines are the lines held, in order of their body offsets; in a
	// compacted Source there are gaps between them.
	lines []srcLine
	// raw is the file's raw text when the body is a virtual view of it (a
	// notebook's JSON), for raw line text; its line index is built on first
	// use.
	raw       string
	rawOnce   sync.Once
	rawStarts []int
}

// srcLine is one line of a Source.
type srcLine struct {
	start int // body offset of the line
	at    int // offset of the line in text
	n     int // length, line ending included
	// ascii is the length of the line's leading run of ASCII bytes: up to
	// there, byte, code point and UTF-16 columns agree.
	ascii int
}

// NewSource returns the Source of text, which begins at body offset base.
func NewSource(base int, text string) *Source {
	return newSource(base, text, lineStarts(text))
}

// newSource indexes text, whose lines start at the offsets starts.
func newSource(base int, text string, starts []int) *Source {
	s := &Source{text: text, lines: make([]srcLine, len(starts))}
	for i, st := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		s.lines[i] = srcLine{start: base + st, at: st, n: end - st, ascii: asciiRun(text[st:end])}
	}
	return s
}

func asciiRun(s string) int {
	i := 0
	// Eight bytes at a time while none has its high bit set.
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if x&0x8080808080808080 != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return i
		}
	}
	return len(s)
}

// WithRaw sets the raw file text behind a virtual view and returns s.
func (s *Source) WithRaw(raw string) *Source {
	s.raw = raw
	return s
}

// lineIndex returns the index in s.lines of the line holding body offset
// off, or -1 when s does not hold it. An offset just past a line's ending
// belongs to the next line.
func (s *Source) lineIndex(off int) int {
	k := sort.Search(len(s.lines), func(i int) bool { return s.lines[i].start > off }) - 1
	if k < 0 || off > s.lines[k].start+s.lines[k].n {
		return -1
	}
	return k
}

// joined reports whether the lines a..b follow each other in the file.
func (s *Source) joined(a, b int) bool {
	for k := a; k < b; k++ {
		if s.lines[k].start+s.lines[k].n != s.lines[k+1].start {
			return false
		}
	}
	return true
}

// line returns the line of index k without its line ending.
func (s *Source) line(k int) string {
	if k < 0 || k >= len(s.lines) {
		return ""
	}
	l := s.lines[k]
	return strings.TrimRight(s.text[l.at:l.at+l.n], "\r\n")
}

// maxFindingLines bounds the lines a finding carries into reports.
const maxFindingLines = 5

// span returns the indexes of the lines from the one of start to the one
// of end, at most maxFindingLines, when s holds them all.
func (s *Source) span(start, end int) (a, b int, ok bool) {
	if s == nil {
		return 0, 0, false
	}
	a, b = s.lineIndex(start), s.lineIndex(end)
	if a < 0 {
		return 0, 0, false
	}
	if b < a {
		b = a
	}
	b = min(b, a+maxFindingLines-1)
	return a, b, s.joined(a, b)
}

// Lines returns the lines spanned by the body offsets [start, end], at most
// five, without line endings. They are slices of the shared text, not
// copies.
func (s *Source) Lines(start, end int) []string {
	a, b, ok := s.span(start, end)
	if !ok {
		return nil
	}
	out := make([]string, 0, b-a+1)
	for k := a; k <= b; k++ {
		out = append(out, s.line(k))
	}
	return out
}

// Slice returns the text between the body offsets [start, end), and false
// when the Source does not hold all of it.
func (s *Source) Slice(start, end int) (string, bool) {
	if s == nil || end < start {
		return "", false
	}
	a, b := s.lineIndex(start), s.lineIndex(end)
	if a < 0 || b < 0 || !s.joined(a, b) {
		return "", false
	}
	return s.text[s.lines[a].at+start-s.lines[a].start : s.lines[b].at+end-s.lines[b].start], true
}

// Context returns the whole lines from n lines before the line of body
// offset start to n lines after the line of end (at most five lines apart),
// without the last line's ending, and how many lines it holds before
// start's line.
func (s *Source) Context(start, end, n int) (text string, before int, ok bool) {
	a, b, ok := s.span(start, end)
	if !ok {
		return "", 0, false
	}
	lo, hi := a, b
	for lo > 0 && a-lo < n && s.joined(lo-1, lo) {
		lo--
	}
	for hi+1 < len(s.lines) && hi-b < n && s.joined(hi, hi+1) {
		hi++
	}
	last := s.lines[hi]
	stop := last.at + last.n
	// Drop exactly the last line's own ending: the lines before it may
	// end in empty ones.
	if own := s.text[last.at:stop]; strings.HasSuffix(own, "\n") {
		stop -= len(own) - len(strings.TrimSuffix(own[:len(own)-1], "\r"))
	}
	return s.text[s.lines[lo].at:stop], a - lo, true
}

// ASCIIBefore reports whether the bytes of the line of body offset off
// before it are ASCII, so that its columns need no conversion.
func (s *Source) ASCIIBefore(off int) bool {
	if s == nil {
		return false
	}
	k := s.lineIndex(off)
	return k >= 0 && off-s.lines[k].start <= s.lines[k].ascii
}

// compact returns a Source holding only the lines of s that findings
// spanning the body offsets spans need: the lines of each (as Lines gives
// them) and one line either side (as Context gives them to SARIF).
func (s *Source) compact(spans [][2]int) *Source {
	keep := make([]bool, len(s.lines))
	for _, sp := range spans {
		a, b, _ := s.span(sp[0], sp[1])
		if s.lineIndex(sp[0]) < 0 {
			continue
		}
		for k := max(a-1, 0); k <= min(b+1, len(s.lines)-1); k++ {
			keep[k] = true
		}
	}
	c := &Source{raw: s.raw}
	var text strings.Builder
	for k, l := range s.lines {
		if keep[k] {
			c.lines = append(c.lines, srcLine{start: l.start, at: text.Len(), n: l.n, ascii: l.ascii})
			text.WriteString(s.text[l.at : l.at+l.n])
		}
	}
	c.text = text.String()
	return c
}

// compactSource returns NewSource(0, text).compact(spans) without indexing
// every line of text: the lines of the spans are found by counting line
// endings, and only the kept lines are copied. A cached file's findings
// take their lines this way.
func compactSource(text string, spans [][2]int) *Source {
	// The line index of an offset is the number of line endings before
	// it; offsets are visited in order so that text is counted once.
	offs := make([]int, 0, 2*len(spans))
	for _, sp := range spans {
		offs = append(offs, sp[0], sp[1])
	}
	slices.Sort(offs)
	offs = slices.Compact(offs)
	index := make(map[int]int, len(offs))
	line, at := 0, 0
	for _, off := range offs {
		if off < 0 || off > len(text) {
			continue
		}
		line += strings.Count(text[at:off], "\n")
		at = off
		index[off] = line
	}
	last := line + strings.Count(text[at:], "\n")
	type lineRange struct{ lo, hi int }
	var keep []lineRange
	for _, sp := range spans {
		a, ok := index[sp[0]]
		if !ok {
			continue
		}
		b, ok := index[sp[1]]
		if !ok || b < a {
			b = a
		}
		b = min(b, a+maxFindingLines-1)
		keep = append(keep, lineRange{max(a-1, 0), min(b+1, last)})
	}
	slices.SortFunc(keep, func(x, y lineRange) int { return x.lo - y.lo })
	c := &Source{}
	var buf strings.Builder
	line, at = 0, 0 // the line at and its start
	next := -1      // the first line not yet written
	for _, r := range keep {
		for line < max(r.lo, next) {
			at += strings.IndexByte(text[at:], '\n') + 1
			line++
		}
		for ; line <= r.hi; line++ {
			end := len(text)
			if i := strings.IndexByte(text[at:], '\n'); i >= 0 {
				end = at + i + 1
			}
			c.lines = append(c.lines, srcLine{start: at, at: buf.Len(), n: end - at, ascii: asciiRun(text[at:end])})
			buf.WriteString(text[at:end])
			at = end
		}
		next = line
	}
	c.text = buf.String()
	return c
}

// compactSources replaces the Sources of findings by ones holding only the
// lines they need (see compact); findings of one Source keep sharing one.
func compactSources(fs []Finding) {
	spans := map[*Source][][2]int{}
	for i := range fs {
		if src := fs[i].Src; src != nil {
			spans[src] = append(spans[src], [2]int{fs[i].Start.Offset, fs[i].End.Offset})
		}
	}
	done := make(map[*Source]*Source, len(spans))
	for src, sp := range spans {
		done[src] = src.compact(sp)
	}
	for i := range fs {
		if c, ok := done[fs[i].Src]; ok {
			fs[i].Src = c
		}
	}
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
