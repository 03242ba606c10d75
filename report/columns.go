package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// UTF16Col converts a 1-based byte column in line to a 1-based column
// counted in UTF-16 code units, the unit SARIF's "utf16CodeUnits" column
// kind and JavaScript tools use. A byte column past the end of the line is
// clamped to the column just after its last character; bytes that are not
// valid UTF-8 count as one unit each.
func UTF16Col(line string, byteCol int) int {
	prefix := linePrefix(line, byteCol)
	n := 0
	for _, r := range prefix {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n + 1
}

// charCol converts a 1-based byte column to a 1-based column counted in
// Unicode code points, the unit of ruff's text and JSON output.
func charCol(line string, byteCol int) int {
	return utf8.RuneCountInString(linePrefix(line, byteCol)) + 1
}

// linePrefix returns the bytes of line before the 1-based byte column.
func linePrefix(line string, byteCol int) string {
	end := byteCol - 1
	if end <= 0 {
		return ""
	}
	if end > len(line) {
		end = len(line)
	}
	return line[:end]
}

// tabWidth is how many columns a tab takes in a code frame.
const tabWidth = 4

// displayWidth is the number of terminal cells s takes: East Asian wide and
// fullwidth characters (CJK, most emoji) take two, combining marks and
// zero-width formatting characters none, a tab tabWidth, the rest one.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == '\t':
		return tabWidth
	case r == utf8.RuneError:
		return 1
	case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Me, r), unicode.Is(unicode.Cf, r):
		return 0
	case r < 0x20 || r == 0x7f:
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// expandTabs replaces tabs by tabWidth spaces so that frame text and caret
// lines agree on widths.
func expandTabs(s string) string {
	return strings.ReplaceAll(s, "\t", strings.Repeat(" ", tabWidth))
}

// lineText returns the text of the given 1-based line from a finding's
// lines, and whether it is known.
func lineText(f *analyzer.Finding, line int) (string, bool) {
	lines := f.Lines()
	i := line - f.Start.Line
	if i < 0 || i >= len(lines) {
		return "", false
	}
	return lines[i], true
}

// findingCharCol is the code point column of a position inside a finding's
// lines; positions on lines the finding does not carry keep their byte
// column.
func findingCharCol(f *analyzer.Finding, p analyzer.Position) int {
	if f.Src.ASCIIBefore(p.Offset) {
		return max(p.Col, 1)
	}
	if text, ok := lineText(f, p.Line); ok {
		return charCol(text, p.Col)
	}
	return max(p.Col, 1)
}

// findingUTF16Col is findingCharCol in UTF-16 code units; ok is false when
// the line is not among the finding's lines and the column is a guess.
func findingUTF16Col(f *analyzer.Finding, p analyzer.Position) (int, bool) {
	if text, ok := lineText(f, p.Line); ok {
		if f.Src.ASCIIBefore(p.Offset) {
			return max(p.Col, 1), true
		}
		return UTF16Col(text, p.Col), true
	}
	return max(p.Col, 1), false
}

// Long lines are cut in code frames and excerpts: a line longer than
// maxShownLine bytes shows frameContext bytes either side of the finding's
// span (the span itself cut to maxShownLine bytes), with an ellipsis where
// text was left out. One finding's output so stays bounded whatever the
// length of its line (a minified file, a generated one-line expression).
const (
	maxShownLine = 160
	frameContext = 40
	ellipsis     = "..."
)

// window returns the byte range [a, b) of line that is shown for the span
// [lo, hi): the whole line when it is short, otherwise a window around the
// span on rune boundaries.
func window(line string, lo, hi int) (a, b int) {
	if len(line) <= maxShownLine {
		return 0, len(line)
	}
	lo = min(max(lo, 0), len(line))
	hi = min(max(hi, lo), len(line))
	a = max(lo-frameContext, 0)
	b = min(hi+frameContext, len(line), a+maxShownLine)
	for a > 0 && !utf8.RuneStart(line[a]) {
		a--
	}
	for b < len(line) && !utf8.RuneStart(line[b]) {
		b++
	}
	return a, b
}

// cut returns line[a:b] with an ellipsis on each side where text was left
// out.
func cut(line string, a, b int) string {
	if a == 0 && b == len(line) {
		return line
	}
	out := line[a:b]
	if b < len(line) {
		out += ellipsis
	}
	return leader(a) + out
}

// leader is the ellipsis in front of a line shown from byte a.
func leader(a int) string {
	if a > 0 {
		return ellipsis
	}
	return ""
}

// shownLine cuts a line for an excerpt around the 1-based byte column col.
func shownLine(line string, col int) string {
	a, b := window(line, col-1, col-1)
	return cut(line, a, b)
}
